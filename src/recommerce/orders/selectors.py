"""Reads of orders: a buyer's own, a seller's own (never held ones), staff's review queue.

Each getter answers ``None`` for an order the reader may not see, so pages and the API
answer 404 alike for "not yours" and "does not exist".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from recommerce.accounts.models import Seller, SellerApiKey, SellerMembership, User
from recommerce.orders.models import InsurancePolicy, Order, OrderLine, UnitIdentifier
from recommerce.orders.providers.carrier import TrackingCode, get_carrier
from recommerce.payments.models import Refund
from recommerce.platform.calendar import add_business_days

# What each seller tab lists; held orders are never among them (SHARE-1).
SELLER_TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "": ("All", ()),
    "new": ("To accept", (Order.Status.PAID,)),
    "accepted": ("To ship", (Order.Status.ACCEPTED,)),
    "shipped": ("Shipped", (Order.Status.SHIPPED,)),
    "delivered": ("Delivered", (Order.Status.DELIVERED,)),
    "cancelled": ("Cancelled", (Order.Status.CANCELLED,)),
}
STAFF_PERMISSION = "orders.change_order"
SELLER_ORDER_ROLES = frozenset({SellerMembership.Role.OWNER, SellerMembership.Role.ORDERS})
SELLER_VISIBLE = tuple(s for s in Order.Status.values if s != Order.Status.HELD)


def _with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("seller").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine.objects.prefetch_related(
                Prefetch("policies", queryset=InsurancePolicy.objects.order_by("id")),
                Prefetch("units", queryset=UnitIdentifier.objects.order_by("position")),
            ),
        ),
        "tracking_events",
    )


def buyer_order_list(*, user: User) -> QuerySet[Order]:
    """Return the person's orders, newest first."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(buyer=user).select_related("seller")


def buyer_order_get(*, user: User, number: str) -> Order | None:
    """Return the person's order ``number`` with its lines, policies and tracking."""
    if not user.is_authenticated:
        return None
    return _with_details(Order.objects.filter(buyer=user, number=number)).first()


def buyer_order_find(*, user: User, number: str) -> Order | None:
    """Return the person's order ``number`` alone (with its seller), for an action on it."""
    if not user.is_authenticated:
        return None
    return Order.objects.filter(buyer=user, number=number).select_related("seller").first()


def seller_order_list(*, seller: Seller, status: str = "") -> QuerySet[Order]:
    """Return the seller's orders in one tab of ``SELLER_TABS`` (all visible ones for "")."""
    statuses = SELLER_TABS.get(status, SELLER_TABS[""])[1] or SELLER_VISIBLE
    return Order.objects.filter(seller=seller, status__in=statuses).prefetch_related("lines")


def seller_order_get(*, seller: Seller, number: str) -> Order | None:
    """Return the seller's order ``number``, unless it is held for review."""
    return (
        Order.objects.filter(seller=seller, number=number, status__in=SELLER_VISIBLE)
        .prefetch_related("lines")
        .first()
    )


def held_order_list() -> QuerySet[Order]:
    """Return the orders waiting for staff review, oldest first."""
    return (
        Order.objects.filter(status=Order.Status.HELD)
        .select_related("seller")
        .order_by("paid_at", "id")
    )


def held_order_get(*, number: str) -> Order | None:
    """Return the held order ``number`` with its lines."""
    return held_order_list().filter(number=number).prefetch_related("lines").first()


def order_policy_get(*, order: Order, policy_number: str) -> InsurancePolicy | None:
    """Return the order's active policy ``policy_number``."""
    if not policy_number:
        return None
    return InsurancePolicy.objects.filter(
        line__order=order, policy_number=policy_number, status=InsurancePolicy.Status.ACTIVE
    ).first()


def order_refund_pending_minor(*, order: Order) -> int:
    """Return what refunds started for the order and not yet confirmed add up to."""
    pending = Refund.objects.filter(
        payment_id=order.payment_id, context=order.number, status=Refund.Status.PENDING
    ).aggregate(total=Sum("amount_minor"))["total"]
    return int(pending or 0)


