"""Asking for an identity check and the person's two answers: documents, or a live check
with consent to the biometric text in force (CONSENT-5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction

from recommerce.platform import clock
from recommerce.privacy import purposes
from recommerce.privacy.models import PersonalConsent
from recommerce.privacy.services.logs import disclosure_record
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC,
    BIOMETRIC_TEXT_VERSION,
    METHOD_IDENTITY_CHECK,
    biometric_check_allowed,
    personal_consent_record,
)
from recommerce.support.models import Claim, IdentityCheck, IdentityEvidence
from recommerce.support.services.common import (
    DECIDE_PERMISSION,
    SIDE_BUYER,
    SIDE_STAFF,
    claim_event_add,
    claim_locked,
    claim_refused,
)
from recommerce.support.services.identity.common import (
    BIOMETRIC_FIELDS,
    OPEN_STATUSES,
    RECIPIENT_KIND,
    BiometricConsentRequired,
    Kind,
    Method,
    Status,
    check_locked,
    claim_value_minor,
    identity_verifier,
    open_require,
    person_require,
    person_tell,
    staff_with,
)

# --- Customer service asks -------------------------------------------------------------------


@transaction.atomic
def identity_check_request(*, claim: Claim, actor: Any, reason: str) -> IdentityCheck:
    """Ask the claimant to prove who they are, for a flagged or large claim.

    Customer service only (``support.decide_claim``), on a claim still open, one check
    waiting at a time. The person is emailed a link to the check's page.
    """
    if not staff_with(actor, DECIDE_PERMISSION):
        raise PermissionError("Only customer service can ask for an identity check.")
    claim = claim_locked(claim)
    reason = " ".join(reason.split())
    threshold = settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR
    if claim.status == Claim.Status.CLOSED:
        raise claim_refused(claim, "it is closed; no identity check can be asked.")
    if claim.buyer is None:
        raise claim_refused(claim, "the buyer's account no longer exists.")
    if not claim.risk_flagged and claim_value_minor(claim) <= threshold:
        raise claim_refused(
            claim,
            f"an identity check is asked only for claims the risk rules flag or above "
            f"{threshold / 100:.2f} {claim.order.currency}.",
        )
    if not reason:
        raise claim_refused(claim, "say why the identity check is needed.")
    if len(reason) > 200:
        raise claim_refused(claim, "the reason has at most 200 characters.")
    if claim.identity_checks.filter(status__in=OPEN_STATUSES).exists():
        raise claim_refused(claim, "an identity check is already waiting for an answer.")
    now = clock.now()
    check = IdentityCheck.objects.create(
        claim=claim,
        person=claim.buyer,
        reason=reason,
        requested_by=actor,
        requested_at=now,
    )
    if not claim.identity_required:
        claim.identity_required = True
        claim.save(update_fields=["identity_required", "updated_at"])
    claim_event_add(claim, action="identity.requested", side=SIDE_STAFF, actor=actor, note=reason)
    person_tell(
        check, template="identity_requested", subject=f"Confirm your identity ({claim.reference})"
    )
    return check


# --- Document route --------------------------------------------------------------------------


@transaction.atomic
def identity_documents_submit(
    *,
    check: IdentityCheck,
    actor: Any,
    identity_document: File[Any],
    proof_of_address: File[Any] | None = None,
    declaration: File[Any] | None = None,
) -> IdentityCheck:
    """Take the person's documents for staff to review (JPEG, PNG or PDF, checked by
    content); a parcel-not-received claim also needs the signed declaration of
    non-receipt and a proof of address.
    """
    check = check_locked(check)
    person_require(check, actor, doing="send documents for this identity check")
    open_require(check, doing="send documents")
    claim = check.claim
    given = {
        Kind.IDENTITY_DOCUMENT: identity_document,
        Kind.PROOF_OF_ADDRESS: proof_of_address,
        Kind.DECLARATION: declaration,
    }
    missing = [kind.label.lower() for kind, upload in given.items() if upload is None]
    if given[Kind.IDENTITY_DOCUMENT] is None:
        raise claim_refused(claim, "add a photo or scan of your identity document.")
    if claim.kind == Claim.Kind.NOT_RECEIVED and missing:
        raise claim_refused(claim, f"for a parcel not received, add also: {' and '.join(missing)}.")
    from recommerce.support import files

    checked: list[tuple[Kind, Any]] = []
    for kind, upload in given.items():
        if upload is None:
            continue
        try:
            checked.append(
                (kind, files.attachment_check(name=str(upload.name or kind), content=upload))
            )
        except ValidationError as error:
            raise ValidationError(
                [f"{kind.label}: {message}" for message in error.messages]
            ) from None
    now = clock.now()
    written: list[IdentityEvidence] = []
    try:
        for kind, sound in checked:
            evidence = IdentityEvidence(
                identity_check=check,
                kind=kind,
                content_type=sound.content_type,
                size=sound.size,
                uploaded_at=now,
            )
            evidence.file.save(f"{kind}.{sound.extension}", ContentFile(sound.content), save=False)
            written.append(evidence)
            evidence.save()
        check.method = Method.DOCUMENT
        check.status = Status.SUBMITTED
        check.submitted_at = now
        check.provider_reasons = []
        check.save(update_fields=["method", "status", "submitted_at", "provider_reasons"])
        claim_event_add(claim, action="identity.documents_sent", side=SIDE_BUYER, actor=actor)
    except BaseException:
        # The rows roll back; the sealed files written so far must not stay behind.
        _files_delete(written)
        raise
    return check


def _files_delete(rows: list[IdentityEvidence]) -> None:
    for row in rows:
        if row.file.name:
            row.file.storage.delete(row.file.name)


# --- Biometric route (CONSENT-5) -------------------------------------------------------------


@transaction.atomic
def identity_biometric_consent(
    *, check: IdentityCheck, actor: Any, accepted: bool, text_version: str = BIOMETRIC_TEXT_VERSION
) -> PersonalConsent:
    """Record the person's answer to the biometric text shown on the check's page.

    Declining is recorded too (as evidence of the choice) and leaves the document route.
    """
    check = check_locked(check)
    person = person_require(check, actor, doing="answer for this identity check")
    return personal_consent_record(
        user=person,
        kind=BIOMETRIC,
        given=accepted,
        method=METHOD_IDENTITY_CHECK,
        text_version=text_version if accepted else "",
    )


@transaction.atomic
def identity_biometric_start(*, check: IdentityCheck, actor: Any, return_url: str) -> str:
    """Open a live check at the identity-verification service; return its page's address.

    Refused unless the person consented to the biometric text in force: without it no
    session is opened and nothing is disclosed.
    """
    check = check_locked(check)
    person = person_require(check, actor, doing="start a live check")
    open_require(check, doing="start a live check")
    if not biometric_check_allowed(user=person):
        raise BiometricConsentRequired(
            "Accept the text about the live check first, or send documents instead."
        )
    verifier = identity_verifier()
    session = verifier.session_create(
        reference=f"idc-{check.pk}", biometric=True, return_url=return_url
    )
    disclosure_record(
        subject=person,
        recipient_kind=RECIPIENT_KIND,
        recipient=f"identity-verification service ({verifier.name})",
        fields=BIOMETRIC_FIELDS,
        purpose=purposes.IDENTITY_BIOMETRIC,
        reference=check.claim.reference,
    )
    check.method = Method.BIOMETRIC
    check.provider = verifier.name
    check.provider_session = session.id
    check.consent_version = BIOMETRIC_TEXT_VERSION
    check.provider_result = ""
    check.save(
        update_fields=[
            "method",
            "provider",
            "provider_session",
            "consent_version",
            "provider_result",
        ]
    )
    claim_event_add(check.claim, action="identity.live_started", side=SIDE_BUYER, actor=actor)
    return str(session.url)
