"""A claim's steps after opening: the seller's answer, agreement, escalation, decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import User
from recommerce.platform import clock
from recommerce.support.models import Claim
from recommerce.support.services.claims.rules import (
    ANSWERABLE,
    ESCALATABLE,
    Outcome,
    Status,
    _checked_outcome,
    _mail_buyer,
    _mail_seller,
    _resolution_start,
    _resolve,
)
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_BUYER,
    SIDE_SELLER,
    SIDE_STAFF,
    SIDE_SYSTEM,
    claim_event_add,
    claim_locked,
    claim_refused,
    claim_require,
)


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
