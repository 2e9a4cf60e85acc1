"""What follows an agreed claim: the return parcel, the activation-lock check, the
inspection and the refund.

``claim_resolution_start`` is called by the claims services, inside their transaction and
with the claim row locked, once a resolution is agreed or decided. Every later step locks
the claim row again, checks who acts (``claim_require``), refuses a step its status does not
allow with a ``ValidationError`` that says why, and appends a ``ClaimEvent``. Emails leave
after commit, so a rolled-back step never announces itself.

Refunds go through ``orders.services.fulfilment.order_refund`` under the key
``claim-<reference>``: a retried request, a double click or a second caller gets the refund
started the first time, never another. The credit note and the seller's ledger debit follow
when the payment provider confirms the refund (``orders/handlers.py``).
"""

from __future__ import annotations

from functools import partial
from inspect import signature
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from recommerce.accounts.models import SellerMembership
from recommerce.orders import selectors as order_selectors
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.money import format_money
from recommerce.support.models import Claim, ClaimEvent
from recommerce.support.services.common import (
    SIDE_SELLER,
    SIDE_STAFF,
    claim_event_add,
    claim_refused,
    claim_sides,
)

Status, Resolution, Outcome = Claim.Status, Claim.Resolution, Claim.Outcome
RETURNED = (Resolution.RETURN_REFUND, Resolution.REPAIR, Resolution.REPLACEMENT)


# --- Emails -----------------------------------------------------------------------------------


def _link(name: str, reference: str, fallback: str) -> str:
    try:
        path = reverse(name, kwargs={"reference": reference})
    except NoReverseMatch:
        # The pages' address is fixed; mail still goes out where the URLs are not mounted.
        path = fallback.format(reference=reference)
    return f"{settings.SITE_URL}{path}"


def claim_buyer_url(claim: Claim) -> str:
    return _link("support:claim", claim.reference, "/account/support/claims/{reference}/")


def claim_label_url(claim: Claim) -> str:
    return _link(
        "support:return-label", claim.reference, "/account/support/claims/{reference}/label.pdf"
    )


def _mail_buyer(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    order = claim.order
    to = claim.buyer.email if claim.buyer else order.buyer_email
    context = {"claim": claim, "order": order, "url": claim_buyer_url(claim), **extra}
    language = claim.buyer.language if claim.buyer else None
    transaction.on_commit(
        partial(
            send_templated,
            to=[to],
            subject=f"{subject} ({claim.reference})",
            template=f"support/emails/{template}",
            context=context,
            language=language,
        )
    )


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
    # The claim's code reaches the refund and its credit note where order_refund takes one.
    coded = {"code": code} if "code" in signature(fulfilment.order_refund).parameters else {}
    refund = fulfilment.order_refund(
        order=claim.order,
        actor=_refund_actor(claim, actor),
        amount_minor=amount_minor,
        reason=f"Claim {claim.reference}",
        idempotency_key=f"claim-{claim.reference}",
        **coded,
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


def _return_label_issue(claim: Claim) -> Any:
    from recommerce.orders.services import returns as order_returns

    return order_returns.return_label_issue(order=claim.order, reference=claim.reference)


def claim_resolution_start(*, claim: Claim, actor: Any, side: str) -> Claim:
    """Carry out ``claim.resolution``, just agreed or decided (caller's transaction, row locked).

    A return (for a refund, a repair or a replacement) gets a prepaid label and waits for the
    parcel; a refund with no return, in full or in part, is started now and closes the claim;
    a refusal closes it. ``side`` is who made the resolution final (buyer, seller, staff).
    """
    resolution = claim.resolution
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
        _mail_buyer(
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
