"""Races on PostgreSQL: N threads released together, each with its own connection."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from recommerce.payments import services
from recommerce.payments.models import (
    Payment,
    Refund,
    SandboxOutbox,
    SandboxSession,
    Transfer,
    WebhookEvent,
)
from recommerce.privacy.models import Disclosure
from tests import factories
from tests.payments.conftest import make_payer, sandbox, sandbox_event, session_of, signed, start

pytestmark = [
    pytest.mark.postgres,
    # Skipped before any database set-up on SQLite, where row locks do nothing.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]
N = 10


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``n`` threads released by one barrier; return results or errors."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def captured_payment(amount_minor: int, frozen: Any) -> Payment:
    payment = start(make_payer(), amount_minor=amount_minor)
    sandbox().card_pay(public_id=payment.provider_session_id, number="4242424242424242")
    frozen.shift(3)
    sandbox().outbox_deliver_due()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    return payment


def test_payment_start_same_key_concurrently_makes_one_payment_and_one_session() -> None:
    payer = make_payer()
    results = race(N, lambda _: start(payer, key="race-key", reference="CK-RACE").pk)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(set(results)) == 1
    assert Payment.objects.count() == 1
    assert SandboxSession.objects.count() == 1
    assert Disclosure.objects.count() == 1


def test_refund_same_key_concurrently_refunds_once(frozen, published) -> None:
    payment = captured_payment(10_000, frozen)
    published.clear()
    results = race(
        N,
        lambda _: (
            services.refund_create(
                payment=payment, amount_minor=4_000, idempotency_key="race-refund"
            ).pk
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(set(results)) == 1
    assert Refund.objects.count() == 1
    refund_events = [
        row
        for row in SandboxOutbox.objects.all()
        if json.loads(row.body)["type"] == "refund.succeeded"
    ]
    assert len(refund_events) == 1
    assert session_of(payment).refunded_minor == 4_000
    payment.refresh_from_db()
    assert payment.refunded_minor == 4_000
    assert published.counts() == {"RefundSucceeded": 1}


def test_concurrent_refunds_with_different_keys_never_exceed_the_capture(frozen) -> None:
    payment = captured_payment(10_000, frozen)
    results = race(
        N,
        lambda index: services.refund_create(
            payment=payment, amount_minor=2_000, idempotency_key=f"race-{index}"
        ),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    made = [r for r in results if isinstance(r, Refund)]
    assert (len(made), len(refused)) == (5, 5)
    payment.refresh_from_db()
    assert (payment.captured_minor, payment.refunded_minor) == (10_000, 10_000)
    assert sum(Refund.objects.values_list("amount_minor", flat=True)) == 10_000
    assert session_of(payment).refunded_minor == 10_000


def test_the_same_notification_delivered_concurrently_has_one_effect(frozen, published) -> None:
    payment = start(make_payer(), amount_minor=7_000)
    session = session_of(payment)
    body, headers = signed(
        sandbox_event(
            "payment.succeeded",
            session=session,
            event_id="evt_race",
            amount_minor=7_000,
            card_brand="visa",
            card_last4="4242",
        )
    )
    results = race(
        5,
        lambda _: services.webhook_receive(provider_name="sandbox", body=body, headers=headers),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(r is not None for r in results) == 1
    assert WebhookEvent.objects.count() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.captured_minor) == (Payment.Status.CAPTURED, 7_000)
    assert published.counts() == {"PaymentCaptured": 1}


def test_transfer_same_key_concurrently_pays_once(published) -> None:
    seller = factories.seller()
    seller.iban = "DE89370400440532013000"
    seller.save()
    results = race(
        N,
        lambda _: (
            services.transfer_create(
                seller=seller,
                amount_minor=3_000,
                currency="EUR",
                idempotency_key="race-payout",
                description="Payout",
            ).pk
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(set(results)) == 1
    assert Transfer.objects.count() == 1
    assert SandboxOutbox.objects.count() == 1
    assert published.counts() == {"TransferPaid": 1}
