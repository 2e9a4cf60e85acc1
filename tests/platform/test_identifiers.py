from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from recommerce.platform import identifiers
from recommerce.platform.identifiers import VatNumber


def _refusal(call, *args, **kwargs) -> tuple[str | None, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.code, caught.value.messages


# --- VAT numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("FR 40 303 265 045", None, VatNumber("FR", "FR40303265045", "FR40303265045")),
        ("fr40303265045", None, VatNumber("FR", "FR40303265045", "FR40303265045")),
        ("40303265045", "FR", VatNumber("FR", "FR40303265045", "FR40303265045")),
        ("FR40303265045", "fr", VatNumber("FR", "FR40303265045", "FR40303265045")),
        ("K7399859412", "FR", VatNumber("FR", "FRK7399859412", "FRK7399859412")),
        ("4Z123456782", "FR", VatNumber("FR", "FR4Z123456782", "FR4Z123456782")),
        ("BE697449992", None, VatNumber("BE", "BE0697449992", "BE0697449992")),
        ("DE 136.695.976", None, VatNumber("DE", "DE136695976", "DE136695976")),
        ("IT 00743110157", None, VatNumber("IT", "IT00743110157", "IT00743110157")),
        ("ESB64717838", None, VatNumber("ES", "ESB64717838", "ESB64717838")),
        ("AT U13585627", None, VatNumber("AT", "ATU13585627", "ATU13585627")),
        ("NL004495445B01", None, VatNumber("NL", "NL004495445B01", "NL004495445B01")),
        # Greece: ISO code GR, VAT prefix EL, whichever was typed.
        ("EL 094259216 ", None, VatNumber("GR", "EL094259216", "EL094259216")),
        ("GR094259216", None, VatNumber("GR", "EL094259216", "EL094259216")),
        ("094259216", "GR", VatNumber("GR", "EL094259216", "EL094259216")),
        ("094259216", "EL", VatNumber("GR", "EL094259216", "EL094259216")),
        ("GB 980 7806 84", None, VatNumber("GB", "GB980780684", "GB 980 7806 84")),
        ("980780684", "GB", VatNumber("GB", "GB980780684", "GB 980 7806 84")),
        # Northern Ireland trades in goods under the EU's rules with the XI prefix.
        ("XI 980 7806 84", None, VatNumber("GB", "XI980780684", "XI 980 7806 84")),
        ("XI980780684", "GB", VatNumber("GB", "XI980780684", "XI 980 7806 84")),
        ("980780684", "XI", VatNumber("GB", "XI980780684", "XI 980 7806 84")),
        ("CHE-107.787.577 IVA", None, VatNumber("CH", "CHE107787577IVA", "CHE-107.787.577 IVA")),
        ("107.787.577 MWST", "CH", VatNumber("CH", "CHE107787577MWST", "CHE-107.787.577 MWST")),
    ],
)
def test_vat_number_accepts_and_normalises(typed, country, expected):
    assert identifiers.vat_number(typed, country=country) == expected


def test_vat_number_splits_prefix_and_local_part():
    number = identifiers.vat_number("EL094259216")
    assert (number.prefix, number.local, str(number)) == ("EL", "094259216", "EL094259216")


@pytest.mark.parametrize(
    ("typed", "country", "code", "message"),
    [
        ("", None, "required", "Enter a VAT number."),
        (" - ", "FR", "required", "Enter a VAT number."),
        (
            "40303265045",
            None,
            "missing_country",
            "Start the VAT number with its country code, such as FR or DE.",
        ),
        (
            "US123456789",
            None,
            "unknown_country",
            "US is not the VAT prefix of an EU member state, the United Kingdom or Switzerland.",
        ),
        ("123456789", "us", "unknown_country", "VAT numbers from US cannot be checked."),
        (
            "DE136695976",
            "FR",
            "country_mismatch",
            "The VAT number starts with DE, which is not a prefix for France.",
        ),
        (
            "FR4030326504",
            None,
            "invalid_length",
            "FR4030326504 has the wrong number of characters for a VAT number from France.",
        ),
        (
            "EL1234567890",
            None,
            "invalid_length",
            "EL1234567890 has the wrong number of characters for a VAT number from Greece.",
        ),
        (
            "FRIO334175221",
            None,
            "invalid_format",
            "FRIO334175221 does not have the format of a VAT number from France.",
        ),
        (
            "FR84323140391",
            None,
            "bad_checksum",
            "The check digits of FR84323140391 do not match: look for a typing mistake.",
        ),
        (
            "DE136695978",
            None,
            "bad_checksum",
            "The check digits of DE136695978 do not match: look for a typing mistake.",
        ),
        (
            "802311781",
            "GB",
            "bad_checksum",
            "The check digits of GB802311781 do not match: look for a typing mistake.",
        ),
        (
            "CHE-107.787.577 ABC",
            None,
            "invalid_component",
            "CHE107787577ABC contains a part that a VAT number from Switzerland cannot have.",
        ),
    ],
)
def test_vat_number_refusals_say_what_is_wrong(typed, country, code, message):
    assert _refusal(identifiers.vat_number, typed, country=country) == (code, [message])


