"""After-sales API: a claim's return (label, device check, receipt, inspection).

Buyers, seller members and staff use their session (``/claims/...``); a seller's system
uses its API key (``/seller/claims/...``, scope ``orders:write`` to act, ``orders:read``
to read). Every write takes an ``Idempotency-Key``: a retried request answers as the first.
A claim the caller has no part in is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from recommerce.accounts.api_auth import PERSON, SellerKey
from recommerce.accounts.models import SellerApiKey
from recommerce.orders.providers.carrier import get_carrier
from recommerce.platform.api import (
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    InvalidInput,
    Problem,
    idempotent_response,
)
from recommerce.platform.providers import ProviderError
from recommerce.support.models import Claim
from recommerce.support.selectors import returns as selectors
from recommerce.support.services import returns as services
from recommerce.support.services.common import claim_sides

router = Router(tags=["After-sales"])
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
ORDERS_WRITE = SellerApiKey.Scope.ORDERS_WRITE.value
BAD: dict[int, Any] = {400: Problem | InvalidInput, 409: Problem, 422: InvalidInput}


class DeviceCheckOut(Schema):
    result: str
    lock_kind: str
    checked_at: dt.datetime


class ClaimRefundOut(Schema):
    amount_minor: int
    status: str


class ReturnOut(Schema):
    reference: str
    status: str
    outcome: str
    resolution: str
    return_carrier: str
    return_tracking_number: str
    return_shipped_at: dt.datetime | None
    return_received_at: dt.datetime | None
    device_clear: bool
    device_checks: list[DeviceCheckOut]
    refund: ClaimRefundOut | None


class DeviceCheckIn(Schema):
    identifier: str = ""


class InspectionIn(Schema):
    decision: Literal["accept", "reject"]
    note: str = ""


def return_of(claim: Claim) -> dict[str, Any]:
    """Return the JSON of a claim's return (the same for every side)."""
    fresh = selectors.claim_for_returns(claim.reference)
    assert fresh is not None
    checks = fresh.device_checks.order_by("-checked_at", "-id")[:10]
    refund = fresh.refund
    return ReturnOut(
        reference=fresh.reference,
        status=fresh.status,
        outcome=fresh.outcome,
        resolution=fresh.resolution,
        return_carrier=fresh.return_carrier,
        return_tracking_number=fresh.return_tracking_number,
        return_shipped_at=fresh.return_shipped_at,
        return_received_at=fresh.return_received_at,
        device_clear=selectors.claim_device_clear(fresh),
        device_checks=[
            DeviceCheckOut(result=c.result, lock_kind=c.lock_kind, checked_at=c.checked_at)
            for c in checks
        ],
        refund=ClaimRefundOut(amount_minor=refund.amount_minor, status=refund.status)
        if refund
        else None,
    ).model_dump(mode="json")


def _person_claim(request: HttpRequest, reference: str) -> tuple[Claim, set[str]]:
    claim = selectors.claim_for_returns(reference)
    sides = claim_sides(claim=claim, actor=request.user) if claim else set()
    if claim is None or not sides:
        raise HttpError(404, "No such claim.")
    return claim, sides


def _seller_claim(request: HttpRequest, reference: str) -> tuple[Claim, SellerApiKey]:
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    claim = selectors.claim_for_returns(reference)
    if claim is None or claim.order.seller_id != key.seller_id:
        raise HttpError(404, "No such claim.")
    return claim, key


def _once(
    actor: str, key: str, operation: str, claim: Claim, body: Any, act: Callable[[], object]
) -> Status[Any]:
    def call() -> tuple[int, Any]:
        act()
        return 200, return_of(claim)

    return idempotent_response(
        actor=actor, key=key, operation=f"{operation}:{claim.reference}", body=body, call=call
    )


def _pdf(claim: Claim) -> HttpResponse:
    if not claim.return_tracking_number:
        raise HttpError(404, "This claim has no return label.")
    try:
        pdf = get_carrier().label_pdf(tracking_number=claim.return_tracking_number)
    except ProviderError as error:
        raise HttpError(503, "The carrier cannot give the label right now; try again.") from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="return-label-{claim.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


LABEL = {
    200: None,
    **NOT_FOUND,
    **DENIED,
    503: Problem,
}


# --- A person (buyer, seller member, staff) ---------------------------------------------------


