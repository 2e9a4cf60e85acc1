"""Orders nobody moved end too: held past review, or not shipped in time, are cancelled.

Hardening 4.2: every blocker of an erasure has an end. An order held for review waited
for staff with no date, and a paid order the seller never shipped waited forever; with
them, the buyer's money and the buyer's erasure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from recommerce.orders.models import Order
from recommerce.orders.services import fulfilment
from recommerce.orders.tasks import cancel_lapsed
from recommerce.payments.models import Refund
from recommerce.privacy.models import ErasureRecord
from recommerce.privacy.services.erasure import erasure_blocker_list, erasure_run, erasure_start
from tests.orders.conftest import RefundRecorder, World, outbox_to, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
Status = Order.Status
# Monday 2 March 2026: one dispatch day puts the deadline on Tuesday 3 March.
PAID_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=dt.UTC)


def run_task(moment: dt.datetime, capture: Any) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        done: int = cancel_lapsed.call_local()
    return done


def stock(world: World) -> int:
    world.side.offer.refresh_from_db()
    return int(world.side.offer.stock)


def test_an_order_not_shipped_by_its_last_day_is_cancelled_and_refunded(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: seven days after the dispatch deadline, the wait is over."""
    order = world.make(paid_at=PAID_AT, shipping_minor=990)
    before = stock(world)

    # 10 March is the last day to ship: nothing happens on it.
    assert run_task(at(10, 22), django_capture_on_commit_callbacks) == 0
    assert Order.objects.get(pk=order.pk).status == Status.PAID
    assert refunds.calls == []

    assert run_task(at(11, 1), django_capture_on_commit_callbacks) == 1

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.cancel_reason == "Not shipped in time, so cancelled automatically"
    assert refunds.calls == [
        {
            "amount_minor": order.total_minor,
            "key": f"cancel-{order.number}",
            "reason": Refund.Reason.NOT_SHIPPED,
            "context": order.number,
        }
    ]
    assert stock(world) == before + 1
    (to_buyer,) = outbox_to(world.buyer.email)
    assert "Not shipped in time" in to_buyer.body and "refund" in to_buyer.body
    (to_seller,) = outbox_to(world.side.owner.email)
    assert "do not ship it" in to_seller.body


def test_an_accepted_order_lapses_like_a_paid_one_and_slower_offers_get_longer(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: the offers' own dispatch days set the deadline the week counts from."""
    world.side.offer.dispatch_days = 3
    world.side.offer.save(update_fields=["dispatch_days"])
    order = world.make(paid_at=PAID_AT, status=Status.ACCEPTED)

    # Three business days: Thursday 5 March; plus seven days: 12 March.
    assert run_task(at(12, 22), django_capture_on_commit_callbacks) == 0
    assert Order.objects.get(pk=order.pk).status == Status.ACCEPTED
    assert run_task(at(13), django_capture_on_commit_callbacks) == 1
    assert Order.objects.get(pk=order.pk).status == Status.CANCELLED
    assert [c["reason"] for c in refunds.calls] == [Refund.Reason.NOT_SHIPPED]


def test_a_shipped_or_cancelled_order_is_left_alone(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: only orders still waiting lapse; the seller shipping late counts."""
    late = world.make(paid_at=PAID_AT)
    with time_machine.travel(at(9), tick=False), django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_ship(
            order=late,
            units=units_of(late),
            actor=world.side.owner,
            carrier_tracking="1Z 999 AA1",
            carrier_name="UPS",
        )
    cancelled = world.make(paid_at=PAID_AT, status=Status.CANCELLED)
    mail.outbox.clear()

    assert run_task(at(20), django_capture_on_commit_callbacks) == 0

    assert Order.objects.get(pk=late.pk).status == Status.SHIPPED
    assert Order.objects.get(pk=cancelled.pk).status == Status.CANCELLED
    assert refunds.calls == [] and mail.outbox == []


def test_a_held_order_nobody_reviews_is_cancelled_after_the_review_period(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: a review has three days; the seller never hears of the order."""
    order = world.make(paid_at=PAID_AT, status=Status.HELD)

    assert run_task(at(5, 22), django_capture_on_commit_callbacks) == 0
    assert Order.objects.get(pk=order.pk).status == Status.HELD

    assert run_task(at(6, 1), django_capture_on_commit_callbacks) == 1

    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (
        Status.CANCELLED,
        "Not reviewed in time, so cancelled automatically",
    )
    assert [c["reason"] for c in refunds.calls] == [Refund.Reason.REVIEW_LAPSED]
    assert len(outbox_to(world.buyer.email)) == 1
    assert outbox_to(world.side.owner.email) == []  # held orders stay hidden from the seller


def test_a_failed_refund_leaves_the_order_open_for_the_next_run(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: one order failing rolls back alone; the others still end."""
    failing = world.make(paid_at=PAID_AT)
    other = world.make(paid_at=PAID_AT)
    real_refund = fulfilment._refund

    def refuse_first(order: Order, **kwargs: Any) -> Refund:
        if order.pk == failing.pk:
            raise RuntimeError("provider down")
        return real_refund(order, **kwargs)

    monkeypatch.setattr(fulfilment, "_refund", refuse_first)

    assert run_task(at(11), django_capture_on_commit_callbacks) == 1

    assert Order.objects.get(pk=failing.pk).status == Status.PAID
    assert not Refund.objects.filter(idempotency_key=f"cancel-{failing.number}").exists()
    assert Order.objects.get(pk=other.pk).status == Status.CANCELLED

    monkeypatch.setattr(fulfilment, "_refund", real_refund)
    assert run_task(at(11, 10), django_capture_on_commit_callbacks) == 1
    assert Order.objects.get(pk=failing.pk).status == Status.CANCELLED


def test_p_right_3_a_held_order_gives_its_end_and_the_erasure_follows_it(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: the held order's blocker names the review's last day; once the order
    has lapsed, the postponed erasure goes through.

    promise: RIGHT-3
    """
    with time_machine.travel(PAID_AT, tick=False):
        order = world.make(paid_at=PAID_AT, status=Status.HELD)
        (blocker,) = erasure_blocker_list(user=world.buyer)
        record = erasure_start(user=world.buyer)

    assert blocker.reason == f"Order {order.number} is being checked before it goes to the seller."
    assert "if nobody has decided by 5 March 2026, it is cancelled and refunded" in blocker.ends
    # Released on the last day, it would still have until 10 March to ship, then 30 days.
    assert blocker.until == dt.date(2026, 4, 9)
    assert record.status == ErasureRecord.Status.POSTPONED

    run_task(at(6), django_capture_on_commit_callbacks)
    with time_machine.travel(at(6, 10), tick=False):
        record = erasure_run(record=record)

    assert record.status == ErasureRecord.Status.DONE
    assert Order.objects.get(pk=order.pk).buyer_id is None


def test_the_seller_sees_the_day_to_ship_by_and_the_day_the_order_lapses(world: World):
    """Hardening 4.2: the seller is told both days before the order is taken away."""
    order = world.make(paid_at=PAID_AT)
    url = reverse("seller_orders:detail", kwargs={"number": order.number})

    with time_machine.travel(at(2, 10), tick=False):
        page = signed_in(world.side.owner).get(url).content.decode()

    assert "Ship by <strong>Tuesday 3 March</strong>" in page
    assert "Not shipped by 10 March, the order is cancelled and the buyer refunded." in page
