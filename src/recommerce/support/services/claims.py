"""A claim's life: the buyer opens it, the seller answers, the buyer agrees or escalates,
customer service decides; what was agreed is then carried out by ``returns``.

Every service locks the claim row (opening locks the order row, so two openings on one
line queue up and the second finds the first) and checks the status it starts from: a
step the status does not allow raises ``ValidationError`` with a sentence, an actor with
no part in the claim ``PermissionError``. Emails leave after commit and carry a link,
never the words of the claim or a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import Seller, User
from recommerce.accounts.services.sellers import seller_quality_refresh
from recommerce.orders import selectors as order_selectors
from recommerce.orders.models import Order, OrderLine
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.money import format_money
from recommerce.support import deadlines
from recommerce.support.masking import mask_contact_details
from recommerce.support.models import Claim
from recommerce.support.selectors import claims as selectors
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_BUYER,
    SIDE_SELLER,
    SIDE_STAFF,
    SIDE_SYSTEM,
    claim_event_add,
    claim_locked,
    claim_reference_new,
    claim_refused,
    claim_require,
)

Kind, Status, Resolution, Outcome = Claim.Kind, Claim.Status, Claim.Resolution, Claim.Outcome

# What a buyer may ask for, per kind (the first is the form's default).
REQUESTABLE: dict[str, tuple[str, ...]] = {
    Kind.RETURN: (Resolution.RETURN_REFUND,),
    Kind.TRANSIT_DAMAGE: (Resolution.RETURN_REFUND, Resolution.REPLACEMENT, Resolution.REPAIR),
    Kind.NOT_RECEIVED: (Resolution.REFUND,),
    Kind.WARRANTY: (Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.RETURN_REFUND),
    Kind.NOT_AS_DESCRIBED: (Resolution.RETURN_REFUND, Resolution.REPLACEMENT),
}
# Every outcome a buyer may ask for, in the order a form lists them.
REQUESTED_ANY: tuple[str, ...] = tuple(
    dict.fromkeys(r for allowed in REQUESTABLE.values() for r in allowed)
)
PHOTO_KINDS = frozenset({Kind.TRANSIT_DAMAGE, Kind.NOT_AS_DESCRIBED})
# Kinds that say the device was faulty, and outcomes that admit it (seller quality score).
DEFECT_KINDS = frozenset({Kind.WARRANTY, Kind.NOT_AS_DESCRIBED, Kind.TRANSIT_DAMAGE})
DEFECT_OUTCOMES = frozenset(
    {Outcome.REFUNDED, Outcome.PARTIALLY_REFUNDED, Outcome.REPAIRED, Outcome.REPLACED}
)
ANSWERABLE = (Status.OPEN,)
ESCALATABLE = (Status.OPEN, Status.PROPOSED)
NOT_RECEIVED_REPEAT = 2
# Images are recognised by their first bytes, never by the name or the browser's word.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


# --- Helpers -------------------------------------------------------------------------------


def _link(name: str, reference: str, fallback: str) -> str:
    try:
        path = reverse(name, kwargs={"reference": reference})
    except NoReverseMatch:
        path = fallback.format(reference=reference)
    return f"{settings.SITE_URL}{path}"


def buyer_claim_url(claim: Claim) -> str:
    return _link("support:claim", claim.reference, "/account/support/claims/{reference}/")


def seller_claim_url(claim: Claim) -> str:
    return _link(
        "seller_support:claim", claim.reference, "/account/seller/support/claims/{reference}/"
    )


def _mail(to: Sequence[str], subject: str, template: str, context: dict[str, Any]) -> None:
    if to:
        transaction.on_commit(
            partial(
                send_templated,
                to=sorted(set(to)),
                subject=subject,
                template=f"support/emails/{template}",
                context=context,
            )
        )


def _context(claim: Claim, url: str) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "order_number": claim.order.number,
        "kind": claim.get_kind_display(),
        "status": claim.get_status_display(),
        "seller_name": claim.order.seller.name,
        "url": url,
    }


def _mail_buyer(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    order = claim.order
    email = claim.buyer.email if claim.buyer else order.buyer_email
    _mail([email], subject, template, {**_context(claim, buyer_claim_url(claim)), **extra})


def _mail_seller(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    members = account_selectors.seller_members(seller=claim.order.seller).filter(
        role__in=order_selectors.SELLER_ORDER_ROLES
    )
    to = [m.user.email for m in members.select_related("user")]
    _mail(to, subject, template, {**_context(claim, seller_claim_url(claim)), **extra})


def claim_amount_minor(claim: Claim) -> int:
    """Return what the claim is worth: its line's total, or the order's for a whole parcel."""
    return claim.line.total_minor if claim.line is not None else claim.order.total_minor


def _resolution_start(claim: Claim, actor: Any, side: str) -> Claim:
    from recommerce.support.services.returns import claim_resolution_start

    started = claim_resolution_start(claim=claim, actor=actor, side=side)
    claim_defect_record(claim=started)
    return started


def _resolve(claim: Claim, resolution: str, amount_minor: int) -> None:
    claim.resolution = resolution
    # Only a partial refund names its amount; a full one is worked out when it starts
    # (``returns.claim_refund_amount``: the item, with shipping unless a change of mind).
    claim.resolution_amount_minor = amount_minor if resolution == Resolution.PARTIAL_REFUND else 0


def _checked_outcome(
    claim: Claim, resolution: str, amount_minor: int, note: str, *, allow_same: str = ""
) -> int:
    """Check a proposed or decided resolution; return its amount (partial refunds only)."""
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": f"“{resolution}” is not an outcome of a claim."})
    if resolution == Resolution.PARTIAL_REFUND:
        most = claim_amount_minor(claim)
        if isinstance(amount_minor, bool) or not 0 < amount_minor <= most:
            limit = format_money(most, claim.order.currency)
            raise ValidationError(
                {"amount_minor": f"A partial refund is above zero and at most {limit}."}
            )
        return amount_minor
    if resolution == Resolution.REJECT and not note.strip():
        raise ValidationError({"note": "Say why the claim is refused."})
    return 0


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


@transaction.atomic
def claim_answer(
    *,
    claim: Claim,
    actor: Any,
    accept: bool,
    proposal: str = "",
    amount_minor: int = 0,
    note: str = "",
) -> Claim:
    """Answer an open claim for the seller: accept what the buyer asked for, or propose
    another outcome (a partial refund names its amount, at most the item's price)."""
    claim = claim_locked(claim)
    claim_require(claim, actor, SIDE_SELLER, doing="answer")
    if claim.status not in ANSWERABLE:
        raise claim_refused(claim, "it is no longer waiting for the seller's answer.")
    note = note.strip()
    claim.seller_answered_at = clock.now()
    if accept:
        _resolve(claim, claim.requested, 0)
        claim.save()
        claim_event_add(claim, action="accepted", side=SIDE_SELLER, actor=actor, note=note)
        _mail_buyer(claim, f"Claim {claim.reference}: the seller agreed", "claim_accepted")
        return _resolution_start(claim, actor, SIDE_SELLER)
    if proposal == claim.requested:
        raise ValidationError({"proposal": "To offer what the buyer asked for, accept the claim."})
    amount = _checked_outcome(claim, proposal, amount_minor, note)
    claim.proposal = proposal
    claim.proposal_amount_minor = amount
    claim.proposal_note = note
    claim.status = Status.PROPOSED
    claim.save()
    claim_event_add(claim, action="proposed", side=SIDE_SELLER, actor=actor, note=note)
    _mail_buyer(
        claim, f"Claim {claim.reference}: the seller proposes another outcome", "claim_proposed"
    )
    return claim


@transaction.atomic
def claim_agree(*, claim: Claim, actor: Any) -> Claim:
    """Accept the seller's proposal for the buyer; it is then carried out."""
    claim = claim_locked(claim)
    claim_require(claim, actor, SIDE_BUYER, doing="agree to the proposal")
    if claim.status != Status.PROPOSED:
        raise claim_refused(claim, "there is no proposal waiting for your answer.")
    _resolve(claim, claim.proposal, claim.proposal_amount_minor)
    claim.save()
    claim_event_add(claim, action="agreed", side=SIDE_BUYER, actor=actor)
    _mail_seller(claim, f"Claim {claim.reference}: the buyer agreed", "claim_agreed")
    return _resolution_start(claim, actor, SIDE_BUYER)


def _escalate(claim: Claim, actor: Any, side: str, by: str, note: str) -> Claim:
    claim.status = Status.ESCALATED
    claim.escalated_at = clock.now()
    claim.escalated_by = by
    claim.save()
    claim_event_add(claim, action="escalated", side=side, actor=actor, note=note)
    try:
        from recommerce.support.services.conversations import (
            conversation_for_order,
            conversation_staff_join,
        )
    except ImportError:  # the messaging services arrive separately
        pass
    else:
        conversation_staff_join(conversation=conversation_for_order(order=claim.order))
    subject = f"Claim {claim.reference} is with customer service"
    _mail_buyer(claim, subject, "claim_escalated")
    _mail_seller(claim, subject, "claim_escalated")
    return claim


@transaction.atomic
def claim_escalate(*, claim: Claim, actor: Any, note: str) -> Claim:
    """Hand an open or proposed claim to customer service, for the buyer or the seller."""
    claim = claim_locked(claim)
    side = claim_require(claim, actor, SIDE_BUYER, SIDE_SELLER, doing="escalate")
    if claim.status not in ESCALATABLE:
        raise claim_refused(claim, "only a claim waiting for an answer can be escalated.")
    note = " ".join(note.split())
    if not note:
        raise ValidationError({"note": "Say why customer service should step in."})
    return _escalate(claim, actor, side, side, note)


@transaction.atomic
def _escalate_overdue_one(claim_id: int, now: dt.datetime) -> bool:
    claim = claim_locked(Claim(pk=claim_id))
    if claim.status != Status.OPEN or claim.seller_due_at is None or claim.seller_due_at > now:
        return False
    _escalate(claim, None, SIDE_SYSTEM, "auto", "The seller did not answer in time.")
    return True


def claims_escalate_overdue() -> int:
    """Escalate every open claim whose seller's answer is overdue; return how many."""
    now = clock.now()
    due = Claim.objects.filter(status=Status.OPEN, seller_due_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(_escalate_overdue_one(pk, now) for pk in list(due))


# --- Customer service's decision, the buyer's withdrawal ------------------------------------


@transaction.atomic
def claim_decide(
    *, claim: Claim, actor: Any, resolution: str, note: str, amount_minor: int = 0
) -> Claim:
    """Decide an escalated claim for customer service; the decision is then carried out."""
    claim = claim_locked(claim)
    if not (isinstance(actor, User) and actor.is_staff and actor.has_perm(DECIDE_PERMISSION)):
        raise PermissionError(f"You cannot decide claim {claim.reference}.")
    if claim.decided_at is not None:
        raise claim_refused(claim, "it was already decided.")
    if claim.status != Status.ESCALATED:
        raise claim_refused(claim, "only a claim with customer service can be decided.")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Give the reasons of the decision."})
    amount = _checked_outcome(claim, resolution, amount_minor, note)
    _resolve(claim, resolution, amount)
    claim.decision_note = note
    claim.decided_by = actor
    claim.decided_at = clock.now()
    claim.save()
    claim_event_add(claim, action="decided", side=SIDE_STAFF, actor=actor, note=note[:300])
    subject = f"Claim {claim.reference}: customer service decided"
    _mail_buyer(claim, subject, "claim_decided")
    _mail_seller(claim, subject, "claim_decided")
    return _resolution_start(claim, actor, SIDE_STAFF)


@transaction.atomic
def claim_withdraw(*, claim: Claim, actor: Any) -> Claim:
    """Close the buyer's claim at their wish, unless a refund has already started."""
    claim = claim_locked(claim)
    claim_require(claim, actor, SIDE_BUYER, doing="withdraw")
    if claim.status == Status.CLOSED:
        raise claim_refused(claim, "it is already closed.")
    if claim.refund_id is not None:
        raise claim_refused(claim, "its refund has already started.")
    claim.status = Status.CLOSED
    claim.outcome = Outcome.WITHDRAWN
    claim.closed_at = clock.now()
    claim.save()
    claim_event_add(claim, action="withdrawn", side=SIDE_BUYER, actor=actor)
    _mail_seller(claim, f"Claim {claim.reference} was withdrawn", "claim_withdrawn")
    return claim


# --- The seller's track record -------------------------------------------------------------


def claim_defect_record(*, claim: Claim) -> bool:
    """Count a closed claim that admits a fault in the seller's defective orders, once.

    Called whenever a claim may have closed (here, and by the returns services after an
    inspection); the ``defect_counted`` event makes a second call do nothing.
    """
    if claim.status != Status.CLOSED:
        return False
    if claim.kind not in DEFECT_KINDS or claim.outcome not in DEFECT_OUTCOMES:
        return False
    if claim.events.filter(action="defect_counted").exists():
        return False
    claim_event_add(claim, action="defect_counted", side=SIDE_SYSTEM)
    # accounts has a service for shipments only; the defect count is one F() update.
    seller_id = claim.order.seller_id
    Seller.objects.filter(pk=seller_id).update(orders_defective=F("orders_defective") + 1)
    seller_quality_refresh(seller=Seller.objects.get(pk=seller_id))
    return True
