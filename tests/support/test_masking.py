"""Contact and payment details hidden in messages; references, prices and dates kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommerce.support.masking import Masked, mask_contact_details

PHONE = "[phone number hidden]"
EMAIL = "[email address hidden]"
BANK = "[bank details hidden]"
CARD = "[card number hidden]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Phone numbers: international, national, dotted, US styles.
        ("Call me on +33 6 12 34 56 78 tonight", f"Call me on {PHONE} tonight"),
        ("06 12 34 56 78", PHONE),
        ("06.12.34.56.78", PHONE),
        ("0612345678", PHONE),
        ("+33612345678", PHONE),
        ("0033 6 12 34 56 78", PHONE),
        ("mon numéro : 07 98 76 54 32", f"mon numéro : {PHONE}"),
        ("(415) 555-0132", PHONE),
        ("415-555-0132", PHONE),
        ("415.555.0132", PHONE),
        ("+1 (415) 555-0132", PHONE),
        ("text me 4155550132", f"text me {PHONE}"),
        ("WhatsApp: 4155550132", f"WhatsApp: {PHONE}"),
        ("+44 20 7946 0958", PHONE),
        ("020 7946 0958", PHONE),
        ("+49 30 1234567", PHONE),
        ("0151 23456789", PHONE),
        ("06 12 34 56 78 / 07 98 76 54 32", f"{PHONE} / {PHONE}"),
        # Email addresses, plain and spelled out.
        ("alice@example.com", EMAIL),
        ("write to alice.martin+shop@example.fr.", f"write to {EMAIL}."),
        ("alice at example dot com", EMAIL),
        ("alice AT example DOT com", EMAIL),
        ("alice(at)example.com", EMAIL),
        ("alice [at] example [dot] com", EMAIL),
        ("alice {at} example {dot} fr", EMAIL),
        ("alice @ example.com", EMAIL),
        ("alice@example dot com", EMAIL),
        ("alice arobase example point com", EMAIL),
        ("bob_smith (at) mail (dot) example (dot) co (dot) uk", EMAIL),
        # IBANs, grouped or not, any case.
        ("FR76 3000 6000 0112 3456 7890 189", BANK),
        ("iban fr7630006000011234567890189 thanks", f"iban {BANK} thanks"),
        ("FR76 3000 6000 0112 3456 7890 189 please", f"{BANK} please"),
        ("DE89 3704 0044 0532 0130 00", BANK),
        ("GB82WEST12345698765432", BANK),
        ("gb82 west 1234 5698 7654 32", BANK),
        # Card numbers of each network, grouped or not, an expiry after one.
        ("4111 1111 1111 1111", CARD),
        ("4111-1111-1111-1111 12/28", f"{CARD} 12/28"),
        ("my card 4111111111111111 exp 12 28", f"my card {CARD} exp 12 28"),
        ("4222222222222", CARD),
        ("5555 5555 5555 4444", CARD),
        ("2223 0031 2200 3222", CARD),
        ("3782 822463 10005", CARD),
        ("378282246310005", CARD),
        ("6011-1111-1111-1117", CARD),
        ("3530111333300000", CARD),
        ("3056 930902 5904", CARD),
        ("6200000000000005", CARD),
    ],
)
def test_details_are_hidden(text: str, expected: str) -> None:
    assert mask_contact_details(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # IMEIs, with or without separators, and a 16-digit IMEISV.
        "IMEI 490154203237518",
        "IMEI 352099001761481",
        "IMEI 35-209900-176148-1",
        "IMEI 35 209900 176148 1",
        "IMEISV 3569380356438091",
        # Order numbers and references.
        "order R2612070001",
        "order #R2612070001",
        "ref 4155550132",
        "ref 0612345678901234",
        "order 26120700012345",
        "SIRET 73282932000074",
        "VAT FR40303265045",
        # Prices.
        "1 299,00 €",
        "€1,299.00",
        "$1,299",
        "1299 EUR",
        "299.99 $",
        "$4155550132",
        "4155550132 USD",
        "1 000 000",
        # Dates and times.
        "12/12/2026",
        "2026-12-07",
        "12.12.2026",
        "7 December 2026",
        "between 10:30 and 12:00",
        "between 2024 and 2026",
        # Postal codes.
        "75002 Paris",
        "SW1A 1AA",
        "90210-1234",
        # Tracking numbers.
        "SP1767225600A1B2C3",
        "1Z999AA10123456784",
        "9400100000000000000000",
        "9400 1000 0000 0000 0000 00",
        "6A12345678901",
        "LX123456789FR",
        "00340434161234567890",
        # Device details and ordinary sentences.
        "serial C02XK0ABJGH5",
        "iPhone 13 128 GB, battery 87 %",
        "model A2633",
        "4111 1111 1111 1112",
        "I bought it at amazon.com",
        "meet at noon.Ok",
        "@alice on the forum",
        "The screen is at 100% brightness.",
    ],
)
def test_references_prices_dates_and_codes_stay(text: str) -> None:
    assert mask_contact_details(text) == Masked(text=text, kinds=())


def test_kinds_name_each_kind_once_in_a_fixed_order() -> None:
    text = (
        "Call 06 12 34 56 78 or 07 98 76 54 32, pay 4111 1111 1111 1111 or to "
        "FR76 3000 6000 0112 3456 7890 189, mail alice@example.com. Order R2612070001."
    )

    assert mask_contact_details(text) == Masked(
        text=(
            f"Call {PHONE} or {PHONE}, pay {CARD} or to {BANK}, mail {EMAIL}. Order R2612070001."
        ),
        kinds=("email_address", "bank_details", "card_number", "phone_number"),
    )


def test_a_text_with_nothing_to_hide_is_returned_as_is() -> None:
    text = "Hello, the iPhone 13 (IMEI 490154203237518) arrived on 12/12/2026 for 1 299,00 €."

    assert mask_contact_details(text) == Masked(text=text, kinds=())


def test_empty_text() -> None:
    assert mask_contact_details("") == Masked(text="", kinds=())


SAFE_TOKENS = [
    "R2612070001",
    "1 299,00 €",
    "12/12/2026",
    "2026-12-07",
    "75002",
    "490154203237518",
    "SP1767225600A1B2C3",
    "iPhone",
    "13",
    "128 GB",
    "the",
    "screen",
    "arrived",
    "scratched",
    "order",
    "at",
    "on",
    "%",
]


@given(st.lists(st.sampled_from(SAFE_TOKENS), max_size=12))
def test_sentences_of_safe_words_stay(tokens: list[str]) -> None:
    text = " ".join(tokens)

    assert mask_contact_details(text) == Masked(text=text, kinds=())


@given(
    st.lists(
        st.sampled_from(
            [*SAFE_TOKENS, "06 12 34 56 78", "alice@example.com", "4111 1111 1111 1111"]
        ),
        max_size=10,
    )
)
def test_masking_twice_changes_nothing_more(tokens: list[str]) -> None:
    once = mask_contact_details(" ".join(tokens))

    again = mask_contact_details(once.text)

    assert again == Masked(text=once.text, kinds=())
    for secret in ("06 12 34 56 78", "alice@example.com", "4111 1111 1111 1111"):
        assert secret not in once.text
