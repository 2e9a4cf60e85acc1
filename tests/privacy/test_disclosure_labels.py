"""The "Who received my data" list names the data in words and reads on a phone (Hardening 5.7)."""

from __future__ import annotations

import re

import pytest

from recommerce.marketing.services.audiences import FIELDS as AUDIENCE_FIELDS
from recommerce.orders.projections import SELLER_B2B_FIELDS, SELLER_BUYER_FIELDS
from recommerce.orders.services.fulfilment import CARRIER_FIELDS
from recommerce.orders.services.insurance import INSURER_FIELDS
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.notice.labels import FIELDS
from recommerce.privacy.selectors import disclosed_field_labels
from recommerce.privacy.services.logs import disclosure_record
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

# What the payment adapters send (payments/services/payments.py and refunds.py).
PAYMENT_FIELDS = ("email", "amount_minor", "country")


@pytest.mark.parametrize(
    "fields",
    [
        SELLER_BUYER_FIELDS,
        SELLER_B2B_FIELDS,
        CARRIER_FIELDS,
        INSURER_FIELDS,
        PAYMENT_FIELDS,
        AUDIENCE_FIELDS,
    ],
)
def test_every_field_sent_out_has_a_label_in_english_and_french(fields):
    """Hardening 5.7: each field a recipient receives has words in both notice languages."""
    missing = [name for name in fields if name not in FIELDS]
    assert missing == []
    for name in fields:
        assert FIELDS[name].en and FIELDS[name].fr
        assert "_" not in FIELDS[name].en


def test_labels_are_given_once_and_in_french_when_asked():
    """Hardening 5.7: the address's five lines read as one "Delivery address"."""
    assert disclosed_field_labels(CARRIER_FIELDS) == [
        "Name for the delivery",
        "Delivery address",
        "Phone for the delivery",
    ]
    assert disclosed_field_labels(["email", "amount_minor"], language="fr") == [
        "Adresse e-mail",
        "Montant payé",
    ]


def test_a_field_without_its_own_label_reads_as_its_registry_category():
    """Hardening 5.7: the registry's category label stands in; never the column name."""
    assert disclosed_field_labels(["iban"]) == ["Seller's bank account (IBAN) and its holder"]
    assert disclosed_field_labels(["total_minor"]) == ["Total"]


def test_the_privacy_page_lists_recipients_with_readable_data(client):
    """Hardening 5.7: no "amount minor" or "delivery line1" on the person's page."""
    person = make_user("camille@example.com")
    disclosure_record(
        subject=person,
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        recipient="Colissimo (sandbox)",
        fields=CARRIER_FIELDS,
        purpose=purposes.SERVICE_ORDERS,
        reference="RC-0001-A",
    )
    disclosure_record(
        subject=person,
        recipient_kind=Disclosure.RecipientKind.PAYMENT_PROVIDER,
        recipient="payment provider (sandbox)",
        fields=["email", "amount_minor"],
        purpose=purposes.SERVICE_PAYMENTS,
        reference="PAY-1",
    )
    client.force_login(person)
    html = client.get("/privacy/mine/").content.decode()
    section = html.split('id="recipients"')[1].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
    assert "Name for the delivery, Delivery address, Phone for the delivery" in text
    assert "Email address, Amount paid" in text
    assert "Performance of a contract" in text
    for raw in ("amount minor", "amount_minor", "delivery line1", "delivery_line1", "postal"):
        assert raw not in text
    # Cards, not a five-column table that a 390 px screen cuts off.
    assert "<table" not in section
    assert section.count('<li class="disclosure">') == 2
