"""Consents and objections outside cookies, as on the privacy page: the objection to the
recording of calls and chats (CONSENT-6), and the consent to facial biometric checks,
given to the current text and withdrawable, with a check without biometrics always
offered (CONSENT-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import StrictBool

from recommerce.platform.api import DENIED
from recommerce.privacy.api.common import REFUSED, person, person_router
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC,
    BIOMETRIC_TEXT,
    BIOMETRIC_TEXT_VERSION,
    METHOD_API,
    RECORDING_OBJECTION,
    ConsentError,
    biometric_check_allowed,
    identity_check_methods,
    personal_consent_latest,
    personal_consent_record,
    recording_allowed,
)

router = person_router()


class ConsentsOut(Schema):
    recording_objected: bool = Field(description="My calls and chats are not recorded.")
    recording_objected_since: dt.datetime | None
    biometric_given: bool = Field(description="I consent to facial biometric checks.")
    biometric_given_since: dt.datetime | None
    biometric_text: str = Field(description="The text a consent is given to.")
    biometric_text_version: str
    identity_check_methods: list[str] = Field(
        description="How my identity can be checked; the one without biometrics comes first."
    )


class RecordingIn(Schema):
    objected: StrictBool


class BiometricIn(Schema):
    given: StrictBool
    text_version: str = Field(
        "", max_length=20, description="To give consent: the version of the text agreed to."
    )


def _consents(user: Any) -> dict[str, Any]:
    objected = not recording_allowed(user=user)
    given = biometric_check_allowed(user=user)
    recording = personal_consent_latest(user=user, kind=RECORDING_OBJECTION) if objected else None
    biometric = personal_consent_latest(user=user, kind=BIOMETRIC) if given else None
    return {
        "recording_objected": objected,
        "recording_objected_since": recording.created_at if recording else None,
        "biometric_given": given,
        "biometric_given_since": biometric.created_at if biometric else None,
        "biometric_text": BIOMETRIC_TEXT,
        "biometric_text_version": BIOMETRIC_TEXT_VERSION,
        "identity_check_methods": identity_check_methods(user=user),
    }


@router.get(
    "/me/privacy/consents",
    response={200: ConsentsOut, **DENIED},
    summary="My call recording objection and biometric consent",
)
def consents_get(request: HttpRequest) -> dict[str, Any]:
    return _consents(person(request))


@router.put(
    "/me/privacy/consents/recording",
    response={200: ConsentsOut, **REFUSED, **DENIED},
    summary="Object to the recording of my calls and chats, or allow it",
)
def recording_put(request: HttpRequest, payload: RecordingIn) -> dict[str, Any]:
    user = person(request)
    personal_consent_record(
        user=user, kind=RECORDING_OBJECTION, given=payload.objected, method=METHOD_API
    )
    return _consents(user)


@router.put(
    "/me/privacy/consents/biometric",
    response={200: ConsentsOut, **REFUSED, **DENIED},
    summary="Give or withdraw my consent to facial biometric checks",
)
def biometric_put(request: HttpRequest, payload: BiometricIn) -> dict[str, Any]:
    """Consent to the current text (its version), or withdraw; 400 for another version."""
    user = person(request)
    try:
        personal_consent_record(
            user=user,
            kind=BIOMETRIC,
            given=payload.given,
            method=METHOD_API,
            text_version=payload.text_version,
        )
    except ConsentError as error:
        raise ValidationError({"text_version": [str(error)]}) from error
    return _consents(user)
