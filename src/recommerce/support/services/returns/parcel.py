"""The return parcel: followed with the carrier until the seller has it, or confirmed by hand.

Reaching the seller moves a claim to ``inspecting`` and, when the units' identifiers were
recorded at dispatch, checks the device for an account lock at once (SEC-3).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.orders.services import returns as order_returns
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError
from recommerce.support.models import Claim
from recommerce.support.selectors import returns as selectors
from recommerce.support.services.common import (
    SIDE_SELLER,
    SIDE_STAFF,
    SIDE_SYSTEM,
    claim_event_add,
    claim_locked,
    claim_refused,
)
from recommerce.support.services.returns.devices import device_check_run, require_side

logger = logging.getLogger(__name__)
Status = Claim.Status


def arrived(claim: Claim, *, actor: Any, side: str, note: str) -> Claim:
    """Move a claim whose device reached the seller to inspection, and check the device."""
    claim.status = Status.INSPECTING
    claim.return_received_at = claim.return_received_at or clock.now()
    claim.save(update_fields=["status", "return_received_at", "updated_at"])
    claim_event_add(claim, action="return_received", side=side, actor=actor, note=note)
    if selectors.claim_unit_identifiers(claim):
        device_check_run(claim, actor=actor, side=side)
    return claim


def claim_return_tracking_refresh(*, claim: Claim) -> Claim:
    """Read the return parcel's journey; once delivered to the seller, start the inspection.

    ``ProviderError`` (the carrier is down, the number unknown) is the caller's to report.
    """
    if not claim.return_tracking_number:
        return claim
    updates = order_returns.return_tracking(tracking_number=claim.return_tracking_number)
    codes = {update.code: update for update in updates}
    with transaction.atomic():
        claim = claim_locked(claim)
        if claim.status != Status.RETURNING:
            return claim
        picked = codes.get("picked_up")
        if picked is not None and claim.return_shipped_at is None:
            claim.return_shipped_at = picked.occurred_at
            claim.save(update_fields=["return_shipped_at", "updated_at"])
        delivered = codes.get("delivered")
        if delivered is None:
            return claim
        claim.return_received_at = delivered.occurred_at
        return arrived(
            claim, actor=None, side=SIDE_SYSTEM, note="The carrier delivered the parcel."
        )


@transaction.atomic
def claim_return_received(*, claim: Claim, actor: Any) -> Claim:
    """Record by hand that the returned device reached the seller (seller or staff)."""
    claim = claim_locked(claim)
    side = require_side(claim, actor, SIDE_SELLER, SIDE_STAFF, doing="confirm the return")
    if claim.status in (Status.INSPECTING, Status.LOCKED) and claim.return_received_at:
        return claim  # Already recorded: a second click changes nothing.
    if claim.status != Status.RETURNING:
        raise claim_refused(claim, "only a device on its way back can be received.")
    return arrived(claim, actor=actor, side=side, note="Receipt confirmed by hand.")


def claims_returns_refresh() -> int:
    """Follow every return parcel and retry every check the service could not answer.

    Return how many claims moved on (parcel delivered, or device checked again).
    """
    moved = 0
    for claim in selectors.claims_returning().iterator():
        try:
            refreshed = claim_return_tracking_refresh(claim=claim)
        except ProviderError as exc:
            # One parcel the carrier cannot report on must not stop the others.
            logger.warning("Return tracking of %s failed: %s", claim.reference, exc)
            continue
        moved += refreshed.status != Status.RETURNING
    for claim in selectors.claims_device_check_due():
        try:
            with transaction.atomic():
                locked = claim_locked(claim)
                last = selectors.claim_last_device_check(locked)
                if locked.status in (Status.INSPECTING, Status.LOCKED) and last is not None:
                    device_check_run(
                        locked, actor=None, side=SIDE_SYSTEM, identifier=last.identifier
                    )
                    moved += 1
        except ValidationError as exc:
            logger.warning("Device check of %s failed: %s", claim.reference, exc)
    return moved
