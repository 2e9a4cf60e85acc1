"""Reconciliation under unreadable stored notifications (issue 14, section 6).

Rows an older version wrote, or ones edited by hand, hold facts that cannot be read back.
Reconciliation stopped at the first of them (a ``TypeError``), so no later notification
was applied and no waiting payment was asked about. The rows here are stored as such rows
really lie in the database; the good notification goes through ``webhook_receive``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from recommerce.payments import services
from recommerce.payments.models import Chargeback, Payment, SandboxOutbox, WebhookEvent
from recommerce.payments.selectors import webhook_events_set_aside, webhook_events_waiting
from recommerce.platform import clock
from tests.payments.conftest import (
    VISA_OK,
    pay_and_confirm,
    receive,
    sandbox,
    sandbox_event,
    session_of,
    start,
)

pytestmark = pytest.mark.django_db

# What bench/privacy.py wrote before it made rows like the platform's, beside other rows
# the platform cannot read: each with the reason a person is shown.
UNREADABLE: list[tuple[str, Any, str]] = [
    ("evt_old_shape", {"object": "pi_old"}, "The stored facts lack event_id, kind, provider_type."),
    ("evt_list", ["payment.succeeded"], "The stored facts are a list, not an object."),
    (
        "evt_type",
        {
            "event_id": "evt_type",
            "kind": "payment.succeeded",
            "provider_type": "x",
            "amount_minor": "12",
        },
        "The stored amount_minor is not a whole number.",
    ),
    (
        "evt_kind",
        {"event_id": "evt_kind", "kind": "payment.teleported", "provider_type": "x"},
        "The stored kind 'payment.teleported' is not one the platform knows.",
    ),
]


def _store_unreadable(received_at: dt.datetime) -> None:
    for event_id, payload, _ in UNREADABLE:
        row = WebhookEvent.objects.create(
            provider="sandbox",
            event_id=event_id,
            type="payment_intent.succeeded",
            object_id="pi_old",
            payload=payload,
        )
        # Older than the good one, so they come first in the queue.
        WebhookEvent.objects.filter(pk=row.pk).update(received_at=received_at)


def test_reconcile_sets_aside_unreadable_notifications_and_carries_on(
    payer, frozen, commit, published, caplog
) -> None:
    """Faults 6: a stored notification that cannot be read no longer stops reconciliation.

    Before: the first unreadable row raised a TypeError; the dispute kept after it was
    never applied and the payment whose confirmation was lost was never asked about.
    """
    _store_unreadable(clock.now() - dt.timedelta(minutes=5))
    payment = start(payer, amount_minor=12_000)
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number=VISA_OK)
    SandboxOutbox.objects.all().delete()  # the confirmation never arrives
    session = session_of(payment)
    # A dispute reported before the capture is known: kept, through the real storage path.
    kept = receive(
        sandbox_event(
            "dispute.opened",
            session=session,
            event_id="evt_dispute",
            object_id="dp_1",
            amount_minor=12_000,
            reason="fraudulent",
        )
    )
    assert kept is not None and kept.processed_at is None

    frozen.shift(90)
    with caplog.at_level(logging.WARNING, logger="recommerce.payments"), commit():
        moved = services.payments_reconcile()

    assert moved == 1
    payment.refresh_from_db()
    assert (payment.status, payment.captured_minor, payment.disputed_minor) == (
        Payment.Status.CAPTURED,
        12_000,
        12_000,
    )
    assert Chargeback.objects.get().provider_dispute_id == "dp_1"
    assert WebhookEvent.objects.get(event_id="evt_dispute").processed_at == clock.now()
    errors = dict(webhook_events_set_aside().values_list("event_id", "error"))
    assert errors == {event_id: reason for event_id, _, reason in UNREADABLE}
    assert not WebhookEvent.objects.filter(event_id__in=errors, processed_at__isnull=False).exists()
    assert list(webhook_events_waiting()) == []
    logged = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert logged == [
        f"Stored sandbox notification {event_id} (payment_intent.succeeded) cannot be read "
        f"and is set aside: {reason}"
        for event_id, _, reason in UNREADABLE
    ]
    assert published.counts() == {"PaymentCaptured": 1, "ChargebackOpened": 1}

    # Set aside means not read again: the next run neither logs nor retries them.
    caplog.clear()
    frozen.shift(60)
    with caplog.at_level(logging.WARNING, logger="recommerce.payments"), commit():
        assert services.payments_reconcile() == 0
    assert [r for r in caplog.records if "set aside" in r.getMessage()] == []
    assert dict(webhook_events_set_aside().values_list("event_id", "error")) == errors


def test_an_unreadable_row_about_the_payment_does_not_stop_its_capture(
    payer, frozen, commit, published
) -> None:
    """Faults 6: a capture applies the refunds and disputes kept for it; an unreadable one
    among them is set aside and the capture and the readable ones still go through."""
    payment = start(payer, amount_minor=8_000)
    session = session_of(payment)
    bad = WebhookEvent.objects.create(
        provider="sandbox",
        event_id="evt_no_id",
        type="refund.succeeded",
        object_id="re_1",
        payload={"kind": "refund.succeeded", "payment_id": session.payment_intent_id},
    )
    receive(
        sandbox_event(
            "dispute.opened", session=session, object_id="dp_2", amount_minor=3_000, reason="x"
        )
    )

    payment = pay_and_confirm(payment, frozen, commit)

    assert (payment.status, payment.disputed_minor) == (Payment.Status.CAPTURED, 3_000)
    bad.refresh_from_db()
    assert (bad.processed_at, bad.error) == (None, "The stored facts lack event_id, provider_type.")
    assert published.counts() == {"PaymentCaptured": 1, "ChargebackOpened": 1}


def test_a_payment_is_asked_about_after_a_minute_and_the_least_recently_asked_first(
    payer, frozen, commit
) -> None:
    """Faults 6: reconciliation asks about a waiting payment after a minute, not ten, in a
    bounded batch that reaches every payment in turn."""
    first = start(payer, reference="CK-A")
    frozen.shift(30)
    second = start(payer, reference="CK-B")

    frozen.shift(31)  # first is 61 s old, second 31 s
    with commit():
        services.payments_reconcile(limit=1)
    asked = dict(Payment.objects.values_list("reference", "provider_checked_at"))
    assert asked == {"CK-A": clock.now(), "CK-B": None}

    frozen.shift(50)  # both due: the never-asked one goes first
    with commit():
        services.payments_reconcile(limit=1)
    assert Payment.objects.get(pk=second.pk).provider_checked_at == clock.now()
    assert Payment.objects.get(pk=first.pk).provider_checked_at == clock.now() - dt.timedelta(
        seconds=50
    )

    frozen.shift(2 * 60 * 60)  # past the first hour: asked every ten minutes only
    with commit():
        services.payments_reconcile()
    checked = clock.now()
    frozen.shift(5 * 60)
    with commit():
        services.payments_reconcile()
    assert set(Payment.objects.values_list("provider_checked_at", flat=True)) == {checked}
