"""What every after-sales service shares: who may act on a claim, its history, references."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError

from recommerce.accounts.models import SellerApiKey, User
from recommerce.orders import selectors as order_selectors
from recommerce.platform import clock
from recommerce.support.models import Claim, ClaimEvent

Actor = User | SellerApiKey

# Letters and digits a person can read out on the phone without confusion.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

SIDE_BUYER, SIDE_SELLER, SIDE_STAFF, SIDE_SYSTEM = "buyer", "seller", "staff", "system"
STAFF_PERMISSION = "support.view_claim"
DECIDE_PERMISSION = "support.decide_claim"


def claim_reference_new() -> str:
    """Return a new claim reference, e.g. ``CL-7KQ2M9XD``."""
    while True:
        reference = "CL-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if not Claim.objects.filter(reference=reference).exists():
            return reference


def claim_locked(claim: Claim) -> Claim:
    """Return ``claim`` re-read under a row lock (inside the caller's transaction)."""
    return Claim.objects.select_for_update(of=("self",)).select_related("order").get(pk=claim.pk)


def claim_sides(*, claim: Claim, actor: Any) -> set[str]:
    """Return in which capacities ``actor`` may act on ``claim``: buyer, seller, staff."""
    sides = set()
    if isinstance(actor, User) and claim.buyer_id is not None and claim.buyer_id == actor.pk:
        sides.add(SIDE_BUYER)
    if order_selectors.is_order_seller(order=claim.order, actor=actor):
        sides.add(SIDE_SELLER)
    if isinstance(actor, User) and actor.is_active and actor.has_perm(STAFF_PERMISSION):
        sides.add(SIDE_STAFF)
    return sides


def claim_require(claim: Claim, actor: Any, *allowed: str, doing: str) -> str:
    """Return the capacity in which ``actor`` does ``doing``, or raise ``PermissionError``.

    Staff come last: a member of customer service who bought the item acts as the buyer.
    """
    sides = claim_sides(claim=claim, actor=actor)
    for side in (SIDE_BUYER, SIDE_SELLER, SIDE_STAFF):
        if side in allowed and side in sides:
            return side
    raise PermissionError(f"You cannot {doing} on claim {claim.reference}.")


def claim_refused(claim: Claim, why: str) -> ValidationError:
    return ValidationError(f"Claim {claim.reference}: {why}")


def claim_event_add(
    claim: Claim, *, action: str, side: str, actor: Any = None, note: str = ""
) -> ClaimEvent:
    """Append a step to the claim's history (shown to both sides)."""
    person = actor if isinstance(actor, User) else None
    return ClaimEvent.objects.create(
        claim=claim,
        action=action,
        side=side,
        actor=person,
        note=note[:300],
        created_at=clock.now(),
    )
