"""The buyer's order page tells the order's story: an ordered list of steps, dates in <time>."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from recommerce.orders.models import Order
from recommerce.orders.services import delivery, fulfilment
from tests.orders.conftest import World, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
PAID = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)


def timeline(world: World, order: Order) -> tuple[list[str], list[str]]:
    """Return the timeline's steps as read (tags out, spaces collapsed), and its <time>s."""
    page = signed_in(world.buyer).get(reverse("orders:detail", kwargs={"number": order.number}))
    assert page.status_code == 200
    html = page.content.decode()
    section = re.search(
        r'<ol class="plain-list" aria-labelledby="timeline-title">(.*?)</ol>', html, re.S
    )
    assert section is not None, "the timeline is an ordered list"
    items = re.findall(r"<li>(.*?)</li>", section[1], re.S)
    read = [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item))).strip() for item in items]
    return read, re.findall(r'<time[^>]*datetime="([^"]+)"', section[1])


def make(world: World) -> Order:
    """A paid order promised between Friday 3 and Monday 6 April 2026."""
    order = world.make()
    Order.objects.filter(pk=order.pk).update(
        delivery_estimate_from=dt.date(2026, 4, 3), delivery_estimate_to=dt.date(2026, 4, 6)
    )
    return Order.objects.get(pk=order.pk)


def test_a_parcel_with_the_platforms_carrier_tells_each_step(world: World, settings) -> None:
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(PAID, tick=False):
        order = make(world)
    with time_machine.travel(PAID + dt.timedelta(hours=2), tick=False):
        fulfilment.order_accept(order=order, actor=world.side.owner)
    with time_machine.travel(PAID + dt.timedelta(hours=5), tick=False):
        order = fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    with time_machine.travel(PAID + dt.timedelta(hours=5 + 13), tick=False):
        fulfilment.order_tracking_refresh(order=order)
    steps, times = timeline(world, order)
    assert steps == [
        "Paid 1 Apr 2026, 08:00",
        "Accepted by Refurb Lyon 1 Apr 2026, 10:00",
        f"Shipped with Sandbox Parcel 1 Apr 2026, 13:00 Tracking number {order.tracking_number}",
        "Label created, waiting for the parcel 1 Apr 2026, 13:00",
        "Parcel picked up from the sender 1 Apr 2026, 15:00 Sender's depot",
        "In transit 2 Apr 2026, 01:00 National sorting centre",
        "Ahead Delivery expected between Friday 3 April 2026 and Monday 6 April 2026",
        "Ahead Delivered",
    ]
    assert times[:2] == ["2026-04-01T08:00:00+00:00", "2026-04-01T10:00:00+00:00"]
    assert times[-2:] == ["2026-04-03", "2026-04-06"]
    with time_machine.travel(PAID + dt.timedelta(hours=5 + 41), tick=False):
        fulfilment.order_tracking_refresh(order=order)
    steps, _ = timeline(world, order)
    assert steps[-3:] == [
        "Out for delivery 2 Apr 2026, 19:00 Local delivery office",
        "Delivery expected between Friday 3 April 2026 and Monday 6 April 2026",
        "Delivered 3 Apr 2026, 05:00 Reported by the carrier",
    ]


def test_a_parcel_with_the_sellers_own_carrier_gives_the_presumed_delivery_day(
    world: World, settings
) -> None:
    settings.TIME_ZONE = "UTC"
    settings.ORDERS_DELIVERY_PRESUMED_DAYS = 30
    with time_machine.travel(PAID, tick=False):
        order = make(world)
        fulfilment.order_ship(
            order=order,
            units=units_of(order),
            actor=world.side.owner,
            carrier_tracking="1Z 999 AA1",
            carrier_name="UPS",
        )
    steps, times = timeline(world, order)
    assert steps == [
        "Paid 1 Apr 2026, 08:00",
        "Accepted by Refurb Lyon 1 Apr 2026, 08:00",
        "Shipped with UPS 1 Apr 2026, 08:00 Tracking number 1Z 999 AA1",
        "Ahead Delivery expected between Friday 3 April 2026 and Monday 6 April 2026",
        "Ahead Without news from you, it counts as delivered on Friday 1 May 2026",
    ]
    assert times[-1] == "2026-05-01"
    with time_machine.travel(PAID + dt.timedelta(days=2), tick=False):
        delivery.order_confirm_received(order=order, actor=world.buyer)
    steps, _ = timeline(world, order)
    assert steps[-2:] == [
        "Delivery expected between Friday 3 April 2026 and Monday 6 April 2026",
        "Delivered 3 Apr 2026, 08:00 Confirmed by the buyer",
    ]


def test_an_order_waiting_for_the_seller_shows_what_comes_next(world: World, settings) -> None:
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(PAID, tick=False):
        order = make(world)
    steps, _ = timeline(world, order)
    assert steps == [
        "Paid 1 Apr 2026, 08:00",
        "Ahead To be accepted by Refurb Lyon",
        "Ahead To be shipped by Thursday 2 April 2026",
        "Ahead Delivery expected between Friday 3 April 2026 and Monday 6 April 2026",
        "Ahead Delivered",
    ]


def test_a_cancelled_order_ends_with_its_cancellation(world: World, settings) -> None:
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(PAID, tick=False):
        order = world.make()
    with time_machine.travel(PAID + dt.timedelta(hours=1), tick=False):
        fulfilment.order_cancel(order=order, actor=world.buyer, reason="Found it elsewhere")
    steps, _ = timeline(world, order)
    assert steps == [
        "Paid 1 Apr 2026, 08:00",
        "Cancelled 1 Apr 2026, 09:00 Found it elsewhere",
    ]
