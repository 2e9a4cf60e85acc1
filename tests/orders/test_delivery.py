"""Every shipped order ends delivered: by the carrier, by the buyer, or presumed.

Hardening 4.2: an order shipped with the seller's own carrier never became delivered, so a
buyer's erasure waited on it forever. Hardening 5.7: the delivered email promised "30 days"
and pointed at things the order page does not have.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommerce.orders.models import Order
from recommerce.orders.services import delivery, fulfilment
from recommerce.orders.tasks import delivery_presume
from recommerce.privacy.models import ErasureRecord
from recommerce.privacy.services.erasure import erasure_blocker_list, erasure_run, erasure_start
from tests.orders.conftest import World, outbox_to, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
Status = Order.Status
SHIPPED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def shipped_by_own_carrier(world: World, capture: Any) -> Order:
    """An order the seller sent with its own carrier, which the platform never hears from."""
    order = world.make()
    with time_machine.travel(SHIPPED_AT, tick=False), capture(execute=True):
        fulfilment.order_ship(
            order=order,
            units=units_of(order),
            actor=world.side.owner,
            carrier_tracking="1Z 999 AA1",
            carrier_name="UPS",
        )
    mail.outbox.clear()
    return Order.objects.get(pk=order.pk)


# --- The buyer's word -------------------------------------------------------------------------


def test_the_buyer_confirms_receipt_and_the_order_is_delivered(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: "I received it" ends a parcel the platform hears nothing about."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)
    moment = SHIPPED_AT + dt.timedelta(days=3)

    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        delivery.order_confirm_received(order=order, actor=world.buyer)

    order.refresh_from_db()
    assert (order.status, order.delivered_at, order.delivered_by) == (
        Status.DELIVERED,
        moment,
        Order.DeliveredBy.BUYER,
    )
    (sent,) = outbox_to(world.buyer.email)
    assert sent.subject == f"Recommerce: Your order {order.number} is delivered"
    assert "Thank you for confirming" in sent.body


@pytest.mark.parametrize("who", ["seller", "other buyer", "staff"])
def test_only_the_buyer_may_confirm_receipt(
    world: World, django_capture_on_commit_callbacks: Any, who: str
):
    """Hardening 4.2: nobody else can declare the buyer's parcel delivered."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)
    actor = {"seller": world.side.owner, "other buyer": world.other_buyer, "staff": world.staff}

    with pytest.raises(PermissionError):
        delivery.order_confirm_received(order=order, actor=actor[who])

    order.refresh_from_db()
    assert (order.status, order.delivered_at, order.delivered_by) == (Status.SHIPPED, None, "")
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Status.PAID, Status.ACCEPTED, Status.CANCELLED])
def test_an_order_not_on_its_way_cannot_be_confirmed(world: World, status: str):
    """Hardening 4.2: receipt is confirmed only for a shipped parcel."""
    order = world.make(status=status)

    with pytest.raises(ValidationError, match="only a shipped order"):
        delivery.order_confirm_received(order=order, actor=world.buyer)

    assert Order.objects.get(pk=order.pk).status == status


def test_receipt_is_confirmed_once(world: World, django_capture_on_commit_callbacks: Any):
    """Hardening 4.2: a second click changes nothing and sends nothing."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.order_confirm_received(order=order, actor=world.buyer)
    first = Order.objects.get(pk=order.pk).delivered_at
    mail.outbox.clear()

    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        delivery.order_confirm_received(order=order, actor=world.buyer)

    assert Order.objects.get(pk=order.pk).delivered_at == first
    assert mail.outbox == []


def test_the_order_page_offers_i_received_it_and_it_works(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: the buyer's order page has the button, with the presumed date."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)
    client = signed_in(world.buyer)
    url = reverse("orders:detail", kwargs={"number": order.number})

    page = client.get(url).content.decode()
    assert "I received it" in page
    assert "counts as delivered on 1 April 2026" in page  # 30 days after 2 March

    response = client.post(reverse("orders:received", kwargs={"number": order.number}))

    assert response.status_code == 302 and response["Location"] == url
    assert Order.objects.get(pk=order.pk).delivered_by == Order.DeliveredBy.BUYER
    assert "I received it" not in client.get(url).content.decode()


def test_another_person_cannot_confirm_receipt_on_the_web(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: someone else's order answers 404 and stays shipped."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)

    response = signed_in(world.other_buyer).post(
        reverse("orders:received", kwargs={"number": order.number})
    )

    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == Status.SHIPPED


def test_the_api_confirms_receipt_for_the_buyer_only(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: the app does what the page does (PLAT-3)."""
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)
    url = f"/api/v1/orders/{order.number}/received"

    detail = signed_in(world.buyer).get(f"/api/v1/orders/{order.number}").json()
    assert (detail["can_confirm_received"], detail["delivery_due_on"]) == (True, "2026-04-01")
    assert (
        signed_in(world.other_buyer).post(url, content_type="application/json").status_code == 404
    )
    assert Order.objects.get(pk=order.pk).status == Status.SHIPPED

    answer = signed_in(world.buyer).post(url, content_type="application/json")

    assert answer.status_code == 200, answer.content
    body = json.loads(answer.content)
    assert (body["status"], body["delivered_by"], body["can_confirm_received"]) == (
        "delivered",
        "buyer",
        False,
    )
    again = signed_in(world.buyer).post(url, content_type="application/json")
    assert again.status_code == 400
    assert "only a shipped order" in again.content.decode()


