"""Reads of returns: the units to check, the device checks, the parcels to follow, the panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from recommerce.payments.models import Refund
from recommerce.platform import clock
from recommerce.platform.money import format_money
from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.providers.activation import SandboxActivationLock, get_activation_lock

Status, Result = Claim.Status, DeviceCheck.Result
RECHECK_MINUTES = 10
LOCK_NAMES = {"icloud": "iCloud Activation Lock", "google_frp": "Google factory-reset protection"}


def claim_unit_identifiers(claim: Claim) -> list[str]:
    """Return the IMEI or serial numbers recorded at dispatch for the claimed item(s)."""
    lines = [claim.line] if claim.line is not None else list(claim.order.lines.all())
    found: list[str] = []
    for line in lines:
        found.extend(unit.value for unit in line.units.all())
    return found


def claim_last_device_check(claim: Claim) -> DeviceCheck | None:
    return claim.device_checks.order_by("-checked_at", "-id").first()


def claim_device_clear(claim: Claim) -> bool:
    """Tell whether the claim's device is shown free of any account (SEC-3).

    The latest check must be clear, and so must the latest check of each recorded unit.
    """
    checks = list(claim.device_checks.order_by("-checked_at", "-id"))
    if not checks or checks[0].result != Result.CLEAR:
        return False
    latest: dict[str, str] = {}
    for check in checks:
        latest.setdefault(check.identifier, check.result)
    wanted = claim_unit_identifiers(claim) or [checks[0].identifier]
    return all(latest.get(identifier) == Result.CLEAR for identifier in wanted)


def claims_returning() -> QuerySet[Claim]:
    """Return the claims whose parcel is on its way back, oldest first."""
    return (
        Claim.objects.filter(status=Status.RETURNING)
        .exclude(return_tracking_number="")
        .order_by("updated_at", "id")
    )


def claims_device_check_due(*, limit: int = 100) -> list[Claim]:
    """Return the claims whose last check found the service unavailable, to ask again."""
    last_result = Subquery(
        DeviceCheck.objects.filter(claim=OuterRef("pk"))
        .order_by("-checked_at", "-id")
        .values("result")[:1]
    )
    last_at = Subquery(
        DeviceCheck.objects.filter(claim=OuterRef("pk"))
        .order_by("-checked_at", "-id")
        .values("checked_at")[:1]
    )
    before = clock.now() - dt.timedelta(minutes=RECHECK_MINUTES)
    return list(
        Claim.objects.filter(status__in=[Status.INSPECTING, Status.LOCKED])
        .annotate(last_result=last_result, last_at=last_at)
        .filter(last_result=Result.UNAVAILABLE, last_at__lte=before)
        .order_by("last_at", "id")[:limit]
    )


@dataclass(frozen=True)
class ReturnPanel:
    """What the return block of a claim page shows, to whichever side looks."""

    claim: Claim
    has_return: bool
    label_available: bool
    parcel_status: str
    checks: list[DeviceCheck]
    last_check: DeviceCheck | None
    locked: bool
    lock_kinds: list[str]
    unavailable: bool
    device_clear: bool
    needs_identifier: bool
    recheck_from: dt.datetime | None
    can_recheck: bool
    refund: Refund | None
    refund_amount: str
    refund_status: str
    inspection_open: bool
    repair_pending: bool
    # The sandbox lets the buyer stand in for the account's site (iCloud, Google).
    sandbox_release: bool = False


def _parcel_status(claim: Claim) -> str:
    if claim.return_received_at:
        return "Delivered to the seller"
    if claim.return_shipped_at:
        return "On its way to the seller"
    if claim.return_tracking_number:
        return "Label issued, waiting for the parcel"
    return ""


def claim_return_panel(claim: Claim) -> ReturnPanel:
    """Return what the return block of ``claim``'s page shows (any side)."""
    checks = list(claim.device_checks.order_by("-checked_at", "-id")[:10])
    last = checks[0] if checks else None
    locked = claim.status == Status.LOCKED
    recheck_from = last.checked_at + dt.timedelta(minutes=RECHECK_MINUTES) if last else None
    refund = claim.refund
    receiving = claim.status in (Status.INSPECTING, Status.LOCKED)
    accepted = claim.events.filter(action="inspection_accepted").exists()
    return ReturnPanel(
        claim=claim,
        has_return=bool(claim.return_tracking_number or claim.return_received_at),
        label_available=bool(claim.return_tracking_number) and claim.status == Status.RETURNING,
        parcel_status=_parcel_status(claim),
        checks=checks,
        last_check=last,
        locked=locked,
        lock_kinds=sorted(
            {
                LOCK_NAMES.get(c.lock_kind, c.lock_kind)
                for c in checks
                if c.result == Result.LOCKED and c.lock_kind
            }
        ),
        unavailable=last is not None and last.result == Result.UNAVAILABLE,
        device_clear=claim_device_clear(claim) if last else False,
        needs_identifier=receiving and not claim_unit_identifiers(claim),
        recheck_from=recheck_from,
        can_recheck=receiving
        and last is not None
        and (recheck_from is None or clock.now() >= recheck_from),
        refund=refund,
        refund_amount=format_money(refund.amount_minor, claim.order.currency) if refund else "",
        refund_status=_refund_status(refund),
        inspection_open=claim.status == Status.INSPECTING and not accepted,
        sandbox_release=locked and isinstance(get_activation_lock(), SandboxActivationLock),
        repair_pending=claim.status == Status.INSPECTING and accepted,
    )


def _refund_status(refund: Refund | None) -> str:
    if refund is None:
        return ""
    labels: dict[str, str] = {
        Refund.Status.PENDING: "Refund started; the payment provider confirms it shortly",
        Refund.Status.SUCCEEDED: "Refunded",
        Refund.Status.FAILED: "The refund failed; customer service is on it",
    }
    return labels.get(str(refund.status), str(refund.get_status_display()))


def claim_for_returns(reference: str) -> Claim | None:
    """Return the claim with what the return pages read, or ``None``."""
    return (
        Claim.objects.select_related("order", "line", "buyer", "refund")
        .filter(reference=reference)
        .first()
    )
