"""Webhooks: only genuine notifications are taken, repeats change nothing, order is moot."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.db import transaction

from recommerce.payments import services
from recommerce.payments.events import ChargebackOpened, PaymentCaptured, RefundSucceeded
from recommerce.payments.models import Chargeback, Payment, Refund, WebhookEvent
from recommerce.payments.providers.base import InvalidWebhook
from recommerce.platform import clock
from tests.payments.conftest import (
    receive,
    sandbox_event,
    session_of,
    signed,
    start,
)

pytestmark = pytest.mark.django_db

URL = "/payments/webhooks/sandbox/"


def succeeded(session: Any, event_id: str = "evt_paid") -> dict[str, Any]:
    return sandbox_event(
        "payment.succeeded",
        session=session,
        event_id=event_id,
        amount_minor=session.amount_minor,
        card_brand="visa",
        card_last4="4242",
        token="pm_sandbox_1",
    )


def post(client: Any, body: bytes, headers: dict[str, str], url: str = URL) -> Any:
    return client.post(
        url,
        data=body,
        content_type="application/json",
        headers=headers,
    )


def unchanged(payment: Payment) -> None:
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.captured_minor == 0
    assert WebhookEvent.objects.count() == 0


# --- Only genuine notifications -------------------------------------------------------


def test_a_valid_notification_is_accepted_and_applied(client, payer, frozen, commit, published):
    payment = start(payer, amount_minor=45_000)
    body, headers = signed(succeeded(session_of(payment)))
    with commit():
        response = post(client, body, headers)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False}
    payment.refresh_from_db()
    assert (payment.status, payment.captured_minor) == (Payment.Status.CAPTURED, 45_000)
    # COLLECT-2: the token, the brand and the last four digits, nothing more.
    assert (payment.provider_token, payment.card_brand, payment.card_last4) == (
        "pm_sandbox_1",
        "visa",
        "4242",
    )
    assert published == [PaymentCaptured(payment_id=payment.pk, reference=payment.reference)]
    stored = WebhookEvent.objects.get()
    assert (stored.provider, stored.event_id, stored.type) == (
        "sandbox",
        "evt_paid",
        "payment.succeeded",
    )
    assert stored.processed_at == clock.now()


def tampered(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return body.replace(b'"amount_minor": 45000', b'"amount_minor": 1'), headers


def wrong_secret(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    event = json.loads(body)
    return signed(event, secret="whsec_someone_else")


def no_header(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return body, {}


def too_old(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return signed(body, timestamp=int(clock.now().timestamp()) - 301)


def from_the_future(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return signed(body, timestamp=int(clock.now().timestamp()) + 301)


def garbled_header(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return body, {"Recommerce-Signature": "t=abc,v1="}


def signature_of_another_body(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return body + b" ", headers


@pytest.mark.parametrize(
    "forge",
    [
        tampered,
        wrong_secret,
        no_header,
        too_old,
        from_the_future,
        garbled_header,
        signature_of_another_body,
    ],
)
def test_forged_or_stale_notifications_are_refused_and_change_nothing(
    client, payer, frozen, commit, published, forge
) -> None:
    payment = start(payer, amount_minor=45_000)
    body, headers = forge(*signed(succeeded(session_of(payment))))
    with commit():
        response = post(client, body, headers)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    unchanged(payment)
    assert published == []


@pytest.mark.parametrize("seconds", [-300, 300])
def test_a_signature_up_to_300_seconds_away_is_accepted(payer, frozen, seconds: int) -> None:
    payment = start(payer)
    event = succeeded(session_of(payment))
    assert receive(event, timestamp=int(clock.now().timestamp()) + seconds) is not None
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id": "", "type": "x", "created": 1, "data": {}}',
        b'{"id": "e", "type": "payment.succeeded", "created": "soon", "data": {}}',
        b'{"id": "e", "type": "payment.succeeded", "created": 1, "data": []}',
        b"\xff\xfe",
    ],
)
def test_signed_garbage_is_a_400_never_a_500(client, payer, frozen, body: bytes) -> None:
    response = post(client, *signed(body))
    assert response.status_code == 400
    assert "error" in response.json()
    assert WebhookEvent.objects.count() == 0


def test_unknown_provider_and_wrong_method_are_client_errors(client, payer, frozen) -> None:
    payment = start(payer)
    body, headers = signed(succeeded(session_of(payment)))
    response = post(client, body, headers, url="/payments/webhooks/stripe/")
    assert response.status_code == 400
    assert client.get(URL).status_code == 405
    unchanged(payment)


def test_an_event_the_platform_does_not_use_is_stored_and_ignored(payer, frozen) -> None:
    stored = receive(sandbox_event("customer.updated", object_id="cus_1"))
    assert stored.type == "customer.updated"
    assert stored.processed_at is not None


# --- Duplicates -------------------------------------------------------------------------


def test_the_same_notification_five_times_has_one_effect(client, payer, frozen, commit, published):
    payment = start(payer, amount_minor=45_000)
    body, headers = signed(succeeded(session_of(payment)))
    with commit():
        answers = [post(client, body, headers).json() for _ in range(5)]
    assert (
        answers
        == [{"received": True, "duplicate": False}] + [{"received": True, "duplicate": True}] * 4
    )
    payment.refresh_from_db()
    assert payment.captured_minor == 45_000
    assert WebhookEvent.objects.count() == 1
    assert published.counts() == {"PaymentCaptured": 1}


def test_a_late_failure_after_success_is_ignored(payer, frozen, commit, published) -> None:
    payment = start(payer)
    session = session_of(payment)
    with commit():
        receive(succeeded(session))
        receive(sandbox_event("payment.failed", session=session, failure_code="card_declined"))
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == (Payment.Status.CAPTURED, "")
    assert published.counts() == {"PaymentCaptured": 1}


def test_failures_publish_once_and_a_later_success_still_captures(
    payer, frozen, commit, published
) -> None:
    payment = start(payer)
    session = session_of(payment)
    with commit():
        for _ in range(3):
            receive(sandbox_event("payment.failed", session=session, failure_code="card_declined"))
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == (Payment.Status.FAILED, "card_declined")
    with commit():
        receive(succeeded(session))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert published.counts() == {"PaymentFailed": 1, "PaymentCaptured": 1}


# --- Every order of arrival -------------------------------------------------------------


def final_state(payment: Payment) -> tuple[Any, ...]:
    payment.refresh_from_db()
    return (
        payment.status,
        payment.captured_minor,
        payment.refunded_minor,
        payment.disputed_minor,
        payment.refundable_minor,
        payment.card_last4,
        list(Refund.objects.values_list("provider_refund_id", "amount_minor", "status")),
        list(Chargeback.objects.values_list("provider_dispute_id", "amount_minor", "status")),
        WebhookEvent.objects.filter(processed_at__isnull=True).count(),
        WebhookEvent.objects.count(),
    )


def test_every_ordering_of_a_payments_events_ends_in_the_same_state(
    payer, frozen, django_capture_on_commit_callbacks, published
) -> None:
    payment = start(payer, amount_minor=10_000)
    session = session_of(payment)
    paid = succeeded(session)
    notifications = {
        "succeeded": paid,
        "refund": sandbox_event(
            "refund.succeeded", session=session, object_id="re_partial", amount_minor=3_000
        ),
        "dispute": sandbox_event(
            "dispute.opened",
            session=session,
            object_id="dp_1",
            amount_minor=7_000,
            reason="fraudulent",
        ),
        "succeeded again": paid,
    }
    expected = (
        Payment.Status.CAPTURED,
        10_000,
        3_000,
        7_000,
        0,
        "4242",
        [("re_partial", 3_000, Refund.Status.SUCCEEDED)],
        [("dp_1", 7_000, Chargeback.Status.OPEN)],
        0,
        3,
    )
    orderings = list(itertools.permutations(notifications))
    assert len(orderings) == 24
    for ordering in orderings:
        published.clear()
        savepoint = transaction.savepoint()
        with django_capture_on_commit_callbacks(execute=True):
            for name in ordering:
                receive(notifications[name])
        assert final_state(payment) == expected, ordering
        assert published.counts() == {
            "PaymentCaptured": 1,
            "RefundSucceeded": 1,
            "ChargebackOpened": 1,
        }, ordering
        refund = Refund.objects.get()
        assert published.of(RefundSucceeded) == [
            RefundSucceeded(
                refund_id=refund.pk, payment_id=payment.pk, amount_minor=3_000, context=""
            )
        ]
        assert published.of(ChargebackOpened)[0].amount_minor == 7_000
        transaction.savepoint_rollback(savepoint)


def test_a_refund_failure_after_success_makes_the_amount_refundable_again(
    payer, frozen, commit, published
) -> None:
    payment = start(payer, amount_minor=10_000)
    session = session_of(payment)
    refund = {"session": session, "object_id": "re_1", "amount_minor": 4_000}
    for ordering in (("refund.succeeded", "refund.failed"), ("refund.failed", "refund.succeeded")):
        published.clear()
        savepoint = transaction.savepoint()
        with commit():
            receive(succeeded(session))
            for kind in ordering:
                receive(sandbox_event(kind, **refund))
        payment.refresh_from_db()
        assert (payment.refunded_minor, payment.refundable_minor) == (0, 10_000), ordering
        assert list(Refund.objects.values_list("status", flat=True)) == [Refund.Status.FAILED]
        transaction.savepoint_rollback(savepoint)


def test_a_notification_for_an_unknown_payment_waits_and_is_applied_later(
    payer, frozen, commit, published
) -> None:
    stray = sandbox_event(
        "refund.succeeded", payment_id="pi_not_yet", object_id="re_9", amount_minor=100
    )
    stored = receive(stray)
    assert stored.processed_at is None
    frozen.shift(120)
    assert services.webhook_events_retry() == 0
    assert WebhookEvent.objects.get().processed_at is None
    assert Refund.objects.count() == 0


def test_invalid_webhook_is_what_the_service_raises(payer, frozen) -> None:
    body, _ = signed(sandbox_event("payment.succeeded"))
    with pytest.raises(InvalidWebhook, match="header is missing"):
        services.webhook_receive(provider_name="sandbox", body=body, headers={})
