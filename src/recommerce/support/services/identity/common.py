"""What the identity-check services share: permissions, locks, who may act, mail."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from recommerce.accounts.models import User
from recommerce.platform.mail import send_templated
from recommerce.privacy.models import Disclosure
from recommerce.support.models import Claim, IdentityCheck, IdentityEvidence
from recommerce.support.services.common import (
    claim_refused,
)

EVIDENCE_PERMISSION = "support.view_identity_evidence"
Status = IdentityCheck.Status
Method = IdentityCheck.Method
Kind = IdentityEvidence.Kind
OPEN_STATUSES = (Status.REQUESTED, Status.SUBMITTED)
# What the person hands the identity-verification service on its page (SHARE-5).
BIOMETRIC_FIELDS = ("identity document", "selfie video", "claim reference")
RECIPIENT_KIND = Disclosure.RecipientKind.IDENTITY_SERVICE


def identity_verifier() -> Any:
    # Imported when used: the adapter module loads the provider's SDK only where needed.
    from recommerce.support.providers.identity import get_identity_verifier

    return get_identity_verifier()


class BiometricConsentRequired(ValidationError):
    """A live check was asked for without consent to the biometric text in force."""


# --- Helpers ---------------------------------------------------------------------------------


def staff_with(actor: Any, *permissions: str) -> bool:
    return (
        isinstance(actor, User)
        and actor.is_active
        and actor.is_staff
        and all(actor.has_perm(p) for p in permissions)
    )


def check_locked(check: IdentityCheck) -> IdentityCheck:
    return (
        IdentityCheck.objects.select_for_update(of=("self",))
        .select_related("claim", "person")
        .get(pk=check.pk)
    )


def person_require(check: IdentityCheck, actor: Any, *, doing: str) -> User:
    person = check.person
    if not isinstance(actor, User) or person is None or actor.pk != person.pk:
        raise PermissionError(f"Only the person asked can {doing}.")
    if check.claim.buyer_id != actor.pk:
        raise PermissionError(f"Only the person asked can {doing}.")
    return actor


def open_require(check: IdentityCheck, *, doing: str) -> None:
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


def person_tell(check: IdentityCheck, *, template: str, subject: str) -> None:
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
