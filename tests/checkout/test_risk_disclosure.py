"""The risk check at checkout is a logged disclosure (SHARE-3, SHARE-5).

Hardening 2.6: the buyer's email went to the fraud-prevention service with no
``Disclosure`` row, so the service never appeared under "who received my data".
"""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from recommerce.checkout.providers.risk import CheckoutFacts
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_pay, checkout_start
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.registry import registry
from tests.accounts.conftest import PASSWORD
from tests.checkout.conftest import make_buyer, make_offer

pytestmark = pytest.mark.django_db

RETURN = "http://testserver/checkout/return/"
CANCEL = "http://testserver/checkout/cancelled/"
RISK_FIELDS = [
    "account_age_days",
    "billing_country",
    "buyer_email",
    "currency",
    "delivery_country",
    "item_count",
    "seller_count",
    "total_minor",
]


def _checkout(buyer):
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=make_offer(stock=2).pk, quantity=1)
    return checkout_start(user=buyer, cart=cart)


def test_p_share_5_the_risk_check_records_what_the_fraud_service_received():
    """Hardening 2.6: one disclosure per check: the service, the fields, why, the checkout.

    promise: SHARE-5, SHARE-3
    """
    buyer = make_buyer()
    checkout = _checkout(buyer)

    checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    (row,) = Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.FRAUD_SERVICE)
    assert (row.subject, row.recipient, row.reference) == (
        buyer,
        "fraud prevention service (sandbox)",
        checkout.reference,
    )
    assert row.fields == RISK_FIELDS
    assert (row.purpose, row.legal_basis) == (
        purposes.FRAUD_PREVENTION.code,
        purposes.FRAUD_PREVENTION.basis.value,
    )


def test_p_share_3_the_fraud_service_gets_no_more_than_the_logged_fields():
    """Hardening 2.6: what the provider is told is exactly what the log names, no account id.

    promise: SHARE-3
    """
    sent = {f.name for f in dataclasses.fields(CheckoutFacts)} - {"reference"}
    assert sorted(sent) == RISK_FIELDS
    assert "buyer_id" not in sent


def test_p_share_5_a_blocked_checkout_still_records_the_disclosure():
    """Hardening 2.6: a refusal does not roll the log back; the email did go out.

    promise: SHARE-5
    """
    blocked = make_buyer("mallory+block@example.com")
    checkout = _checkout(blocked)

    with pytest.raises(ValidationError):
        checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    assert (
        Disclosure.objects.filter(
            subject=blocked, recipient_kind=Disclosure.RecipientKind.FRAUD_SERVICE
        ).count()
        == 1
    )


def test_p_share_5_the_person_sees_the_fraud_service_under_who_received_my_data():
    """Hardening 2.6: the person's privacy page lists the fraud-prevention service.

    promise: SHARE-5
    """
    buyer = make_buyer()
    checkout_pay(checkout=_checkout(buyer), return_url=RETURN, cancel_url=CANCEL)
    client = Client()
    assert client.login(email=buyer.email, password=PASSWORD)

    page = client.get(reverse("privacy:mine")).content.decode()

    assert "Fraud prevention service (sandbox)" in page
    assert "Email address" in page


def test_p_share_5_the_data_map_names_the_fraud_service_and_an_erasure_can_tell_it():
    """Hardening 2.6: the recipient is declared for the notice, and erasure notices reach it.

    promise: SHARE-5, RIGHT-3
    """
    email = registry.personal_fields[("accounts.User", "email")]
    assert "the fraud prevention service" in email.recipients
    assert Disclosure.RecipientKind.FRAUD_SERVICE in registry.recipient_notifiers