def order_refundable_minor(*, order: Order) -> int:
    """Return what can still be refunded on the order: total - refunded - pending."""
    return max(
        0, order.total_minor - order.refunded_minor - order_refund_pending_minor(order=order)
    )


def order_refunds(*, order: Order) -> QuerySet[Refund]:
    """Return the refunds started for the order, newest first."""
    return Refund.objects.filter(payment_id=order.payment_id, context=order.number)


def orders_to_track() -> QuerySet[Order]:
    """Return the shipped orders whose parcel the carrier can still report on."""
    return Order.objects.filter(status=Order.Status.SHIPPED).exclude(tracking_number="")


# --- Who may act on an order ------------------------------------------------------------------


def is_order_staff(actor: Any) -> bool:
    """Tell whether ``actor`` is staff allowed to act on any order."""
    return (
        isinstance(actor, User)
        and actor.is_active
        and actor.is_staff
        and actor.has_perm(STAFF_PERMISSION)
    )


def is_order_seller(*, order: Order, actor: Any) -> bool:
    """Tell whether ``actor`` acts for the order's seller (an order role, or its API key)."""
    if isinstance(actor, SellerApiKey):
        return actor.seller_id == order.seller_id and actor.revoked_at is None
    if not isinstance(actor, User) or not actor.is_authenticated:
        return False
    return SellerMembership.objects.filter(
        seller_id=order.seller_id, user=actor, role__in=SELLER_ORDER_ROLES
    ).exists()


def order_actor_capacities(*, order: Order, actor: Any) -> set[str]:
    """Return in which capacities ``actor`` may act on ``order``: buyer, seller, staff.

    A seller has no part in an order held for review (SHARE-1).
    """
    found = set()
    if isinstance(actor, User) and order.buyer_id is not None and order.buyer_id == actor.pk:
        found.add("buyer")
    if order.status != Order.Status.HELD and is_order_seller(order=order, actor=actor):
        found.add("seller")
    if is_order_staff(actor):
        found.add("staff")
    return found


def order_delivery_due(*, order: Order) -> dt.date | None:
    """Return the last day an open order can stay undelivered, or ``None`` once settled.

    A shipped parcel counts as delivered ``ORDERS_DELIVERY_PRESUMED_DAYS`` after dispatch
    at the latest; one not shipped yet (or held for review) is shipped by
    ``order_ship_by`` or cancelled, so that many days after that day.
    """
    presumed = dt.timedelta(days=settings.ORDERS_DELIVERY_PRESUMED_DAYS)
    if order.status == Order.Status.SHIPPED and order.shipped_at is not None:
        return timezone.localdate(order.shipped_at + presumed)
    if order.status in (Order.Status.HELD, Order.Status.PAID, Order.Status.ACCEPTED):
        return order_ship_by(order=order) + presumed
    return None


def order_ship_by(*, order: Order) -> dt.date:
    """Return the last day the seller may ship: after it, the order is cancelled.

    ``ORDERS_UNSHIPPED_CANCEL_DAYS`` after the dispatch deadline the offers promised.
    """
    days = dt.timedelta(days=settings.ORDERS_UNSHIPPED_CANCEL_DAYS)
    return order_dispatch_deadline(order=order) + days


def order_review_by(*, order: Order) -> dt.date:
    """Return the last day staff may decide on a held order: after it, it is cancelled."""
    return timezone.localdate(order.paid_at) + dt.timedelta(days=settings.ORDERS_REVIEW_DAYS)


def orders_lapsed_candidates(*, now: dt.datetime) -> QuerySet[Order]:
    """Return the orders that may have waited past their end by ``now``: held past the
    review period, or paid or accepted for at least the shortest shipping window.

    The caller checks each against ``order_review_by`` / ``order_ship_by``, which depend
    on the offers' dispatch days.
    """
    review = dt.timedelta(days=settings.ORDERS_REVIEW_DAYS)
    # The dispatch deadline is at least one day after payment.
    shortest = dt.timedelta(days=settings.ORDERS_UNSHIPPED_CANCEL_DAYS + 1)
    return Order.objects.filter(
        Q(status=Order.Status.HELD, paid_at__lt=now - review)
        | Q(status__in=(Order.Status.PAID, Order.Status.ACCEPTED), paid_at__lt=now - shortest)
    ).order_by("pk")


