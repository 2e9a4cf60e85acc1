"""The agreed outcome of a claim, the inspection of a returned device, and the refund."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import SellerMembership
from recommerce.orders import selectors as order_selectors
from recommerce.orders.providers.carrier import Shipment
from recommerce.orders.services import fulfilment
from recommerce.orders.services import returns as order_returns
from recommerce.payments.models import Refund
from recommerce.platform import clock
from recommerce.platform.money import format_money
from recommerce.support.models import Claim, ClaimEvent
from recommerce.support.services.common import (
    SIDE_SELLER,
    SIDE_STAFF,
    claim_event_add,
    claim_locked,
    claim_refused,
    claim_sides,
)
from recommerce.support.services.returns.devices import require_clear, require_side
from recommerce.support.services.returns.notify import claim_label_url, mail_buyer
from recommerce.support.services.returns.parcel import arrived

Status, Resolution, Outcome = Claim.Status, Claim.Resolution, Claim.Outcome
RETURNED = (Resolution.RETURN_REFUND, Resolution.REPAIR, Resolution.REPLACEMENT)


# --- Refunds ----------------------------------------------------------------------------------


def claim_refund_amount(claim: Claim) -> int:
    """Return what the claim's full refund is: the item, plus shipping unless a change of mind.

    Never more than the order still holds: an earlier partial refund is taken off.
    """
    order = claim.order
    base = claim.line.total_minor if claim.line is not None else order.items_minor
    if claim.kind != Claim.Kind.RETURN:
        base += order.shipping_minor
    return min(base, order_selectors.order_refundable_minor(order=order))


def _refund_actor(claim: Claim, actor: Any) -> Any:
    """Return who the refund is made in the name of: a seller member, its key, or staff.

    ``order_refund`` takes only the seller's side or staff. When the buyer's agreement to
    the seller's proposal triggers the refund, the seller's answer made it: the member who
    answered last (the claim's last seller event), or else the seller's owner.
    """
    capacities = order_selectors.order_actor_capacities(order=claim.order, actor=actor)
    if capacities & {SIDE_SELLER, SIDE_STAFF}:
        return actor
    seller_id = claim.order.seller_id
    answered = (
        ClaimEvent.objects.filter(claim=claim, side=SIDE_SELLER, actor__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("actor_id", flat=True)
    )
    members = SellerMembership.objects.filter(seller_id=seller_id).select_related("user")
    for user_id in answered:
        member = members.filter(user_id=user_id, user__is_active=True).first()
        if member and order_selectors.is_order_seller(order=claim.order, actor=member.user):
            return member.user
    owner = members.filter(role=SellerMembership.Role.OWNER, user__is_active=True).first()
    if owner is None:
        raise claim_refused(claim, "the seller has no active owner to refund in the name of.")
    return owner.user


def _claim_refund(claim: Claim, amount_minor: int, actor: Any, *, code: str) -> Refund:
    """Start the claim's refund (once: the key is the claim's reference) and keep it on it."""
    if claim.refund_id is not None:
        return claim.refund  # type: ignore[return-value]
    refund = fulfilment.order_refund(
        order=claim.order,
        actor=_refund_actor(claim, actor),
        amount_minor=amount_minor,
        reason=f"Claim {claim.reference}",
        idempotency_key=f"claim-{claim.reference}",
        code=code,
    )
    claim.refund = refund
    claim.save(update_fields=["refund", "updated_at"])
    claim_event_add(
        claim,
        action="refund_started",
        side=_side_of(claim, actor),
        actor=actor,
        note=f"Refund of {format_money(refund.amount_minor, claim.order.currency)} started.",
    )
    return refund


def _side_of(claim: Claim, actor: Any) -> str:
    sides = claim_sides(claim=claim, actor=actor)
    for side in ("seller", "staff", "buyer"):
        if side in sides:
            return side
    return "system"


def _close(claim: Claim, outcome: str, *, actor: Any, side: str, note: str = "") -> Claim:
    claim.status = Status.CLOSED
    claim.outcome = outcome
    claim.closed_at = clock.now()
    claim.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    claim_event_add(claim, action=f"closed_{outcome}", side=side, actor=actor, note=note)
    return claim


# --- The agreed outcome -------------------------------------------------------------------------


def _return_label_issue(claim: Claim) -> Shipment:
    return order_returns.return_label_issue(order=claim.order, reference=claim.reference)


def claim_resolution_start(*, claim: Claim, actor: Any, side: str) -> Claim:
    """Carry out ``claim.resolution``, just agreed or decided (caller's transaction, row locked).

    A return (for a refund, a repair or a replacement) gets a prepaid label and waits for the
    parcel; a refund with no return, in full or in part, is started now and closes the claim;
    a refusal closes it. ``side`` is who made the resolution final (buyer, seller, staff).
    """
    resolution = claim.resolution
    if claim.return_received_at is not None and resolution != Resolution.REJECT:
        # The device already came back (a decision after an escalated inspection): no new
        # label, and no refund unless the device is free of any account (SEC-3).
        if resolution in RETURNED:
            return arrived(claim, actor=actor, side=side, note="Device already with the seller.")
        require_clear(claim)
    if resolution in RETURNED:
        shipment = _return_label_issue(claim)
        claim.status = Status.RETURNING
        claim.return_carrier = shipment.carrier[:32]
        claim.return_tracking_number = shipment.tracking_number
        claim.save(
            update_fields=["status", "return_carrier", "return_tracking_number", "updated_at"]
        )
        claim_event_add(
            claim,
            action="return_label_issued",
            side=side,
            actor=actor,
            note=f"Prepaid return label, {shipment.carrier} {shipment.tracking_number}.",
        )
        mail_buyer(
            claim,
            "Your prepaid return label",
            "return_label",
            label_url=claim_label_url(claim),
            tracking_number=shipment.tracking_number,
            carrier=shipment.carrier,
        )
        return claim
    if resolution == Resolution.REFUND:
        amount = claim.resolution_amount_minor or claim_refund_amount(claim)
        _claim_refund(claim, amount, actor, code=Refund.Reason.CLAIM)
        return _close(claim, Outcome.REFUNDED, actor=actor, side=side)
    if resolution == Resolution.PARTIAL_REFUND:
        if claim.resolution_amount_minor <= 0:
            raise claim_refused(claim, "a partial refund needs an amount above zero.")
        _claim_refund(claim, claim.resolution_amount_minor, actor, code=Refund.Reason.CLAIM)
        return _close(claim, Outcome.PARTIALLY_REFUNDED, actor=actor, side=side)
    if resolution == Resolution.REJECT:
        return _close(claim, Outcome.REJECTED, actor=actor, side=side)
    raise claim_refused(claim, "no outcome has been agreed or decided yet.")


# --- Inspection -----------------------------------------------------------------------------------


@transaction.atomic
def claim_inspection_accept(*, claim: Claim, actor: Any, note: str = "") -> Claim:
    """Accept the returned device (seller or staff): refund it, or go on with the repair.

    Refused while the device is locked to an account or was not checked (SEC-3). A repeat
    (double click, retried request) returns the claim as the first call left it.
    """
    claim = claim_locked(claim)
    side = require_side(claim, actor, SIDE_SELLER, SIDE_STAFF, doing="accept the device")
    if claim.status == Status.CLOSED and claim.return_received_at is not None:
        return claim
    if claim.status == Status.LOCKED:
        require_clear(claim)  # Refuses, saying why (SEC-3), unless a check cleared it.
    if claim.status != Status.INSPECTING:
        raise claim_refused(claim, "only a device being inspected can be accepted.")
    if _inspection_accepted(claim):
        return claim
    require_clear(claim)
    claim_event_add(claim, action="inspection_accepted", side=side, actor=actor, note=note)
    if claim.resolution != Resolution.RETURN_REFUND:
        return claim  # The repair or replacement follows: claim_repair_done closes it.
    amount = claim.resolution_amount_minor or claim_refund_amount(claim)
    _claim_refund(claim, amount, actor, code=Refund.Reason.CLAIM_RETURN)
    return _defect_record(_close(claim, Outcome.REFUNDED, actor=actor, side=side))


def _defect_record(claim: Claim) -> Claim:
    """Count the closed claim in the seller's defects when its kind admits a fault."""
    from recommerce.support.services.claims import claim_defect_record

    claim_defect_record(claim=claim)
    return claim


def _inspection_accepted(claim: Claim) -> bool:
    return claim.events.filter(action="inspection_accepted").exists()


@transaction.atomic
def claim_repair_done(*, claim: Claim, actor: Any, tracking_number: str = "") -> Claim:
    """Close a repair or replacement once the device left again (seller or staff)."""
    claim = claim_locked(claim)
    side = require_side(claim, actor, SIDE_SELLER, SIDE_STAFF, doing="close the repair")
    if claim.status == Status.CLOSED and claim.outcome in (Outcome.REPAIRED, Outcome.REPLACED):
        return claim
    if claim.resolution not in (Resolution.REPAIR, Resolution.REPLACEMENT):
        raise claim_refused(claim, "only a repair or a replacement can be marked done.")
    if claim.status != Status.INSPECTING or not _inspection_accepted(claim):
        raise claim_refused(claim, "accept the returned device first.")
    tracking = " ".join(tracking_number.split())[:64]
    outcome = Outcome.REPAIRED if claim.resolution == Resolution.REPAIR else Outcome.REPLACED
    note = f"Sent back, tracking number {tracking}." if tracking else "Sent back."
    _defect_record(_close(claim, outcome, actor=actor, side=side, note=note))
    mail_buyer(claim, "Your device is on its way", "return_repaired", tracking_number=tracking)
    return claim


@transaction.atomic
def claim_inspection_reject(*, claim: Claim, actor: Any, note: str) -> Claim:
    """Refuse the returned device as not in the state described: customer service decides."""
    claim = claim_locked(claim)
    side = require_side(claim, actor, SIDE_SELLER, SIDE_STAFF, doing="refuse the device")
    if claim.status not in (Status.INSPECTING, Status.LOCKED):
        raise claim_refused(claim, "only a device being inspected can be refused.")
    reason = " ".join(note.split())
    if not reason:
        raise ValidationError({"note": "Say what is wrong with the device you received."})
    claim.status = Status.ESCALATED
    claim.escalated_at = clock.now()
    claim.escalated_by = side
    claim.save(update_fields=["status", "escalated_at", "escalated_by", "updated_at"])
    claim_event_add(claim, action="inspection_rejected", side=side, actor=actor, note=reason)
    mail_buyer(claim, "The seller disputes the returned device", "return_disputed", note=reason)
    return claim
