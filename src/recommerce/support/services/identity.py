"""Identity checks of claims (COLLECT-8, CONSENT-5): asked by customer service, answered by
the claimant with documents reviewed by staff, or, only with consent to the biometric text
in force, by a live check at the identity-verification service.

- The document route is always open: declining (or withdrawing) biometric consent never
  shuts the person out.
- A live check starts only while ``biometric_check_allowed`` holds; the session and the
  disclosure to the service are written in one transaction. The service's result (not the
  video, which stays with the service) is kept as the claim's evidence.
- Evidence files are sealed at rest and leave storage only through
  ``identity_evidence_open``, which checks the role and logs the look (SEC-1).
- ``identity_evidence_purge`` deletes the files a set number of days after the claim
  closes; the check and its result stay.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from recommerce.accounts.models import User
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.providers import ProviderError
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure, PersonalConsent
from recommerce.privacy.services.logs import disclosure_record, staff_access_record
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
    SIDE_SYSTEM,
    claim_event_add,
    claim_locked,
    claim_refused,
)

EVIDENCE_PERMISSION = "support.view_identity_evidence"
Status = IdentityCheck.Status
Method = IdentityCheck.Method
Kind = IdentityEvidence.Kind
OPEN_STATUSES = (Status.REQUESTED, Status.SUBMITTED)
# What the person hands the identity-verification service on its page (SHARE-5).
BIOMETRIC_FIELDS = ("identity document", "selfie video", "claim reference")
RECIPIENT_KIND = Disclosure.RecipientKind.FRAUD_SERVICE


def identity_verifier() -> Any:
    # Imported when used: the adapter module loads the provider's SDK only where needed.
    from recommerce.support.providers.identity import get_identity_verifier

    return get_identity_verifier()


class BiometricConsentRequired(ValidationError):
    """A live check was asked for without consent to the biometric text in force."""


# --- Helpers ---------------------------------------------------------------------------------


def _staff_with(actor: Any, *permissions: str) -> bool:
    return (
        isinstance(actor, User)
        and actor.is_active
        and actor.is_staff
        and all(actor.has_perm(p) for p in permissions)
    )


def _check_locked(check: IdentityCheck) -> IdentityCheck:
    return (
        IdentityCheck.objects.select_for_update().select_related("claim", "person").get(pk=check.pk)
    )


def _person_require(check: IdentityCheck, actor: Any, *, doing: str) -> User:
    person = check.person
    if not isinstance(actor, User) or person is None or actor.pk != person.pk:
        raise PermissionError(f"Only the person asked can {doing}.")
    if check.claim.buyer_id != actor.pk:
        raise PermissionError(f"Only the person asked can {doing}.")
    return actor


def _open_require(check: IdentityCheck, *, doing: str) -> None:
    claim = check.claim
    if claim.status == Claim.Status.CLOSED:
        raise claim_refused(claim, f"it is closed, so you cannot {doing} any more.")
    if check.status != Status.REQUESTED:
        raise claim_refused(claim, f"this identity check is {check.get_status_display().lower()}.")


def claim_value_minor(claim: Claim) -> int:
    """Return what ``claim`` is about: its item's price, or the whole order."""
    line = claim.line
    if line is not None:
        return line.unit_price_minor * line.quantity
    return claim.order.total_minor


def identity_check_url(check: IdentityCheck) -> str:
    try:
        path = reverse("support:identity_check", kwargs={"check_id": check.pk})
    except NoReverseMatch:
        path = f"/account/support/identity/{check.pk}/"
    return f"{settings.SITE_URL}{path}"


def _tell(check: IdentityCheck, *, template: str, subject: str) -> None:
    """Email the person once the transaction commits (transactional mail)."""
    person = check.person
    if person is None or not person.email:
        return
    context = {
        "check": check,
        "claim": check.claim,
        "url": identity_check_url(check),
        "reasons": identity_reasons_text(check),
        "name": person.first_name if hasattr(person, "first_name") else "",
    }
    transaction.on_commit(
        partial(
            send_templated,
            to=[person.email],
            subject=subject,
            template=f"support/emails/{template}",
            context=context,
        )
    )


