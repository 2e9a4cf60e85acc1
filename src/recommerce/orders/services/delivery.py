"""Delivery: reported by the carrier, confirmed by the buyer, or presumed after a period.

A parcel sent with the seller's own carrier brings no news to the platform, so waiting for
the carrier alone would leave such an order shipped forever, and with it everything that
waits for delivery (the return period, a buyer's erasure). Every shipped order therefore
ends delivered: on the carrier's word (``order_tracking_refresh``), on the buyer's
(``order_confirm_received``), or ``ORDERS_DELIVERY_PRESUMED_DAYS`` after dispatch
(``orders_presume_delivered``, run by a periodic task).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from recommerce.orders import selectors
from recommerce.orders.models import Order
from recommerce.orders.services.fulfilment import Actor, _locked, _mail_buyer, _refused, _require
from recommerce.platform import clock

logger = logging.getLogger(__name__)
Status = Order.Status


def order_delivered_record(order: Order, *, at: dt.datetime, by: str) -> Order:
    """Mark a locked, shipped order delivered and tell the buyer what follows.

    The email gives the seller's return period, counted from ``at``.
    """
    order.status = Status.DELIVERED
    order.delivered_at = at
    order.delivered_by = by
    order.save(update_fields=["status", "delivered_at", "delivered_by", "updated_at"])
    _mail_buyer(
        order,
        f"Your order {order.number} is delivered",
        "orders/emails/delivered",
        return_days=order.seller.return_days,
        presumed_days=settings.ORDERS_DELIVERY_PRESUMED_DAYS,
    )
    return order


@transaction.atomic
def order_confirm_received(*, order: Order, actor: Actor) -> Order:
    """Record the buyer's word that the parcel arrived ("I received it")."""
    order = _locked(order)
    _require(order, actor, "buyer", doing="confirm the delivery of")
    if order.status != Status.SHIPPED:
        raise _refused(order, "only a shipped order can be confirmed as received.")
    return order_delivered_record(order, at=clock.now(), by=Order.DeliveredBy.BUYER)


def orders_presume_delivered() -> int:
    """Mark delivered every parcel still shipped at the end of its delivery period.

    The delivery date is the period's last day, so the outcome does not depend on when the
    task runs; each order is its own transaction, so one failure does not stop the rest.
    """
    presumed = dt.timedelta(days=settings.ORDERS_DELIVERY_PRESUMED_DAYS)
    done = 0
    for pk in selectors.orders_presumed_delivered_due(now=clock.now()).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().get(pk=pk)
                if order.status != Status.SHIPPED or order.shipped_at is None:
                    continue  # the carrier or the buyer came first
                order_delivered_record(
                    order, at=order.shipped_at + presumed, by=Order.DeliveredBy.PRESUMED
                )
        except Exception:  # logged; the next run tries again
            logger.exception("Presuming the delivery of order %s failed.", pk)
            continue
        done += 1
    return done
