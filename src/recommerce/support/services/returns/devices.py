"""The activation-lock check of a returned device (SEC-3).

A device still linked to someone's account (iCloud's Find My, Google's factory-reset
protection) cannot be used or sold again. Before a returned device is accepted, the
identifier of each unit of the claimed line recorded at dispatch (or, when none was
recorded, the IMEI or serial number the seller types) goes to the checking service:

- each answer is a ``DeviceCheck`` row and, in the same transaction, a ``Disclosure`` to the
  service (the identifier is the buyer's personal data once sold);
- locked → the claim waits in ``locked`` and the buyer is emailed how to remove the device
  from their account, with a button to ask for a new check;
- the service unavailable → an ``unavailable`` row, the claim stays where it is, the periodic
  task asks again; nothing was sent, so nothing is logged as disclosed;
- a new check on demand is allowed once every ``RECHECK_MINUTES`` per claim.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recommerce.accounts.models import User
from recommerce.platform import clock
from recommerce.platform.identifiers import imei
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record
from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.providers.activation import SandboxActivationLock, get_activation_lock
from recommerce.support.selectors import returns as selectors
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_BUYER,
    SIDE_SELLER,
    SIDE_STAFF,
    claim_event_add,
    claim_locked,
    claim_refused,
    claim_require,
)
from recommerce.support.services.returns.notify import claim_buyer_url, mail_buyer

Status, Result = Claim.Status, DeviceCheck.Result
RECHECK_MINUTES = selectors.RECHECK_MINUTES
RECIPIENT_KIND = Disclosure.RecipientKind.DEVICE_CHECK
DISCLOSED_FIELDS = ("identifier",)
NOT_CLEAR = (
    "the device cannot be accepted or refunded until a check shows it is no longer linked "
    "to anyone's account (activation lock). Check the device, or ask the buyer to remove "
    "it from their account and check again."
)
LOCK_NAMES = selectors.LOCK_NAMES
_SEPARATORS = re.compile(r"[\s-]+")
_SERIAL = re.compile(r"[A-Z0-9-]{4,30}")


def require_side(claim: Claim, actor: Any, *allowed: str, doing: str) -> str:
    """Return the capacity ``actor`` acts in; staff who change a claim's course must decide."""
    side = claim_require(claim, actor, *allowed, doing=doing)
    if side == SIDE_STAFF and not actor.has_perm(DECIDE_PERMISSION):
        raise PermissionError(f"You cannot {doing} on claim {claim.reference}.")
    return side


def identifier_parse(typed: str) -> str:
    """Return the IMEI (15 digits, check digit verified) or serial number typed by the seller."""
    value = typed.strip()
    if not value:
        raise ValidationError(
            {
                "identifier": "No IMEI or serial number was recorded at dispatch: type the one "
                "on the device (Settings → General → About, or *#06#)."
            }
        )
    compact = _SEPARATORS.sub("", value)
    if compact.isascii() and compact.isdigit() and len(compact) == 15:
        try:
            return imei(compact)
        except ValidationError as error:
            raise ValidationError({"identifier": error.messages}) from error
    serial = value.upper()
    if not _SERIAL.fullmatch(serial):
        raise ValidationError(
            {
                "identifier": "Enter an IMEI of 15 digits, or a serial number of 4 to 30 letters, "
                "digits or dashes."
            }
        )
    return serial


def device_check_run(
    claim: Claim, *, actor: Any, side: str, identifier: str = ""
) -> list[DeviceCheck]:
    """Check every unit of a locked claim; move it to ``locked`` or back to ``inspecting``."""
    identifiers = selectors.claim_unit_identifiers(claim) or [identifier_parse(identifier)]
    service = get_activation_lock()
    provider = service.name[:32]
    person = actor if isinstance(actor, User) else None
    checks = []
    for value in identifiers:
        try:
            status = service.check(identifier=value)
        except ProviderUnavailable:
            checks.append(
                DeviceCheck.objects.create(
                    claim=claim,
                    identifier=value,
                    provider=provider,
                    result=Result.UNAVAILABLE,
                    requested_by=person,
                    checked_at=clock.now(),
                )
            )
            continue
        except ProviderError as error:
            raise ValidationError(
                {"identifier": f"The checking service refused {value}: {error}"}
            ) from error
        checks.append(
            DeviceCheck.objects.create(
                claim=claim,
                identifier=value,
                provider=provider,
                result=Result.LOCKED if status.locked else Result.CLEAR,
                lock_kind=(status.lock_kind or "")[:16] if status.locked else "",
                reference=(status.reference or "")[:64],
                requested_by=person,
                checked_at=status.checked_at or clock.now(),
            )
        )
        disclosure_record(
            subject=claim.buyer,
            recipient_kind=RECIPIENT_KIND,
            recipient=provider,
            fields=DISCLOSED_FIELDS,
            purpose=purposes.SERVICE_ORDERS,
            reference=claim.reference,
        )
    _apply(claim, checks, actor=actor, side=side)
    return checks


