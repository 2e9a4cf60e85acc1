"""The identity service's signed notifications, and customer service's decision."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from recommerce.platform import clock
from recommerce.platform.providers import ProviderError
from recommerce.support.models import Claim, IdentityCheck
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_STAFF,
    SIDE_SYSTEM,
    claim_event_add,
    claim_refused,
)
from recommerce.support.services.identity.common import (
    EVIDENCE_PERMISSION,
    OPEN_STATUSES,
    Method,
    Status,
    check_locked,
    identity_verifier,
    person_tell,
    staff_with,
)

# --- The service's answer --------------------------------------------------------------------


class WebhookRefused(Exception):
    """The notification is not the identity-verification service's (bad signature)."""


# What each of the service's outcomes makes of the check; anything else is ignored.
_OUTCOMES = {
    "processing": Status.SUBMITTED,
    "verified": Status.PASSED,
    "requires_input": Status.REQUESTED,
    "needs_review": Status.SUBMITTED,
    "canceled": Status.REQUESTED,
}


def identity_hosted_url(*, check: IdentityCheck, url: str) -> str:
    """Return where the person goes for a live check: the sandbox's stand-in page, or ``url``.

    The sandbox service has no page of its own; the app's sandbox page stands for it.
    """
    verifier = identity_verifier()
    if getattr(verifier, "name", "") == "sandbox" and not getattr(verifier, "page_url", ""):
        try:
            path = reverse("support:identity_live", kwargs={"check_id": check.pk})
        except NoReverseMatch:
            return url
        return f"{settings.SITE_URL}{path}"
    return url


@transaction.atomic
def identity_webhook_handle(*, payload: bytes, signature: str) -> IdentityCheck | None:
    """Apply the service's signed notification about a live check to that check.

    ``verified`` passes the check (its result and reasons kept as evidence); ``requires_input``
    and ``canceled`` hand it back to the person with the service's reasons; ``needs_review``
    sends it to staff. A notification not signed by the service changes nothing; a repeat,
    one about an older session, or one arriving after a decision changes nothing either.
    """
    verifier = identity_verifier()
    try:
        event = verifier.webhook_parse(payload=payload, signature=signature)
    except ProviderError as error:
        if error.code == "replayed":
            return None
        raise WebhookRefused(str(error)) from error
    target = _OUTCOMES.get(str(event.status))
    found = IdentityCheck.objects.filter(
        provider_session=event.session_id, method=Method.BIOMETRIC
    ).first()
    if target is None or found is None:
        return None
    check = check_locked(found)
    reasons = [str(reason)[:200] for reason in (event.reasons or ())]
    if check.status not in OPEN_STATUSES or check.claim.status == Claim.Status.CLOSED:
        return check
    if check.provider_result == event.status and check.provider_reasons == reasons:
        return check
    if (
        check.status == Status.SUBMITTED
        and target == Status.SUBMITTED
        and event.status == ("processing")
    ):
        return check
    now = clock.now()
    check.status = target
    check.provider_result = str(event.status)
    check.provider_reasons = reasons
    fields = ["status", "provider_result", "provider_reasons"]
    if target != Status.REQUESTED and check.submitted_at is None:
        check.submitted_at = now
        fields.append("submitted_at")
    if target == Status.PASSED:
        check.decided_at = now
        fields.append("decided_at")
    check.save(update_fields=fields)
    claim = check.claim
    if target == Status.PASSED:
        claim_event_add(claim, action="identity.passed", side=SIDE_SYSTEM, note="live check")
        person_tell(
            check, template="identity_decided", subject=f"Identity confirmed ({claim.reference})"
        )
    elif event.status == "requires_input":
        claim_event_add(claim, action="identity.input_needed", side=SIDE_SYSTEM)
        person_tell(
            check,
            template="identity_input_needed",
            subject=f"Your identity check needs another try ({claim.reference})",
        )
    elif event.status == "needs_review":
        claim_event_add(claim, action="identity.review", side=SIDE_SYSTEM, note="live check")
    return check


# --- Customer service decides ----------------------------------------------------------------


@transaction.atomic
def identity_decide(*, check: IdentityCheck, actor: Any, passed: bool, note: str) -> IdentityCheck:
    """Decide a submitted check: identity confirmed or not; the person is told.

    Staff who open evidence and decide claims only; a refusal states its reason.
    """
    if not staff_with(actor, EVIDENCE_PERMISSION, DECIDE_PERMISSION):
        raise PermissionError("Only customer service can decide an identity check.")
    check = check_locked(check)
    claim = check.claim
    note = " ".join(note.split())
    if check.status != Status.SUBMITTED:
        raise claim_refused(
            claim,
            f"this identity check is {check.get_status_display().lower()}, not waiting "
            "for a decision.",
        )
    if claim.status == Claim.Status.CLOSED:
        raise claim_refused(claim, "it is closed; its identity check can no longer be decided.")
    if not passed and not note:
        raise claim_refused(claim, "say why the identity is not confirmed.")
    if len(note) > 300:
        raise claim_refused(claim, "the note has at most 300 characters.")
    check.status = Status.PASSED if passed else Status.FAILED
    check.decided_by = actor
    check.decided_at = clock.now()
    check.decision_note = note
    check.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    claim_event_add(
        claim,
        action="identity.passed" if passed else "identity.failed",
        side=SIDE_STAFF,
        actor=actor,
        note=note,
    )
    subject = "Identity confirmed" if passed else "Identity not confirmed"
    person_tell(check, template="identity_decided", subject=f"{subject} ({claim.reference})")
    return check
