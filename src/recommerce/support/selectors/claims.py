"""Reads of claims: a buyer's, a seller's, customer service's queue, and what an order may
still be claimed for.

A claim is read through whoever asks: ``claim_get_for_*`` answer ``None`` for a claim that
is not theirs, which the pages and the API turn into a 404. A seller never sees a claim on
an order held for review (SHARE-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from recommerce.accounts.models import Seller, User
from recommerce.orders.models import Order, OrderLine
from recommerce.platform import clock
from recommerce.support import deadlines
from recommerce.support.models import Claim, ClaimEvent

Status = Claim.Status
SLA_ON_TIME, SLA_DUE_TODAY, SLA_LATE = "on_time", "due_today", "late"
SLA_LABELS = {SLA_ON_TIME: "On time", SLA_DUE_TODAY: "Due today", SLA_LATE: "Late"}


def _details(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related("order", "order__seller", "line", "buyer")


def buyer_claim_list(*, user: User) -> QuerySet[Claim]:
    """Return the person's claims, newest first."""
    return _details(Claim.objects.filter(buyer=user))


def seller_claim_list(*, seller: Seller, status: str = "") -> QuerySet[Claim]:
    """Return the seller's claims, newest first (never on an order held for review)."""
    claims = Claim.objects.filter(order__seller=seller).exclude(order__status=Order.Status.HELD)
    if status:
        claims = claims.filter(status=status)
    return _details(claims)


def claim_get_for_buyer(*, user: User, reference: str) -> Claim | None:
    return buyer_claim_list(user=user).filter(reference=reference).first()


def claim_get_for_seller(*, seller: Seller, reference: str) -> Claim | None:
    return seller_claim_list(seller=seller).filter(reference=reference).first()


def claim_get_for_staff(*, reference: str) -> Claim | None:
    return _details(Claim.objects.filter(reference=reference)).first()


def claim_events(*, claim: Claim) -> QuerySet[ClaimEvent]:
    """Return the claim's history, oldest first."""
    return claim.events.select_related("actor").order_by("created_at", "id")


# --- Customer service's queue ---------------------------------------------------------------


def claim_deadline(claim: Claim) -> dt.datetime | None:
    """Return when the claim's next answer is due: customer service's for an escalated claim
    (as many business days after escalation as a seller has), the seller's for an open one."""
    if claim.status == Status.ESCALATED and claim.escalated_at is not None:
        return deadlines.seller_answer_due(opened_at=claim.escalated_at)
    if claim.status == Status.OPEN:
        return claim.seller_due_at
    return None


def sla_state(due: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """Return ``late``, ``due_today`` or ``on_time`` for a deadline (on time without one)."""
    if due is None:
        return SLA_ON_TIME
    now = now or clock.now()
    if due < now:
        return SLA_LATE
    if timezone.localdate(due) == timezone.localdate(now):
        return SLA_DUE_TODAY
    return SLA_ON_TIME


@dataclass(frozen=True, slots=True)
class QueueRow:
    claim: Claim
    due_at: dt.datetime | None
    sla: str

    @property
    def sla_label(self) -> str:
        return SLA_LABELS[self.sla]


def staff_claim_queue(*, limit: int = 200) -> list[QueueRow]:
    """Return the claims waiting for an answer: escalated ones first (oldest escalation
    first), then open ones by the seller's deadline, each with its SLA state."""
    now = clock.now()
    escalated = _details(Claim.objects.filter(status=Status.ESCALATED)).order_by(
        "escalated_at", "id"
    )
    waiting = _details(Claim.objects.filter(status=Status.OPEN)).order_by("seller_due_at", "id")
    rows = []
    for claim in [*escalated[:limit], *waiting[:limit]][:limit]:
        due = claim_deadline(claim)
        rows.append(QueueRow(claim=claim, due_at=due, sla=sla_state(due, now=now)))
    return rows


# --- What an order may still be claimed for ---------------------------------------------------


def claim_window_for(*, order: Order, line: OrderLine | None, kind: str) -> deadlines.Window:
    """Return the days on which a claim of ``kind`` on ``order`` (and ``line``) may open.

    The line's warranty (the longest of the order's for a whole-parcel claim), the seller's
    return period, the delivery day in the site's time zone, the latest expected day, and
    whether the carrier reported the parcel lost.
    """
    delivered_on = timezone.localdate(order.delivered_at) if order.delivered_at else None
    lines = [line] if line is not None else list(order.lines.all())
    return deadlines.claim_window(
        kind=kind,
        delivered_on=delivered_on,
        expected_by=order.delivery_estimate_to,
        return_days=order.seller.return_days,
        warranty_months=max((x.warranty_months for x in lines), default=0),
        carrier_lost=order.tracking_events.filter(code="lost").exists(),
    )


@dataclass(frozen=True, slots=True)
class KindOption:
    """One kind of claim on an order today: its window and, when closed, the reason."""

    kind: str
    label: str
    window: deadlines.Window
    refusal: str | None

    @property
    def open(self) -> bool:
        return self.refusal is None


def claim_kinds_for_order(*, order: Order, line: OrderLine | None = None) -> list[KindOption]:
    """Return every kind of claim with its window on ``order`` (and ``line``) today."""
    today = clock.today()
    if line is None:
        line = order.lines.first()
    options = []
    for kind in Claim.Kind:
        window = claim_window_for(order=order, line=line, kind=kind.value)
        refusal = deadlines.claim_refusal(kind=kind.value, window=window, today=today)
        if order.status in (Order.Status.CANCELLED, Order.Status.HELD):
            refusal = refusal or "This order was not delivered."
        options.append(KindOption(kind.value, kind.label, window, refusal))
    return options


def claim_open_for_line(*, order: Order, line: OrderLine | None) -> Claim | None:
    """Return the claim still open on ``line`` of ``order``, if any."""
    return Claim.objects.filter(order=order, line=line).exclude(status=Status.CLOSED).first()
