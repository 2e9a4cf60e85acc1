"""After-sales API: the claimant's identity checks (COLLECT-8, CONSENT-5), with the person's
session. Another person's check or claim answers 404; a live check without consent to the
biometric text in force answers 409 and opens nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.params.functions import File as optional_file  # a file that may be left out

from recommerce.accounts.api_auth import PERSON, request_person
from recommerce.accounts.models import User
from recommerce.platform.api import (
    BAD_INPUT,
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    InvalidInput,
    Problem,
    RowId,
    idempotent_response,
    one_of,
)
from recommerce.platform.providers import ProviderError
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC_TEXT,
    BIOMETRIC_TEXT_VERSION,
    ConsentError,
    biometric_check_allowed,
)
from recommerce.support.models import IdentityCheck
from recommerce.support.selectors import identity as selectors
from recommerce.support.services import identity as services

router = Router(tags=["After-sales"])
BAD: dict[int, Any] = {400: Problem | InvalidInput, 422: InvalidInput}
CONFLICT: dict[int, Any] = {409: Problem}


class IdentityCheckOut(Schema):
    id: int
    claim: str = Field(description="The claim's reference")
    reason: str
    status: str = one_of(IdentityCheck.Status)
    method: str = one_of(["", *IdentityCheck.Method.values])
    requested_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_note: str
    provider_reasons: list[str] = Field(
        description="What the identity service asked the person to fix, on a live check"
    )
    documents_needed: list[str] = Field(description="The files the document route needs")
    biometric_allowed: bool = Field(
        description="The person consented to the biometric text in force"
    )
    biometric_text: str
    biometric_text_version: str


class BiometricConsentIn(Schema):
    accepted: bool
    text_version: str = Field(
        "", max_length=40, description="The version of the text shown (required to accept)"
    )


class BiometricConsentOut(Schema):
    given: bool
    text_version: str
    recorded_at: dt.datetime


class LiveCheckOut(Schema):
    url: str = Field(description="The identity service's page, where the person goes next")


def _check(request: HttpRequest, check_id: int) -> IdentityCheck:
    check = selectors.identity_check_for_person(user=request_person(request), check_id=check_id)
    if check is None:
        raise HttpError(404, "No such identity check.")
    return check


def _documents_needed(check: IdentityCheck) -> list[str]:
    needed = ["identity_document"]
    if check.claim.kind == check.claim.Kind.NOT_RECEIVED:
        needed += ["proof_of_address", "declaration"]
    return needed


def check_out(check: IdentityCheck, *, user: User) -> dict[str, Any]:
    return {
        "id": check.pk,
        "claim": check.claim.reference,
        "reason": check.reason,
        "status": check.status,
        "method": check.method,
        "requested_at": check.requested_at,
        "submitted_at": check.submitted_at,
        "decided_at": check.decided_at,
        "decision_note": check.decision_note,
        "provider_reasons": list(check.provider_reasons or []),
        "documents_needed": _documents_needed(check),
        "biometric_allowed": biometric_check_allowed(user=user),
        "biometric_text": BIOMETRIC_TEXT,
        "biometric_text_version": BIOMETRIC_TEXT_VERSION,
    }


def _answer(
    request: HttpRequest,
    check_id: int,
    key: str,
    *,
    operation: str,
    body: dict[str, Any],
    action: Callable[[IdentityCheck, User], tuple[int, Any]],
) -> Status[Any]:
    user = request_person(request)
    check = _check(request, check_id)
    return idempotent_response(
        actor=f"user:{user.pk}",
        key=key,
        operation=f"{operation}:{check.pk}",
        body=body,
        call=lambda: action(check, user),
    )


@router.get(
    "/claims/{reference}/identity-checks",
    auth=PERSON,
    response={200: list[IdentityCheckOut], **NOT_FOUND, **DENIED},
    summary="The identity checks asked on my claim",
)
def identity_check_list(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    user = request_person(request)
    claim = selectors.claim_of_buyer(user=user, reference=reference)
    if claim is None:
        raise HttpError(404, "No such claim.")
    checks = selectors.identity_checks_of_claim(claim=claim).filter(person=user)
    return [check_out(check, user=user) for check in checks]


@router.post(
    "/identity-checks/{check_id}/documents",
    auth=PERSON,
    response={200: IdentityCheckOut, **BAD, **NOT_FOUND, **DENIED, **CONFLICT},
    summary="Send my identity documents (multipart: JPEG, PNG or PDF), reviewed by staff",
)
def identity_documents_send(
    request: HttpRequest,
    check_id: RowId,
    identity_document: File[UploadedFile],
    proof_of_address: UploadedFile | None = optional_file(None),  # noqa: B008
    declaration: UploadedFile | None = optional_file(None),  # noqa: B008
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    uploads = {
        "identity_document": identity_document,
        "proof_of_address": proof_of_address,
        "declaration": declaration,
    }
    # The replay key covers the files' names and sizes, not their bytes.
    body = {
        name: [upload.name, upload.size] if upload is not None else None
        for name, upload in uploads.items()
    }

    def send(check: IdentityCheck, user: User) -> tuple[int, Any]:
        done = services.identity_documents_submit(
            check=check,
            actor=user,
            identity_document=identity_document,
            proof_of_address=proof_of_address,
            declaration=declaration,
        )
        return 200, IdentityCheckOut.model_validate(check_out(done, user=user)).model_dump(
            mode="json"
        )

    return _answer(
        request, check_id, idempotency_key, operation="identity.documents", body=body, action=send
    )


@router.post(
    "/identity-checks/{check_id}/biometric-consent",
    auth=PERSON,
    response={200: BiometricConsentOut, **BAD, **NOT_FOUND, **DENIED},
    summary="Accept or decline the live check's biometric text (CONSENT-5)",
)
def identity_biometric_consent(
    request: HttpRequest,
    check_id: RowId,
    payload: BiometricConsentIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    def record(check: IdentityCheck, user: User) -> tuple[int, Any]:
        try:
            row = services.identity_biometric_consent(
                check=check,
                actor=user,
                accepted=payload.accepted,
                text_version=payload.text_version,
            )
        except ConsentError as error:
            raise DjangoValidationError({"text_version": [str(error)]}) from None
        out = {"given": row.given, "text_version": row.text_version, "recorded_at": row.created_at}
        return 200, BiometricConsentOut.model_validate(out).model_dump(mode="json")

    return _answer(
        request,
        check_id,
        idempotency_key,
        operation="identity.consent",
        body=payload.dict(),
        action=record,
    )


@router.post(
    "/identity-checks/{check_id}/biometric",
    auth=PERSON,
    response={200: LiveCheckOut, **BAD_INPUT, **NOT_FOUND, **DENIED, **CONFLICT, 503: Problem},
    summary="Start a live check at the identity service (needs consent first)",
)
def identity_biometric_start(
    request: HttpRequest, check_id: RowId, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    def start(check: IdentityCheck, user: User) -> tuple[int, Any]:
        back = request.build_absolute_uri(
            reverse("support:identity_check", kwargs={"check_id": check.pk})
        )
        try:
            url = services.identity_biometric_start(check=check, actor=user, return_url=back)
        except services.BiometricConsentRequired as error:
            # Raised, not answered: a retry with the same key after consenting can start.
            raise HttpError(409, " ".join(error.messages)) from None
        except ProviderError:
            raise HttpError(
                503, "The identity service cannot be reached now; try later or send documents."
            ) from None
        return 200, {"url": services.identity_hosted_url(check=check, url=url)}

    return _answer(
        request, check_id, idempotency_key, operation="identity.biometric", body={}, action=start
    )
