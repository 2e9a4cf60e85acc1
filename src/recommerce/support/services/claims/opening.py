"""Opening a claim: its window, its evidence, its first message, the risk flag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommerce.accounts.models import User
from recommerce.orders.models import Order, OrderLine
from recommerce.platform import clock
from recommerce.support import deadlines
from recommerce.support.masking import mask_contact_details
from recommerce.support.models import Claim
from recommerce.support.selectors import claims as selectors
from recommerce.support.services.claims.rules import (
    NOT_RECEIVED_REPEAT,
    PHOTO_KINDS,
    PHOTO_SIGNATURES,
    REQUESTABLE,
    Kind,
    Resolution,
    Status,
    _mail_buyer,
    _mail_seller,
    claim_amount_minor,
)
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_BUYER,
    SIDE_STAFF,
    SIDE_SYSTEM,
    claim_event_add,
    claim_reference_new,
)


def _photos(evidence: Sequence[Any]) -> int:
    found = 0
    for item in evidence:
        item.seek(0)
        head = item.read(8)
        item.seek(0)
        found += head.startswith(PHOTO_SIGNATURES)
    return found


# --- Opening -------------------------------------------------------------------------------


def _open_checks(
    order: Order,
    line: OrderLine | None,
    kind: str,
    reason_code: str,
    description: str,
    requested: str,
    evidence: Sequence[Any],
    declaration: bool,
) -> deadlines.Window:
    if kind not in Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of claim."})
    if line is not None and line.order_id != order.pk:
        raise ValidationError({"line": f"This item is not part of order {order.number}."})
    if order.status in (Order.Status.HELD, Order.Status.PAID, Order.Status.ACCEPTED):
        raise ValidationError(f"Order {order.number} has not been shipped yet.")
    if order.status == Order.Status.CANCELLED:
        raise ValidationError(f"Order {order.number} was cancelled and refunded.")
    window = selectors.claim_window_for(order=order, line=line, kind=kind)
    refusal = deadlines.claim_refusal(kind=kind, window=window, today=clock.today())
    if refusal:
        raise ValidationError(refusal)
    if requested not in REQUESTABLE[kind]:
        allowed = ", ".join(Resolution(r).label.lower() for r in REQUESTABLE[kind])
        raise ValidationError({"requested": f"For this kind of claim, ask for: {allowed}."})
    if kind == Kind.RETURN and reason_code not in Claim.ReturnReason.values:
        raise ValidationError({"reason_code": "Choose why you return the item."})
    if kind in PHOTO_KINDS and not _photos(evidence):
        raise ValidationError({"evidence": "Add at least one photo (JPEG or PNG) of the problem."})
    if kind == Kind.WARRANTY and not description.strip():
        raise ValidationError({"description": "Describe the defect."})
    if kind == Kind.NOT_RECEIVED and not declaration:
        raise ValidationError(
            {"declaration": "Declare that you did not receive the parcel to report it."}
        )
    return window


def _opening_message(claim: Claim, actor: Any, side: str, evidence: Sequence[Any]) -> None:
    from recommerce.support.services.conversations import (
        conversation_for_order,
        conversation_staff_join,
        message_post,
    )

    body = f"Claim {claim.reference} opened: {claim.get_kind_display()}."
    if claim.description:
        body = f"{body}\n\n{claim.description}"
    conversation = conversation_for_order(order=claim.order)
    if side == SIDE_STAFF:
        # Customer service writes in an order's thread only once it has joined it.
        conversation = conversation_staff_join(conversation=conversation, actor=actor)
    message_post(
        conversation=conversation,
        actor=actor,
        body=body,
        files=tuple(evidence),
        allow_video=claim.kind == Kind.WARRANTY,
    )


def _risky(order: Order, buyer: User | None, kind: str, amount_minor: int) -> bool:
    if kind != Kind.NOT_RECEIVED:
        return False
    if amount_minor > settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR:
        return True
    earlier = Claim.objects.filter(buyer=buyer, kind=Kind.NOT_RECEIVED).exclude(order=order)
    return buyer is not None and earlier.count() >= NOT_RECEIVED_REPEAT


@transaction.atomic
def claim_open(
    *,
    order: Order,
    actor: Any,
    kind: str,
    requested: str,
    line: OrderLine | None = None,
    reason_code: str = "",
    description: str = "",
    evidence: Sequence[Any] = (),
    declaration: bool = False,
) -> Claim:
    """Open a claim on a delivered (or, for a lost parcel, shipped) order for its buyer.

    Only the buyer, or customer service on their behalf, opens a claim, inside the kind's
    window (``deadlines.claim_window``); one claim at a time per item. ``evidence`` files
    go with the opening message of the order's conversation.
    """
    order = Order.objects.select_for_update(of=("self",)).select_related("seller").get(pk=order.pk)
    is_buyer = isinstance(actor, User) and order.buyer_id is not None and order.buyer_id == actor.pk
    is_staff = isinstance(actor, User) and actor.is_staff and actor.has_perm(DECIDE_PERMISSION)
    if not (is_buyer or is_staff):
        raise PermissionError(f"You cannot open a claim on order {order.number}.")
    lines = list(order.lines.all())
    if line is None and len(lines) == 1:
        line = lines[0]
    if line is None and kind != Kind.NOT_RECEIVED:
        raise ValidationError({"line": "Choose the item the claim is about."})
    # The seller reads the description too: contact details go the way of any message's.
    description = mask_contact_details(description.strip()).text
    window = _open_checks(
        order, line, kind, reason_code, description, requested, evidence, declaration
    )
    if Claim.objects.filter(order=order, line=line).exclude(status=Status.CLOSED).exists():
        raise ValidationError("A claim on this item is already open; follow it on its page.")
    now = clock.now()
    claim = Claim(
        reference=claim_reference_new(),
        order=order,
        line=line,
        buyer=order.buyer,
        kind=kind,
        reason_code=reason_code if kind == Kind.RETURN else "",
        description=description,
        requested=requested,
        window_closes_on=window.closes_on,
        seller_due_at=deadlines.seller_answer_due(opened_at=now),
    )
    claim.risk_flagged = _risky(order, order.buyer, kind, claim_amount_minor(claim))
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:
        raise ValidationError(
            "A claim on this item is already open; follow it on its page."
        ) from error
    side = SIDE_BUYER if is_buyer else SIDE_STAFF
    claim_event_add(claim, action="opened", side=side, actor=actor)
    if claim.risk_flagged:
        claim_event_add(claim, action="risk_flagged", side=SIDE_SYSTEM)
    _opening_message(claim, actor, side, evidence)
    due = timezone.localtime(claim.seller_due_at) if claim.seller_due_at else None
    _mail_seller(
        claim,
        f"New claim {claim.reference} on order {order.number}",
        "claim_opened_seller",
        due=due,
    )
    _mail_buyer(claim, f"Your claim {claim.reference} is open", "claim_opened_buyer", due=due)
    return claim


# --- The seller's answer and the buyer's reply ----------------------------------------------