# --- Customer service asks -------------------------------------------------------------------


@transaction.atomic
def identity_check_request(*, claim: Claim, actor: Any, reason: str) -> IdentityCheck:
    """Ask the claimant to prove who they are, for a flagged or large claim.

    Customer service only (``support.decide_claim``), on a claim still open, one check
    waiting at a time. The person is emailed a link to the check's page.
    """
    if not _staff_with(actor, DECIDE_PERMISSION):
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
    _tell(
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
    check = _check_locked(check)
    _person_require(check, actor, doing="send documents for this identity check")
    _open_require(check, doing="send documents")
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
    check = _check_locked(check)
    person = _person_require(check, actor, doing="answer for this identity check")
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
    check = _check_locked(check)
    person = _person_require(check, actor, doing="start a live check")
    _open_require(check, doing="start a live check")
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
# The service's reason codes, as the person reads them.
REASON_TEXTS = {
    "document_unreadable": "The photo of your identity document could not be read.",
    "selfie_missing": "No selfie video was received.",
    "document_expired": "The identity document has expired.",
    "selfie_mismatch": "The selfie did not match the photo on the document.",
}


def identity_reasons_text(check: IdentityCheck) -> list[str]:
    """Return the service's reasons as sentences the person can act on."""
    return [
        REASON_TEXTS.get(code, "The identity service could not complete the check.")
        for code in check.provider_reasons or []
    ]


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
    check = _check_locked(found)
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
        _tell(check, template="identity_decided", subject=f"Identity confirmed ({claim.reference})")
    elif event.status == "requires_input":
        claim_event_add(claim, action="identity.input_needed", side=SIDE_SYSTEM)
        _tell(
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
    if not _staff_with(actor, EVIDENCE_PERMISSION, DECIDE_PERMISSION):
        raise PermissionError("Only customer service can decide an identity check.")
    check = _check_locked(check)
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
    _tell(check, template="identity_decided", subject=f"{subject} ({claim.reference})")
    return check


# --- Evidence: looks and deletion ------------------------------------------------------------


def identity_evidence_open(*, evidence: IdentityEvidence, staff: Any) -> bytes:
    """Return the decrypted file for staff who may open identity evidence; log the look.

    Any other caller (finance, the data-protection team, a seller, a buyer) gets
    ``PermissionError`` and nothing is read or logged.
    """
    if not _staff_with(staff, EVIDENCE_PERMISSION):
        raise PermissionError("Your role does not open identity documents.")
    check = evidence.identity_check
    with evidence.file.open("rb") as handle:
        content = bytes(handle.read())
    staff_access_record(
        staff=staff,
        subject=check.person,
        what=f"{evidence.get_kind_display()} of claim {check.claim.reference}",
        path=f"support/identity/{check.pk}/evidence/{evidence.pk}",
    )
    return content


def identity_evidence_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the evidence of checks whose claim closed more than the kept days ago.

    Return how many files went. The check, its result and its reasons stay.
    """
    now = now or clock.now()
    cutoff = now - dt.timedelta(days=settings.SUPPORT_IDENTITY_EVIDENCE_DAYS)
    due = IdentityCheck.objects.filter(
        claim__status=Claim.Status.CLOSED,
        claim__closed_at__lt=cutoff,
        evidence_deleted_at__isnull=True,
    ).values_list("pk", flat=True)
    deleted = 0
    for check_id in list(due):
        deleted += _check_evidence_delete(check_id, now=now)
    return deleted


@transaction.atomic
def _check_evidence_delete(check_id: int, *, now: dt.datetime) -> int:
    check = IdentityCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None or check.evidence_deleted_at is not None:
        return 0
    rows = list(check.evidence.all())
    names = [(row.file.storage, row.file.name) for row in rows if row.file.name]
    IdentityEvidence.objects.filter(pk__in=[row.pk for row in rows]).delete()
    check.evidence_deleted_at = now
    check.save(update_fields=["evidence_deleted_at"])

    def unlink() -> None:
        for storage, name in names:
            storage.delete(name)

    # Files go once the rows are gone for good: a rollback keeps both.
    transaction.on_commit(unlink)
    return len(rows)