@router.get(
    "/claims/{reference}/return",
    auth=PERSON,
    response={200: ReturnOut, **NOT_FOUND, **DENIED},
    summary="A claim's return: parcel, device checks, refund",
)
def claim_return(request: HttpRequest, reference: str) -> dict[str, Any]:
    return return_of(_person_claim(request, reference)[0])


@router.get(
    "/claims/{reference}/return-label",
    auth=PERSON,
    response=LABEL,
    summary="The prepaid return label (PDF), for the claim's buyer, seller and staff",
)
def claim_return_label(request: HttpRequest, reference: str) -> HttpResponse:
    return _pdf(_person_claim(request, reference)[0])


@router.post(
    "/claims/{reference}/device-check",
    auth=PERSON,
    response={200: ReturnOut, **BAD, **NOT_FOUND, **DENIED},
    summary="Check the returned device for an account lock (SEC-3); the buyer asks for a "
    "new check once the device is removed from their account",
)
def claim_device_check(
    request: HttpRequest,
    reference: str,
    payload: DeviceCheckIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    claim, sides = _person_claim(request, reference)
    user = request.user

    def act() -> object:
        # The buyer can only ask again; the seller's side types an identifier or asks again.
        if "buyer" in sides or (claim.device_checks.exists() and not payload.identifier):
            return services.claim_device_recheck(claim=claim, actor=user)
        return services.claim_device_check(claim=claim, actor=user, identifier=payload.identifier)

    return _once(
        f"user:{user.pk}", idempotency_key, "claim.device_check", claim, payload.dict(), act
    )


# --- A seller's system (API key) ----------------------------------------------------------------


SELLER_WRITE: dict[str, Any] = {
    "auth": SellerKey(ORDERS_WRITE),
    "response": {200: ReturnOut, **BAD, **NOT_FOUND, 401: Problem, 403: Problem},
}


@router.get(
    "/seller/claims/{reference}/return",
    auth=SellerKey(ORDERS_READ),
    response={200: ReturnOut, **NOT_FOUND, 401: Problem, 403: Problem},
    summary="A claim's return, as its seller sees it",
)
def seller_claim_return(request: HttpRequest, reference: str) -> dict[str, Any]:
    return return_of(_seller_claim(request, reference)[0])


@router.get(
    "/seller/claims/{reference}/return-label",
    auth=SellerKey(ORDERS_READ),
    response={200: None, **NOT_FOUND, 401: Problem, 403: Problem, 503: Problem},
    summary="The prepaid return label (PDF)",
)
def seller_claim_return_label(request: HttpRequest, reference: str) -> HttpResponse:
    return _pdf(_seller_claim(request, reference)[0])


@router.post(
    "/seller/claims/{reference}/received",
    summary="Confirm the returned device arrived",
    **SELLER_WRITE,
)
def seller_claim_received(
    request: HttpRequest, reference: str, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    claim, key = _seller_claim(request, reference)
    return _once(
        f"seller:{key.seller_id}",
        idempotency_key,
        "claim.received",
        claim,
        {},
        lambda: services.claim_return_received(claim=claim, actor=key),
    )


@router.post(
    "/seller/claims/{reference}/device-check",
    summary="Check the returned device for an account lock (SEC-3)",
    **SELLER_WRITE,
)
def seller_claim_device_check(
    request: HttpRequest,
    reference: str,
    payload: DeviceCheckIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    claim, key = _seller_claim(request, reference)
    return _once(
        f"seller:{key.seller_id}",
        idempotency_key,
        "claim.device_check",
        claim,
        payload.dict(),
        lambda: services.claim_device_check(claim=claim, actor=key, identifier=payload.identifier),
    )


@router.post(
    "/seller/claims/{reference}/inspection",
    summary="Accept the returned device (the refund follows) or refuse it (customer service "
    "decides); a device not shown free of any account cannot be accepted (SEC-3)",
    **SELLER_WRITE,
)
def seller_claim_inspection(
    request: HttpRequest,
    reference: str,
    payload: InspectionIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    claim, key = _seller_claim(request, reference)

    def act() -> object:
        if payload.decision == "accept":
            return services.claim_inspection_accept(claim=claim, actor=key, note=payload.note)
        return services.claim_inspection_reject(claim=claim, actor=key, note=payload.note)

    return _once(
        f"seller:{key.seller_id}",
        idempotency_key,
        "claim.inspection",
        claim,
        payload.dict(),
        act,
    )
