"""After-sales API: claims, for the buyer (session), the seller (API key) and customer
service (staff session with ``support.decide_claim``).

A claim that is not the caller's answers 404. Every write takes an ``Idempotency-Key``
header: a retry replays the first answer. A step the claim's status does not allow answers
400 with the rule's sentence, an actor with no part in it 403.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from recommerce.accounts.api_auth import PERSON, SellerKey, request_person, request_seller_key
from recommerce.accounts.models import SellerApiKey
from recommerce.orders import selectors as order_selectors
from recommerce.platform.api import (
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    InvalidInput,
    MultiLineText,
    Problem,
    idempotent_response,
    one_of,
)
from recommerce.support.models import Claim
from recommerce.support.selectors import claims as selectors
from recommerce.support.services import claims as services
from recommerce.support.services.common import DECIDE_PERMISSION

router = Router(tags=["claims"])
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
ORDERS_WRITE = SellerApiKey.Scope.ORDERS_WRITE.value
# A rule's refusal lists its messages (400); a bad field or reused key is 422.
WRITE: dict[int, Any] = {
    400: Problem | InvalidInput,
    422: InvalidInput,
    **NOT_FOUND,
    **DENIED,
    409: Problem,
}
LIST_LIMIT = 100


class EventOut(Schema):
    action: str
    side: str
    note: str
    created_at: dt.datetime


class ClaimOut(Schema):
    reference: str
    order: str
    line: int | None
    kind: str = one_of(Claim.Kind)
    status: str = one_of(Claim.Status)
    reason_code: str
    description: str
    requested: str = one_of(Claim.Resolution)
    proposal: str
    proposal_amount_minor: int
    proposal_note: str
    resolution: str
    resolution_amount_minor: int
    outcome: str
    decision_note: str
    window_closes_on: dt.date
    seller_due_at: dt.datetime | None
    escalated_at: dt.datetime | None
    escalated_by: str
    closed_at: dt.datetime | None
    return_carrier: str
    return_tracking_number: str
    created_at: dt.datetime
    events: list[EventOut]


class ClaimOpenIn(Schema):
    """A claim on an order. Kinds that need photos (transit damage, not as described) are
    opened with ``POST /orders/{number}/claims/with-files``, a multipart form."""

    kind: str = one_of(Claim.Kind)
    requested: str = one_of(services.REQUESTED_ANY, "What the buyer asks for")
    line: int | None = None
    reason_code: str = one_of(["", *Claim.ReturnReason.values], default="")
    description: MultiLineText = ""
    declaration: bool = False


class NoteIn(Schema):
    note: MultiLineText


class AnswerIn(Schema):
    accept: bool
    proposal: str = one_of(["", *Claim.Resolution.values], default="")
    amount_minor: int = 0
    note: MultiLineText = ""


class DecisionIn(Schema):
    resolution: str = one_of(Claim.Resolution)
    amount_minor: int = 0
    note: MultiLineText


def claim_payload(claim: Claim) -> dict[str, Any]:
    """Return the claim as JSON data (storable as an idempotent answer)."""
    data = {
        name: getattr(claim, name)
        for name in ClaimOut.model_fields
        if name not in ("order", "line", "events")
    }
    data |= {
        "order": claim.order.number,
        "line": claim.line_id,
        "events": [
            {"action": e.action, "side": e.side, "note": e.note, "created_at": e.created_at}
            for e in selectors.claim_events(claim=claim)
        ],
    }
    return ClaimOut.model_validate(data).model_dump(mode="json")


def _person_claim(request: HttpRequest, reference: str) -> Claim:
    """Return the claim as its buyer, or as customer service, sees it (else 404)."""
    user = request_person(request)
    claim = selectors.claim_get_for_buyer(user=user, reference=reference)
    if claim is None and user.is_staff and user.has_perm("support.view_claim"):
        claim = selectors.claim_get_for_staff(reference=reference)
    if claim is None:
        raise HttpError(404, "No such claim.")
    return claim


def _once(
    actor: str, key: str, operation: str, body: Any, act: Callable[[], Claim], status: int = 200
) -> Status[Any]:
    def call() -> tuple[int, Any]:
        claim = act()
        return status, claim_payload(Claim.objects.get(pk=claim.pk))

    return idempotent_response(actor=actor, key=key, operation=operation, body=body, call=call)


# --- Buyer and customer service (session) ---------------------------------------------------


@router.get(
    "/orders/{number}/claims",
    auth=PERSON,
    response={200: list[ClaimOut], **NOT_FOUND, **DENIED},
    summary="The claims on one of my orders",
    url_name="claim_list",
)
def claim_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    user = request_person(request)
    order = order_selectors.buyer_order_find(user=user, number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    claims = selectors.buyer_claim_list(user=user).filter(order=order)[:LIST_LIMIT]
    return [claim_payload(c) for c in claims]


@router.post(
    "/orders/{number}/claims",
    auth=PERSON,
    response={201: ClaimOut, **WRITE},
    summary="Open a claim on one of my orders (inside the kind's window; Idempotency-Key)",
    url_name="claim_open",
)
def claim_open(
    request: HttpRequest, number: str, payload: ClaimOpenIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    order = order_selectors.buyer_order_find(user=user, number=number)
    if order is None:
        raise HttpError(404, "No such order.")

    def act() -> Claim:
        line = None
        if payload.line is not None:
            line = order.lines.filter(pk=payload.line).first()
            if line is None:
                raise HttpError(404, "No such item in this order.")
        data = payload.dict(exclude={"line"})
        return services.claim_open(order=order, actor=user, line=line, **data)

    return _once(
        f"user:{user.pk}", idempotency_key, f"claim.open:{number}", payload.dict(), act, 201
    )


@router.post(
    "/orders/{number}/claims/with-files",
    auth=PERSON,
    response={201: ClaimOut, **WRITE, 413: Problem, 415: Problem},
    summary=(
        "Open a claim with its evidence: the same fields as a multipart form, photos (JPEG, "
        "PNG), PDFs or, for a defect, a short video in `evidence` (Idempotency-Key)"
    ),
    url_name="claim_open_with_files",
)
def claim_open_with_files(
    request: HttpRequest,
    number: str,
    payload: Form[ClaimOpenIn],
    evidence: File[list[UploadedFile]],
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    user = request_person(request)
    order = order_selectors.buyer_order_find(user=user, number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    digests = []
    for upload in evidence:
        digests.append(hashlib.sha256(upload.read()).hexdigest())
        upload.seek(0)

    def act() -> Claim:
        line = None
        if payload.line is not None:
            line = order.lines.filter(pk=payload.line).first()
            if line is None:
                raise HttpError(404, "No such item in this order.")
        data = payload.dict(exclude={"line"})
        return services.claim_open(
            order=order, actor=user, line=line, evidence=list(evidence), **data
        )

    body = {**payload.dict(), "evidence": digests}
    return _once(f"user:{user.pk}", idempotency_key, f"claim.open:{number}", body, act, 201)


@router.get(
    "/claims/{reference}",
    auth=PERSON,
    response={200: ClaimOut, **NOT_FOUND, **DENIED},
    summary="One of my claims (or, for customer service, any claim) with its history",
    url_name="claim_detail",
)
def claim_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return claim_payload(_person_claim(request, reference))


def _buyer_step(
    request: HttpRequest, reference: str, key: str, step: str, body: Any, act: Callable[..., Claim]
) -> Status[Any]:
    user = request_person(request)
    claim = _person_claim(request, reference)
    return _once(
        f"user:{user.pk}", key, f"claim.{step}:{reference}", body, lambda: act(claim, user)
    )


@router.post(
    "/claims/{reference}/agree",
    auth=PERSON,
    response={200: ClaimOut, **WRITE},
    summary="Agree to the seller's proposal",
    url_name="claim_agree",
)
def claim_agree(
    request: HttpRequest, reference: str, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    return _buyer_step(
        request,
        reference,
        idempotency_key,
        "agree",
        {},
        lambda claim, user: services.claim_agree(claim=claim, actor=user),
    )


@router.post(
    "/claims/{reference}/escalate",
    auth=PERSON,
    response={200: ClaimOut, **WRITE},
    summary="Ask customer service to decide",
    url_name="claim_escalate",
)
def claim_escalate(
    request: HttpRequest, reference: str, payload: NoteIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    return _buyer_step(
        request,
        reference,
        idempotency_key,
        "escalate",
        payload.dict(),
        lambda claim, user: services.claim_escalate(claim=claim, actor=user, note=payload.note),
    )


@router.post(
    "/claims/{reference}/withdraw",
    auth=PERSON,
    response={200: ClaimOut, **WRITE},
    summary="Withdraw my claim (before any refund)",
    url_name="claim_withdraw",
)
def claim_withdraw(
    request: HttpRequest, reference: str, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    return _buyer_step(
        request,
        reference,
        idempotency_key,
        "withdraw",
        {},
        lambda claim, user: services.claim_withdraw(claim=claim, actor=user),
    )


@router.post(
    "/claims/{reference}/decision",
    auth=PERSON,
    response={200: ClaimOut, **WRITE},
    summary="Decide an escalated claim (customer service, support.decide_claim)",
    url_name="claim_decision",
)
def claim_decision(
    request: HttpRequest, reference: str, payload: DecisionIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    if not (user.is_staff and user.has_perm(DECIDE_PERMISSION)):
        raise HttpError(404, "No such claim.")
    claim = selectors.claim_get_for_staff(reference=reference)
    if claim is None:
        raise HttpError(404, "No such claim.")
    return _once(
        f"user:{user.pk}",
        idempotency_key,
        f"claim.decision:{reference}",
        payload.dict(),
        lambda: services.claim_decide(claim=claim, actor=user, **payload.dict()),
    )


# --- Seller (API key) -------------------------------------------------------------------------


def _seller_claim(request: HttpRequest, reference: str) -> Claim:
    claim = selectors.claim_get_for_seller(
        seller=request_seller_key(request).seller, reference=reference
    )
    if claim is None:
        raise HttpError(404, "No such claim.")
    return claim


@router.get(
    "/seller/claims",
    auth=SellerKey(ORDERS_READ),
    response={200: list[ClaimOut], 400: Problem | InvalidInput, 422: InvalidInput, **DENIED},
    summary="The key's seller's claims, newest first (status filters)",
    url_name="seller_claim_list",
)
def seller_claim_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    if status and status not in Claim.Status.values:
        raise HttpError(400, f"status is one of: {', '.join(Claim.Status.values)}.")
    claims = selectors.seller_claim_list(seller=request_seller_key(request).seller, status=status)
    return [claim_payload(c) for c in claims[:LIST_LIMIT]]


@router.get(
    "/seller/claims/{reference}",
    auth=SellerKey(ORDERS_READ),
    response={200: ClaimOut, **NOT_FOUND, **DENIED},
    summary="One claim on the key's seller's orders",
    url_name="seller_claim_detail",
)
def seller_claim_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return claim_payload(_seller_claim(request, reference))


@router.post(
    "/seller/claims/{reference}/answer",
    auth=SellerKey(ORDERS_WRITE),
    response={200: ClaimOut, **WRITE},
    summary="Accept the buyer's request, or propose another outcome (Idempotency-Key)",
    url_name="seller_claim_answer",
)
def seller_claim_answer(
    request: HttpRequest, reference: str, payload: AnswerIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    key = request_seller_key(request)
    claim = _seller_claim(request, reference)
    return _once(
        f"seller:{key.seller_id}",
        idempotency_key,
        f"claim.answer:{reference}",
        payload.dict(),
        lambda: services.claim_answer(claim=claim, actor=key, **payload.dict()),
    )