# --- SIREN, SIRET, company registration -------------------------------------------------


def test_siren_and_siret():
    assert identifiers.siren(" 404 833 048 ") == "404833048"
    assert identifiers.siret("732 829 320 00074") == "73282932000074"
    # La Poste's establishments use a digit sum instead of Luhn.
    assert identifiers.siret("35600000049837") == "35600000049837"


@pytest.mark.parametrize(
    ("call", "typed", "code", "message"),
    [
        (identifiers.siren, "", "required", "Enter a SIREN."),
        (identifiers.siren, "40483304", "invalid_length", "A SIREN has 9 digits; 40483304 has 8."),
        (
            identifiers.siren,
            "40483304A",
            "invalid_format",
            "A SIREN has only digits; 40483304A has other characters.",
        ),
        (
            identifiers.siren,
            "404833047",
            "bad_checksum",
            "The check digit of SIREN 404833047 does not match: look for a typing mistake.",
        ),
        (
            identifiers.siret,
            "7328293200007",
            "invalid_length",
            "A SIRET has 14 digits; 7328293200007 has 13.",
        ),
        (
            identifiers.siret,
            "73282932000079",
            "bad_checksum",
            "The check digit of SIRET 73282932000079 does not match: look for a typing mistake.",
        ),
    ],
)
def test_siren_and_siret_refusals(call, typed, code, message):
    assert _refusal(call, typed) == (code, [message])


def test_french_company_registration_is_a_siren_or_a_siret():
    assert identifiers.company_registration("404 833 048", country="fr") == "404833048"
    assert identifiers.company_registration("732 829 320 00074", country="FR") == ("73282932000074")
    assert _refusal(identifiers.company_registration, "4048330481", country="FR") == (
        "invalid_length",
        [
            "A French company number is a SIREN (9 digits) or a SIRET (14 digits); "
            "4048330481 has 10 digits."
        ],
    )
    assert _refusal(identifiers.company_registration, "RCS 404833048", country="FR") == (
        "invalid_format",
        ["A French company number has only digits; RCS404833048 has other characters."],
    )
    assert _refusal(identifiers.company_registration, "404833047", country="FR")[0] == (
        "bad_checksum"
    )


def test_other_registration_numbers_are_trimmed_and_sanity_checked():
    assert identifiers.company_registration("  hrb  12345 b ", country="DE") == "HRB 12345 B"
    assert identifiers.company_registration("SC123456", country="GB") == "SC123456"


@pytest.mark.parametrize(
    ("typed", "country", "code", "message"),
    [
        ("  ", "DE", "required", "Enter the company registration number."),
        ("12345", "QQ", "unknown_country", "QQ is not a country code."),
        (
            "HRB",
            "DE",
            "invalid_format",
            "HRB has no digits: enter the number, not the register's name.",
        ),
        (
            "HRB 1; DROP",
            "DE",
            "invalid_format",
            "A company registration number has only letters, digits, spaces and . / -; "
            "HRB 1; DROP has other characters.",
        ),
        (
            "1",
            "DE",
            "invalid_length",
            "A company registration number has 2 to 40 characters, not 1.",
        ),
        (
            "1" * 41,
            "DE",
            "invalid_length",
            "A company registration number has 2 to 40 characters, not 41.",
        ),
    ],
)
def test_company_registration_refusals(typed, country, code, message):
    assert _refusal(identifiers.company_registration, typed, country=country) == (code, [message])


# --- IBAN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "compact", "shown"),
    [
        (
            "GR16 0110 1050 0000 1054 7023 795",
            "GR1601101050000010547023795",
            "GR16 0110 1050 0000 1054 7023 795",
        ),
        ("be31-4354-1116-1155", "BE31435411161155", "BE31 4354 1116 1155"),
        (
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "FR76 3000 6000 0112 3456 7890 189",
        ),
    ],
)
def test_iban_is_compact_and_displayed_in_fours(typed, compact, shown):
    assert identifiers.iban(typed) == compact
    assert identifiers.iban_display(compact) == shown


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "required", "Enter an IBAN."),
        ("BE31 4354 1116 115!", "invalid_format", "An IBAN has only letters and digits."),
        (
            "1234 5678",
            "invalid_format",
            "An IBAN starts with a country code and two check digits, such as FR76.",
        ),
        ("XX31435411161155", "unknown_country", "XX is not a country that issues IBANs."),
        (
            "BE3143541116115",
            "invalid_length",
            "An IBAN from Belgium has 16 characters; this one has 15.",
        ),
        (
            "BE32435411161155",
            "bad_checksum",
            "The check digits of this IBAN do not match: look for a typing mistake.",
        ),
        (
            # Right length and check digits, but Belgian accounts are digits only.
            "BE94A35411161155",
            "invalid_format",
            "This IBAN does not have the format of an account in Belgium.",
        ),
    ],
)
def test_iban_refusals(typed, code, message):
    assert _refusal(identifiers.iban, typed) == (code, [message])