def _apply(claim: Claim, checks: list[DeviceCheck], *, actor: Any, side: str) -> None:
    results = {check.result for check in checks}
    if Result.LOCKED in results:
        kinds = sorted({c.lock_kind for c in checks if c.result == Result.LOCKED and c.lock_kind})
        names = ", ".join(LOCK_NAMES.get(kind, kind) for kind in kinds)
        note = f"Linked to an account ({names})." if kinds else "Linked to an account."
        claim_event_add(claim, action="device_locked", side=side, actor=actor, note=note)
        if claim.status != Status.LOCKED:
            claim.status = Status.LOCKED
            claim.save(update_fields=["status", "updated_at"])
        mail_buyer(
            claim,
            "Remove the device from your account",
            "return_locked",
            lock_kinds=[LOCK_NAMES.get(kind, kind) for kind in kinds],
            recheck_url=claim_buyer_url(claim),
        )
    elif Result.UNAVAILABLE in results:
        claim_event_add(
            claim,
            action="device_check_unavailable",
            side=side,
            actor=actor,
            note="The checking service did not answer; it is asked again shortly.",
        )
    else:
        claim_event_add(
            claim, action="device_clear", side=side, actor=actor, note="Not linked to any account."
        )
        if claim.status == Status.LOCKED:
            claim.status = Status.INSPECTING
            claim.save(update_fields=["status", "updated_at"])


def device_recheck_allowed(claim: Claim) -> None:
    """Refuse a new check asked within ``RECHECK_MINUTES`` of the claim's last one."""
    last = selectors.claim_last_device_check(claim)
    if last is None:
        return
    next_at = last.checked_at + dt.timedelta(minutes=RECHECK_MINUTES)
    if clock.now() < next_at:
        at = timezone.localtime(next_at).strftime("%H:%M")
        raise claim_refused(
            claim,
            f"the device was checked less than {RECHECK_MINUTES} minutes ago; ask again from {at}.",
        )


@transaction.atomic
def claim_device_check(*, claim: Claim, actor: Any, identifier: str = "") -> Claim:
    """Check the returned device for an account lock (seller or staff).

    The units recorded at dispatch are checked; when none was recorded, ``identifier`` (the
    IMEI or serial typed by the seller) is.
    """
    claim = claim_locked(claim)
    side = require_side(claim, actor, SIDE_SELLER, SIDE_STAFF, doing="check the device")
    if claim.status not in (Status.INSPECTING, Status.LOCKED):
        raise claim_refused(claim, "only a device the seller has received can be checked.")
    device_check_run(claim, actor=actor, side=side, identifier=identifier)
    return claim


@transaction.atomic
def claim_device_recheck(*, claim: Claim, actor: Any) -> Claim:
    """Check a locked device again once its owner removed it (buyer, seller or staff).

    One check per claim every ``RECHECK_MINUTES`` minutes; the identifiers checked are the
    recorded units, or the one the seller typed for the last check.
    """
    claim = claim_locked(claim)
    side = claim_require(
        claim, actor, SIDE_BUYER, SIDE_SELLER, SIDE_STAFF, doing="ask for a new device check"
    )
    if claim.status not in (Status.INSPECTING, Status.LOCKED):
        raise claim_refused(claim, "only a device the seller has received can be checked.")
    last = selectors.claim_last_device_check(claim)
    if last is None and not selectors.claim_unit_identifiers(claim):
        raise claim_refused(claim, "the seller has not checked the device yet.")
    device_recheck_allowed(claim)
    device_check_run(claim, actor=actor, side=side, identifier=last.identifier if last else "")
    return claim


@transaction.atomic
def claim_device_sandbox_release(*, claim: Claim, actor: Any) -> Claim:
    """Remove the locked device from its owner's account, in the sandbox only (buyer).

    The real step happens on the account's site (iCloud, Google), which the platform never
    reaches; the sandbox's ``release`` stands for it so the demo's buyer can go on with a
    re-check. Any other provider refuses.
    """
    claim = claim_locked(claim)
    side = claim_require(claim, actor, SIDE_BUYER, doing="remove the device from an account")
    service = get_activation_lock()
    if not isinstance(service, SandboxActivationLock):
        raise claim_refused(claim, "remove the device on your account's site, then ask again.")
    if claim.status != Status.LOCKED:
        raise claim_refused(claim, "the device is not locked to an account.")
    identifiers = {check.identifier for check in claim.device_checks.filter(result=Result.LOCKED)}
    for value in sorted(identifiers):
        service.release(identifier=value)
    claim_event_add(
        claim, action="sandbox_released", side=side, actor=actor, note="Sandbox: removed"
    )
    return claim


def require_clear(claim: Claim) -> None:
    """Refuse, in plain words, to go on with a device not shown free of any account."""
    if not selectors.claim_device_clear(claim):
        raise claim_refused(claim, NOT_CLEAR)