# --- Presumed delivery ------------------------------------------------------------------------


def test_a_parcel_nobody_reports_on_is_presumed_delivered_after_the_period(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
):
    """Hardening 4.2: the periodic task ends the wait ``ORDERS_DELIVERY_PRESUMED_DAYS`` on."""
    settings.ORDERS_DELIVERY_PRESUMED_DAYS = 10
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)

    with (
        time_machine.travel(SHIPPED_AT + dt.timedelta(days=9, hours=23), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert delivery_presume.call_local() == 0
    assert Order.objects.get(pk=order.pk).status == Status.SHIPPED
    assert mail.outbox == []

    with (
        time_machine.travel(SHIPPED_AT + dt.timedelta(days=12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert delivery_presume.call_local() == 1
        assert delivery_presume.call_local() == 0  # once

    order.refresh_from_db()
    assert (order.status, order.delivered_at, order.delivered_by) == (
        Status.DELIVERED,
        SHIPPED_AT + dt.timedelta(days=10),
        Order.DeliveredBy.PRESUMED,
    )
    (sent,) = outbox_to(world.buyer.email)
    assert "no news of your order" in sent.body and "in the 10 days since" in sent.body
    assert "If it has not arrived, reply to this email." in sent.body


def test_the_carrier_still_delivers_its_own_parcels(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 4.2: a carrier's report records who said so."""
    order = world.make()
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    with (
        time_machine.travel(dt.timedelta(days=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        fulfilment.order_tracking_refresh(order=order)

    order.refresh_from_db()
    assert (order.status, order.delivered_by) == (Status.DELIVERED, Order.DeliveredBy.CARRIER)


# --- Erasure no longer waits forever ----------------------------------------------------------


def test_p_right_3_an_erasure_behind_an_own_carrier_parcel_says_when_it_ends_and_goes_through(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
):
    """Hardening 4.2: the blocker names its last day, and the erasure happens after it.

    promise: RIGHT-3
    """
    settings.ORDERS_DELIVERY_PRESUMED_DAYS = 10
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)

    with time_machine.travel(SHIPPED_AT + dt.timedelta(days=1), tick=False):
        (blocker,) = erasure_blocker_list(user=world.buyer)
        record = erasure_start(user=world.buyer)
    assert blocker.until == dt.date(2026, 3, 12)
    assert blocker.reason == f"Order {order.number} is on its way to you."
    assert "on 12 March 2026 at the latest" in blocker.ends
    assert record.status == ErasureRecord.Status.POSTPONED
    assert record.blockers == [str(blocker)]

    with (
        time_machine.travel(SHIPPED_AT + dt.timedelta(days=10, hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery_presume.call_local()
        record = erasure_run(record=record)

    assert record.status == ErasureRecord.Status.DONE
    assert Order.objects.get(pk=order.pk).buyer_id is None


def test_p_right_3_an_order_waiting_for_dispatch_gives_its_latest_day(world: World):
    """Hardening 4.2: before shipping, the end is the last day to ship plus the period.

    promise: RIGHT-3
    """
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        order = world.make()
        (blocker,) = erasure_blocker_list(user=world.buyer)

    assert blocker.reason == f"Order {order.number} is waiting to be shipped by Refurb Lyon."
    # Dispatch due Tuesday 3 March (one business day); unshipped, cancelled after 10 March;
    # shipped on that day at the latest, delivered 30 days later.
    assert blocker.until == dt.date(2026, 4, 9)
    assert "if it is not shipped by 10 March 2026, it is cancelled and refunded" in blocker.ends
    assert "(by 9 April 2026)" in blocker.ends


# --- The delivered email (5.7) ----------------------------------------------------------------


def test_the_delivered_email_gives_the_sellers_return_period_and_only_what_the_page_has(
    world: World, django_capture_on_commit_callbacks: Any
):
    """Hardening 5.7: the number of days comes from the seller's terms, not a fixed 30."""
    world.side.seller.return_days = 45
    world.side.seller.save(update_fields=["return_days"])
    order = shipped_by_own_carrier(world, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        delivery.order_confirm_received(order=order, actor=world.buyer)

    (sent,) = outbox_to(world.buyer.email)
    assert "Under Refurb Lyon's terms you have 45 days from delivery to return it." in sent.body
    assert "30 days" not in sent.body
    # Nothing the order page does not offer: no damage report, no "everything".
    assert "transit damage" not in sent.body and "Everything is" not in sent.body
    assert "each device's warranty and has your invoices" in sent.body