def orders_presumed_delivered_due(*, now: dt.datetime) -> QuerySet[Order]:
    """Return the shipped orders whose delivery period has run out by ``now``."""
    cutoff = now - dt.timedelta(days=settings.ORDERS_DELIVERY_PRESUMED_DAYS)
    return Order.objects.filter(status=Order.Status.SHIPPED, shipped_at__lte=cutoff).order_by("pk")


def order_dispatch_deadline(*, order: Order) -> dt.date:
    """Return the last day to ship on time: the offers' dispatch days, in business days."""
    days = max(
        (line.offer.dispatch_days for line in order.lines.select_related("offer")), default=1
    )
    return add_business_days(timezone.localdate(order.paid_at), days)


def order_unit_identifiers(*, order: Order) -> list[UnitIdentifier]:
    """Return the IMEI or serial number of each unit shipped, by line then unit."""
    return list(
        UnitIdentifier.objects.filter(line__order=order)
        .select_related("line")
        .order_by("line_id", "position")
    )


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One step of an order's life as its buyer reads it.

    ``at`` is a moment that happened; ``day``/``day_to`` a day (or window) to come or
    promised; ``done`` tells a step that happened from one still ahead.
    """

    code: str
    label: str
    detail: str = ""
    at: dt.datetime | None = None
    day: dt.date | None = None
    day_to: dt.date | None = None
    done: bool = True


def order_timeline(*, order: Order) -> list[TimelineStep]:
    """Return the order's steps, oldest first, then those still ahead.

    Paid, accepted, shipped (carrier and number), each step the carrier reported, the
    delivery window promised at purchase, and delivered (and on whose word). A parcel sent
    with the seller's own carrier brings no news, so its step says on which day it will
    count as delivered (``order_delivery_due``).
    """
    status = order.status
    steps = [TimelineStep("paid", "Paid", at=order.paid_at)]
    if status == Order.Status.HELD:
        steps.append(TimelineStep("held", "Being checked before it goes to the seller", done=False))
    if order.accepted_at:
        steps.append(
            TimelineStep("accepted", f"Accepted by {order.seller.name}", at=order.accepted_at)
        )
    if order.shipped_at:
        steps.append(
            TimelineStep(
                "shipped",
                f"Shipped with {order.carrier}",
                f"Tracking number {order.tracking_number}" if order.tracking_number else "",
                at=order.shipped_at,
            )
        )
        for event in order.tracking_events.all():
            if event.code != TrackingCode.DELIVERED:  # the delivered step says it
                steps.append(
                    TimelineStep(
                        event.code, event.description, event.location, at=event.occurred_at
                    )
                )
    if status == Order.Status.CANCELLED:
        steps.append(
            TimelineStep("cancelled", "Cancelled", order.cancel_reason, at=order.cancelled_at)
        )
        return steps
    if not order.accepted_at and status != Order.Status.HELD:
        steps.append(TimelineStep("accepted", f"To be accepted by {order.seller.name}", done=False))
    if not order.shipped_at:
        steps.append(
            TimelineStep(
                "shipped", "To be shipped by", day=order_dispatch_deadline(order=order), done=False
            )
        )
    steps.append(
        TimelineStep(
            "expected",
            "Delivery expected between",
            day=order.delivery_estimate_from,
            day_to=order.delivery_estimate_to,
            done=status == Order.Status.DELIVERED,
        )
    )
    if status == Order.Status.DELIVERED:
        steps.append(
            TimelineStep(
                "delivered", "Delivered", order.get_delivered_by_display(), at=order.delivered_at
            )
        )
    elif status == Order.Status.SHIPPED and order.carrier != get_carrier().name:
        steps.append(
            TimelineStep(
                "delivery_due",
                "Without news from you, it counts as delivered on",
                day=order_delivery_due(order=order),
                done=False,
            )
        )
    else:
        steps.append(TimelineStep("delivered", "Delivered", done=False))
    return steps
