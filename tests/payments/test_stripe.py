"""The Stripe adapter against a local stand-in of Stripe's API, and Stripe's webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from recommerce.payments import services
from recommerce.payments.models import Payment, Refund, Transfer, WebhookEvent
from recommerce.payments.providers.base import EventKind, InvalidWebhook, SessionState
from recommerce.payments.providers.stripe import StripePaymentProvider, success_url, translate
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy.models import Disclosure
from tests import factories
from tests.payments.conftest import start
from tests.payments.fake_stripe import FakeStripe, fake_stripe

SECRET_KEY = "sk_test_recommerce"
WEBHOOK_SECRET = "whsec_test_recommerce"
CARD_WORDS = ("card", "number", "cvc", "exp_month", "exp_year", "4242")


@pytest.fixture
def stripe_api() -> Iterator[FakeStripe]:
    with fake_stripe() as fake:
        yield fake


@pytest.fixture
def stripe_configured(settings: Any, stripe_api: FakeStripe) -> FakeStripe:
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {
            "BACKEND": "recommerce.payments.providers.stripe.StripePaymentProvider",
            "OPTIONS": {
                "secret_key": SECRET_KEY,
                "webhook_secret": WEBHOOK_SECRET,
                "api_base": stripe_api.url,
                "max_network_retries": 0,
            },
        },
    }
    return stripe_api


def adapter(fake: FakeStripe, **options: Any) -> StripePaymentProvider:
    return StripePaymentProvider(
        SECRET_KEY, WEBHOOK_SECRET, api_base=fake.url, max_network_retries=0, **options
    )


def stripe_signed(
    event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """Sign as Stripe does: HMAC-SHA256 of "<t>.<payload>", sent as t=...,v1=..."""
    body = json.dumps(event).encode()
    when = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{when}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={when},v1={digest}"}


def stripe_event(kind: str, obj: dict[str, Any], event_id: str = "evt_1") -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": 1_900_000_000,
        "api_version": "2025-01-27.acacia",
        "livemode": False,
        "data": {"object": obj},
    }


def no_card_data(fake: FakeStripe) -> None:
    for request in fake.requests:
        sent = json.dumps([request.form, request.query]).lower()
        assert not [word for word in CARD_WORDS if word in sent], request


# --- The API calls ------------------------------------------------------------------------


def test_session_create_sends_what_payment_needs_with_the_idempotency_key(stripe_api) -> None:
    session = adapter(stripe_api).session_create(
        amount_minor=45_000,
        currency="EUR",
        reference="CK-7",
        description="Recommerce order CK-7",
        customer_email="alice@example.com",
        return_url="https://shop.example/checkout/return/?step=pay",
        cancel_url="https://shop.example/checkout/",
        idempotency_key="CK-7-1",
    )
    assert (session.session_id, session.redirect_url) == (
        "cs_test_1",
        "https://checkout.stripe.com/c/pay/cs_test_1",
    )
    [request] = stripe_api.requests
    assert (request.method, request.path) == ("POST", "/v1/checkout/sessions")
    assert request.headers["Idempotency-Key"] == "CK-7-1"
    assert request.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert request.form == {
        "mode": "payment",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "45000",
        "line_items[0][price_data][product_data][name]": "Recommerce order CK-7",
        "client_reference_id": "CK-7",
        "customer_email": "alice@example.com",
        "success_url": "https://shop.example/checkout/return/?step=pay"
        "&session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.example/checkout/",
        "metadata[reference]": "CK-7",
        "payment_intent_data[metadata][reference]": "CK-7",
    }
    no_card_data(stripe_api)


def test_success_url_keeps_the_placeholder_unencoded() -> None:
    assert success_url("http://x/r/") == "http://x/r/?session_id={CHECKOUT_SESSION_ID}"


@pytest.mark.parametrize(
    ("status", "paid", "state"),
    [
        ("open", "unpaid", SessionState.OPEN),
        ("complete", "unpaid", SessionState.PROCESSING),
        ("complete", "paid", SessionState.SUCCEEDED),
        ("expired", "unpaid", SessionState.EXPIRED),
    ],
)
def test_session_status_maps_the_state_and_reads_brand_and_last4(
    stripe_api, status: str, paid: str, state: SessionState
) -> None:
    provider = adapter(stripe_api)
    provider.session_create(
        amount_minor=1_000,
        currency="EUR",
        reference="CK-8",
        description="",
        customer_email="a@example.com",
        return_url="http://x/r/",
        cancel_url="http://x/c/",
        idempotency_key="k",
    )
    stripe_api.session_status, stripe_api.payment_status = status, paid
    answer = provider.session_status(session_id="cs_test_1")
    assert answer.state == state
    assert (answer.amount_minor, answer.currency) == (1_000, "EUR")
    if status == "complete":
        assert (answer.payment_id, answer.card_brand, answer.card_last4, answer.token) == (
            "pi_1",
            "visa",
            "4242",
            "pm_1",
        )
    request = stripe_api.requests[-1]
    assert (request.method, request.path) == ("GET", "/v1/checkout/sessions/cs_test_1")
    assert request.query == {
        "expand[0]": ["payment_intent.latest_charge"],
        "expand[1]": ["payment_intent.payment_method"],
    }


def test_api_failures_become_provider_errors(stripe_api) -> None:
    provider = adapter(stripe_api)
    stripe_api.fail_next = (503, {"error": {"type": "api_error", "message": "Try later"}})
    with pytest.raises(ProviderUnavailable):
        provider.refund_create(payment_id="pi_1", amount_minor=100, idempotency_key="r")
    stripe_api.fail_next = (
        400,
        {
            "error": {
                "type": "invalid_request_error",
                "code": "charge_already_refunded",
                "message": "Charge ch_1 has already been refunded.",
            }
        },
    )
    with pytest.raises(ProviderError) as caught:
        provider.refund_create(payment_id="pi_1", amount_minor=100, idempotency_key="r")
    assert not isinstance(caught.value, ProviderUnavailable)
    assert caught.value.code == "charge_already_refunded"


# --- Through the services -----------------------------------------------------------------


@pytest.mark.django_db
def test_pay_refund_and_notify_through_stripe(stripe_configured, payer, commit, published):
    fake = stripe_configured
    payment = start(payer, amount_minor=45_000, key="CK-9-1", reference="CK-9")
    assert (payment.provider, payment.status, payment.provider_session_id) == (
        "stripe",
        Payment.Status.PENDING,
        "cs_test_1",
    )
    assert payment.redirect_url == "https://checkout.stripe.com/c/pay/cs_test_1"
    assert Disclosure.objects.get().recipient == "payment provider (stripe)"
    fake.session_status, fake.payment_status = "complete", "paid"
    with commit():
        payment = services.payment_sync(payment=payment)
    assert (payment.status, payment.captured_minor, payment.provider_payment_id) == (
        Payment.Status.CAPTURED,
        45_000,
        "pi_1",
    )
    assert (payment.card_brand, payment.card_last4, payment.provider_token) == (
        "visa",
        "4242",
        "pm_1",
    )
    with commit():
        refund = services.refund_create(
            payment=payment, amount_minor=5_000, idempotency_key="rf-stripe"
        )
    assert (refund.status, refund.provider_refund_id) == (Refund.Status.SUCCEEDED, "re_1")
    request = fake.requests[-1]
    assert (request.path, request.headers["Idempotency-Key"]) == ("/v1/refunds", "rf-stripe")
    assert request.form == {"payment_intent": "pi_1", "amount": "5000"}
    # Stripe's own notifications of the same facts change nothing more.
    completed = stripe_event(
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "payment_intent": "pi_1",
            "payment_status": "paid",
            "amount_total": 45_000,
            "currency": "eur",
        },
        event_id="evt_completed",
    )
    refunded = stripe_event(
        "refund.created",
        {
            "id": "re_1",
            "object": "refund",
            "amount": 5_000,
            "payment_intent": "pi_1",
            "status": "succeeded",
            "currency": "eur",
        },
        event_id="evt_refund",
    )
    with commit():
        for event in (completed, refunded, completed):
            body, headers = stripe_signed(event)
            services.webhook_receive(provider_name="stripe", body=body, headers=headers)
    payment.refresh_from_db()
    assert (payment.captured_minor, payment.refunded_minor) == (45_000, 5_000)
    assert published.counts() == {"PaymentCaptured": 1, "RefundSucceeded": 1}
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 2
    no_card_data(fake)


@pytest.mark.django_db
def test_a_stripe_notification_captures_the_payment(stripe_configured, payer, commit, published):
    payment = start(payer, amount_minor=12_000)
    event = stripe_event(
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "payment_intent": "pi_1",
            "payment_status": "paid",
            "amount_total": 12_000,
            "currency": "eur",
        },
    )
    with commit():
        body, headers = stripe_signed(event)
        services.webhook_receive(provider_name="stripe", body=body, headers=headers)
    payment.refresh_from_db()
    assert (payment.status, payment.provider_payment_id) == (Payment.Status.CAPTURED, "pi_1")
    assert published.counts() == {"PaymentCaptured": 1}


@pytest.mark.django_db
def test_transfers_go_to_the_sellers_connected_account_without_bank_details(
    settings, stripe_configured, commit, published
) -> None:
    seller = factories.seller()
    seller.iban = "DE89370400440532013000"
    seller.save()
    options = settings.PROVIDERS["payments"]["OPTIONS"]
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {
            **settings.PROVIDERS["payments"],
            "OPTIONS": {**options, "connect_accounts": {str(seller.pk): "acct_1SELLER"}},
        },
    }
    with commit():
        transfer = services.transfer_create(
            seller=seller,
            amount_minor=9_000,
            currency="EUR",
            idempotency_key="payout-7",
            description="Payout 7",
        )
    assert (transfer.status, transfer.provider_transfer_id) == (Transfer.Status.PAID, "tr_1")
    [request] = stripe_configured.requests
    assert request.headers["Idempotency-Key"] == "payout-7"
    assert request.form == {
        "amount": "9000",
        "currency": "eur",
        "destination": "acct_1SELLER",
        "description": "Payout 7",
    }
    assert "0532013000" not in json.dumps(request.form)
    assert published.counts() == {"TransferPaid": 1}


@pytest.mark.django_db
def test_a_seller_without_connected_account_is_not_paid(stripe_configured, published) -> None:
    with pytest.raises(ProviderError, match="no connected Stripe account"):
        services.transfer_create(
            seller=factories.seller(),
            amount_minor=9_000,
            currency="EUR",
            idempotency_key="payout-8",
            description="Payout",
        )
    assert Transfer.objects.count() == 0
    assert stripe_configured.requests == []


# --- Webhook signatures -------------------------------------------------------------------


PAID = stripe_event(
    "checkout.session.completed",
    {
        "id": "cs_1",
        "payment_intent": "pi_1",
        "payment_status": "paid",
        "amount_total": 500,
        "currency": "eur",
    },
)


def test_a_genuine_stripe_notification_is_verified_with_the_sdk(stripe_api) -> None:
    body, headers = stripe_signed(PAID)
    event = adapter(stripe_api).webhook_verify(body=body, headers=headers)
    assert (event.event_id, event.kind, event.session_id, event.payment_id) == (
        "evt_1",
        EventKind.PAYMENT_SUCCEEDED,
        "cs_1",
        "pi_1",
    )
    assert (event.amount_minor, event.currency) == (500, "EUR")


@pytest.mark.parametrize(
    "forge",
    [
        lambda: (stripe_signed(PAID)[0].replace(b"500", b"5"), stripe_signed(PAID)[1]),
        lambda: stripe_signed(PAID, secret="whsec_other"),
        lambda: stripe_signed(PAID, timestamp=int(time.time()) - 301),
        lambda: (stripe_signed(PAID)[0], {}),
        lambda: (stripe_signed(PAID)[0], {"Stripe-Signature": "garbage"}),
        lambda: (b"not json", stripe_signed(PAID)[1]),
    ],
    ids=["tampered", "wrong-secret", "old", "no-header", "garbled-header", "other-body"],
)
def test_forged_or_old_stripe_notifications_are_refused(stripe_api, forge) -> None:
    body, headers = forge()
    with pytest.raises(InvalidWebhook):
        adapter(stripe_api).webhook_verify(body=body, headers=headers)


@pytest.mark.parametrize(
    ("kind", "obj", "expected"),
    [
        (
            "checkout.session.completed",
            {"id": "cs_1", "payment_status": "unpaid"},
            EventKind.PAYMENT_PROCESSING,
        ),
        ("checkout.session.async_payment_succeeded", {"id": "cs_1"}, EventKind.PAYMENT_SUCCEEDED),
        ("checkout.session.async_payment_failed", {"id": "cs_1"}, EventKind.PAYMENT_FAILED),
        ("checkout.session.expired", {"id": "cs_1"}, EventKind.PAYMENT_FAILED),
        ("refund.updated", {"id": "re_1", "status": "succeeded"}, EventKind.REFUND_SUCCEEDED),
        ("refund.updated", {"id": "re_1", "status": "failed"}, EventKind.REFUND_FAILED),
        ("refund.updated", {"id": "re_1", "status": "pending"}, EventKind.OTHER),
        (
            "charge.refunded",
            {
                "id": "ch_1",
                "payment_intent": "pi_1",
                "refunds": {
                    "data": [
                        {"id": "re_old", "status": "succeeded", "created": 1},
                        {"id": "re_new", "status": "succeeded", "created": 2, "amount": 300},
                    ]
                },
            },
            EventKind.REFUND_SUCCEEDED,
        ),
        ("charge.refunded", {"id": "ch_1"}, EventKind.OTHER),
        (
            "charge.dispute.created",
            {"id": "dp_1", "amount": 500, "payment_intent": "pi_1", "reason": "fraudulent"},
            EventKind.DISPUTE_OPENED,
        ),
        ("transfer.created", {"id": "tr_1", "amount": 900}, EventKind.TRANSFER_PAID),
        ("transfer.reversed", {"id": "tr_1"}, EventKind.TRANSFER_FAILED),
        ("customer.created", {"id": "cus_1"}, EventKind.OTHER),
    ],
)
def test_stripe_events_map_to_the_platforms_terms(
    kind: str, obj: dict[str, Any], expected: EventKind
) -> None:
    assert translate(stripe_event(kind, obj)).kind == expected


def test_charge_refunded_names_the_newest_refund() -> None:
    event = translate(
        stripe_event(
            "charge.refunded",
            {
                "id": "ch_1",
                "payment_intent": "pi_1",
                "refunds": {
                    "data": [
                        {"id": "re_old", "status": "succeeded", "created": 1, "amount": 100},
                        {"id": "re_new", "status": "succeeded", "created": 2, "amount": 300},
                    ]
                },
            },
        )
    )
    assert (event.object_id, event.payment_id, event.amount_minor) == ("re_new", "pi_1", 300)
