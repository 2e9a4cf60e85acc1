"""Consents and objections a person gives outside cookies, and the gates that read them.

- CONSENT-5: a facial biometric check needs the person's explicit consent to a given text;
  refusing it, or withdrawing it, always leaves a check without biometrics.
- CONSENT-6: a person may object to the recording of calls and chats with customer
  service; support tools ask ``recording_allowed`` before they record.

The latest row per person and kind is in force; every change is kept as evidence with
the text version shown, how it was given and who recorded it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from recommerce.privacy.models import PersonalConsent
from recommerce.privacy.selectors import personal_consent_given
from recommerce.privacy.services.logs import audit_event_record

Kind = PersonalConsent.Kind
BIOMETRIC = Kind.BIOMETRIC
RECORDING_OBJECTION = Kind.RECORDING_OBJECTION

BIOMETRIC_TEXT_VERSION = "2026-11"
BIOMETRIC_TEXT = (
    "I agree that Recommerce compares a short selfie video of me with the photo on my "
    "identity document, by automated facial recognition, to confirm my identity when a "
    "check is needed. The facial data from the video is used only for this comparison and "
    "deleted once the check is decided. I can withdraw this consent at any time on my "
    "privacy page; my identity can then still be checked from a document reviewed by staff."
)

DOCUMENT_CHECK = "document upload reviewed by staff"
BIOMETRIC_CHECK = "selfie video with facial comparison"

METHOD_PROFILE = "profile"
METHOD_SUPPORT = "support"
METHOD_API = "api"
METHOD_IDENTITY_CHECK = "identity check"
METHODS = (METHOD_PROFILE, METHOD_SUPPORT, METHOD_API, METHOD_IDENTITY_CHECK)

_ACTIONS = {
    (Kind.BIOMETRIC, True): "consent.biometric.give",
    (Kind.BIOMETRIC, False): "consent.biometric.withdraw",
    (Kind.RECORDING_OBJECTION, True): "consent.recording.object",
    (Kind.RECORDING_OBJECTION, False): "consent.recording.allow",
}


class ConsentError(ValueError):
    """The consent cannot be recorded as asked (a message fit to show the person)."""


def personal_consent_latest(*, user: Any, kind: str) -> PersonalConsent | None:
    """Return the row of ``kind`` in force for ``user``, if any."""
    return (
        PersonalConsent.objects.filter(user=user, kind=kind).order_by("-created_at", "-id").first()
    )


@transaction.atomic
def personal_consent_record(
    *,
    user: Any,
    kind: str,
    given: bool,
    method: str,
    text_version: str = "",
    recorded_by: Any = None,
) -> PersonalConsent:
    """Record a consent or objection of ``kind`` given (or withdrawn) by ``user``.

    ``recorded_by`` is the staff member who took it down (an objection said on the phone),
    None when the person acted themselves. Biometric consent is given only to the current
    text, named by its version. Asking for the state already in force writes nothing and
    returns the row in force.
    """
    if kind not in Kind.values:
        raise ConsentError(f"Unknown kind of consent: {kind!r}.")
    if method not in METHODS:
        raise ConsentError(f"Unknown way of giving consent: {method!r}.")
    if kind == Kind.BIOMETRIC and given and text_version != BIOMETRIC_TEXT_VERSION:
        raise ConsentError("Read and accept the current text to consent to biometric checks.")
    # Serialise changes of one person's consents, so two clicks cannot both write.
    people = get_user_model()._default_manager.select_for_update()
    people.filter(pk=user.pk).values_list("pk").first()
    current = personal_consent_latest(user=user, kind=kind)
    same_text = not given or (current is not None and current.text_version == text_version)
    if current is not None and current.given == given and same_text:
        return current
    row = PersonalConsent.objects.create(
        user=user,
        kind=kind,
        given=given,
        text_version=text_version if given else "",
        method=method,
        recorded_by=recorded_by,
    )
    audit_event_record(
        actor=recorded_by or user,
        subject=user,
        action=_ACTIONS[(Kind(kind), given)],
        target=row,
        fields=["given", "kind", "method", "text_version"],
    )
    return row


# --- Reads: the gates other apps call --------------------------------------------------------


def recording_allowed(*, user: Any) -> bool:
    """Tell whether a call or chat with ``user`` may be recorded (CONSENT-6).

    A caller without an account cannot have objected here; support asks them on the call.
    """
    if user is None or not getattr(user, "pk", None):
        return True
    return not personal_consent_given(user=user, kind=Kind.RECORDING_OBJECTION)


def biometric_check_allowed(*, user: Any) -> bool:
    """Tell whether ``user`` consented, to the current text, to a facial biometric check."""
    if user is None or not getattr(user, "pk", None):
        return False
    latest = personal_consent_latest(user=user, kind=Kind.BIOMETRIC)
    return latest is not None and latest.given and latest.text_version == BIOMETRIC_TEXT_VERSION


def identity_check_methods(*, user: Any) -> list[str]:
    """Return the ways ``user`` may prove their identity, the one without biometrics first.

    The document check is always offered, so refusing biometrics never shuts a person out
    (CONSENT-5); the facial comparison only with consent in force.
    """
    methods = [DOCUMENT_CHECK]
    if biometric_check_allowed(user=user):
        methods.append(BIOMETRIC_CHECK)
    return methods