# --- Phone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("06 12 34 56 78", "fr", "+33612345678"),
        ("+44 20 7946 0958", None, "+442079460958"),
        # A number with its country code is read as such, whatever the region.
        ("+44 20 7946 0958", "FR", "+442079460958"),
        ("030 901820", "DE", "+4930901820"),
    ],
)
def test_phone_number_is_e164(typed, region, e164):
    assert identifiers.phone_number(typed, region=region) == e164


@pytest.mark.parametrize(
    ("typed", "region", "code", "message"),
    [
        ("", "FR", "required", "Enter a phone number."),
        (
            "06 12 34 56 78",
            None,
            "missing_country",
            "Start the number with + and its country calling code, such as +33.",
        ),
        (
            "06 12 34 56 78",
            "ZZ",
            "missing_country",
            "Start the number with + and its country calling code, such as +33.",
        ),
        ("hello", "FR", "not_a_number", "hello is not a phone number."),
        ("06", "FR", "too_short", "06 is too short to be a phone number."),
        (
            "0612345678901234",
            "FR",
            "too_long",
            "0612345678901234 is too long to be a phone number.",
        ),
        (
            "+999 1234567",
            None,
            "unknown_country",
            "+999 1234567 does not start with a known country calling code.",
        ),
        ("+44 1234 5678", None, "too_short", "+44 1234 5678 lacks its area code."),
        (
            # Norwegian numbers have 5 or 8 digits.
            "+47 22 22 22",
            None,
            "invalid_length",
            "+47 22 22 22 has the wrong number of digits for a phone number in Norway.",
        ),
        (
            "+33 0 12 34 56 78",
            None,
            "invalid",
            "+33 0 12 34 56 78 is not a valid phone number for France.",
        ),
        (
            "0123456789",
            "GB",
            "invalid",
            "0123456789 is not a valid phone number for United Kingdom.",
        ),
    ],
)
def test_phone_number_refusals(typed, region, code, message):
    assert _refusal(identifiers.phone_number, typed, region=region) == (code, [message])


# --- IMEI ---------------------------------------------------------------------------------


def test_imei_is_15_digits():
    assert identifiers.imei("35-417803-685978-9") == "354178036859789"
    assert identifiers.imei(" 354178036859789 ") == "354178036859789"


@pytest.mark.parametrize(
    ("typed", "code", "message"),
    [
        ("", "required", "Enter an IMEI."),
        (
            "35417803685978X",
            "invalid_format",
            "An IMEI has only digits; 35417803685978X has other characters.",
        ),
        (
            # 14 digits without the check digit, and a 16-digit IMEISV, are not IMEIs here.
            "35417803685978",
            "invalid_length",
            "An IMEI has 15 digits (dial *#06# to show it); 35417803685978 has 14.",
        ),
        (
            "35-686800-004141-20",
            "invalid_length",
            "An IMEI has 15 digits (dial *#06# to show it); 3568680000414120 has 16.",
        ),
        (
            "35-417803-685978-1",
            "bad_checksum",
            "The check digit of IMEI 354178036859781 does not match: look for a typing mistake.",
        ),
    ],
)
def test_imei_refusals(typed, code, message):
    assert _refusal(identifiers.imei, typed) == (code, [message])


# --- Check digits: every single-digit typing mistake is caught ------------------------------


def _with_check_digit(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def _mistyped(number: str, position: int, shift: int) -> str:
    digit = str((int(number[position]) + shift) % 10)
    return number[:position] + digit + number[position + 1 :]


@given(
    body=st.text(alphabet="0123456789", min_size=14, max_size=14),
    position=st.integers(0, 14),
    shift=st.integers(1, 9),
)
def test_imei_check_digit_catches_any_single_mistyped_digit(body, position, shift):
    number = _with_check_digit(body)
    assert identifiers.imei(number) == number
    assert _refusal(identifiers.imei, _mistyped(number, position, shift))[0] == "bad_checksum"


@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=8),
    position=st.integers(0, 8),
    shift=st.integers(1, 9),
)
def test_siren_check_digit_catches_any_single_mistyped_digit(body, position, shift):
    number = _with_check_digit(body)
    assert identifiers.siren(number) == number
    assert _refusal(identifiers.siren, _mistyped(number, position, shift))[0] == "bad_checksum"
