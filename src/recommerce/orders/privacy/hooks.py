"""The orders' part in the rights engine: what holds back an erasure, who is told of one,
and the facts that prove who a person is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import dateformat

from recommerce.accounts import selectors as account_selectors
from recommerce.orders.models import Order
from recommerce.orders.providers.carrier import get_carrier
from recommerce.orders.providers.insurer import get_insurer
from recommerce.orders.selectors import (
    SELLER_ORDER_ROLES,
    order_delivery_due,
    order_review_by,
    order_ship_by,
)
from recommerce.platform.mail import send_templated
from recommerce.privacy.models import Disclosure
from recommerce.privacy.registry import Blocker, registry

OPEN_STATUSES = (
    Order.Status.HELD,
    Order.Status.PAID,
    Order.Status.ACCEPTED,
    Order.Status.SHIPPED,
)


def _day(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def _open_orders(user: Any) -> list[Blocker]:
    """Return one blocker per open order, each with the day it ends at the latest."""
    found = []
    orders = Order.objects.filter(buyer=user, status__in=OPEN_STATUSES).order_by("paid_at", "pk")
    for order in orders:
        due = order_delivery_due(order=order)
        day = _day(due) if due else ""
        if order.status == Order.Status.HELD:
            found.append(
                Blocker(
                    f"Order {order.number} is being checked before it goes to the seller.",
                    "when customer service releases or cancels it; if nobody has decided by "
                    f"{_day(order_review_by(order=order))}, it is cancelled and refunded the "
                    "next day",
                    due,
                )
            )
        elif order.status == Order.Status.SHIPPED:
            found.append(
                Blocker(
                    f"Order {order.number} is on its way to you.",
                    "when the carrier reports the delivery or you confirm it on the order's "
                    f"page (“I received it”), and on {day} at the latest",
                    due,
                )
            )
        else:
            found.append(
                Blocker(
                    f"Order {order.number} is waiting to be shipped by {order.seller.name}.",
                    "when it is cancelled or delivered; if it is not shipped by "
                    f"{_day(order_ship_by(order=order))}, it is cancelled and refunded; once "
                    f"shipped, it counts as delivered {settings.ORDERS_DELIVERY_PRESUMED_DAYS} "
                    f"days after dispatch at the latest (by {day})",
                    due,
                )
            )
    return found


def _tell_sellers(recipient: str, references: Sequence[str]) -> None:
    """Email the seller's order team: copies of these orders' buyer details must go."""
    orders = Order.objects.filter(number__in=references).select_related("seller")
    for seller in {order.seller for order in orders}:
        members = account_selectors.seller_members(seller=seller).filter(
            role__in=SELLER_ORDER_ROLES
        )
        send_templated(
            to=[m.user.email for m in members.select_related("user")],
            subject="A buyer's personal data was erased",
            template="orders/email/seller_erasure",
            context={
                "seller_name": seller.name,
                "numbers": sorted(o.number for o in orders if o.seller_id == seller.pk),
            },
        )


def _order_number_matches(user: Any, value: str) -> bool:
    return Order.objects.filter(buyer=user, number__iexact=value).exists()


registry.add_erasure_blocker(_open_orders)
registry.add_recipient_notifier(Disclosure.RecipientKind.SELLER, _tell_sellers)
registry.add_recipient_notifier(
    Disclosure.RecipientKind.CARRIER,
    lambda recipient, references: get_carrier().erasure_notify(references=references),
)
registry.add_recipient_notifier(
    Disclosure.RecipientKind.INSURER,
    lambda recipient, references: get_insurer().erasure_notify(references=references),
)
registry.add_identity_fact(
    "order_number", "The number of one of your orders", _order_number_matches
)
