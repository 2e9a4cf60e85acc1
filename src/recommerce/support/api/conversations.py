"""After-sales API: an order's conversation between buyer and seller, and files sent in it.

The buyer signs in as a person; the seller uses an API key (``orders:read`` to read,
``orders:write`` to write). A conversation another actor cannot see answers 404. Message
text is masked before it is stored: the answer shows what was kept and a ``note`` for the
writer when something was hidden.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from recommerce.accounts.api_auth import PERSON, SellerKey, request_person, request_seller_key
from recommerce.accounts.models import SellerApiKey
from recommerce.orders import selectors as order_selectors
from recommerce.orders.models import Order
from recommerce.platform.api import (
    BAD_INPUT,
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    MultiLineText,
    Problem,
    RowId,
    idempotent_response,
)
from recommerce.support.models import Claim, Conversation, Message
from recommerce.support.selectors import claims as claim_selectors
from recommerce.support.selectors import conversations as selectors
from recommerce.support.services import conversations as services

router = Router()
PAGE = 100
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
ORDERS_WRITE = SellerApiKey.Scope.ORDERS_WRITE.value


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    side: str
    body: str
    masked: list[str]
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class ThreadOut(Schema):
    conversation_id: int | None
    closed: bool
    messages: list[MessageOut]
    next_after: int | None = None


class MessageIn(Schema):
    body: MultiLineText


class PostedOut(Schema):
    conversation_id: int
    message: MessageOut
    note: str = ""


class AfterParams(Schema):
    after: int = 0
    limit: int = PAGE


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "side": message.side,
        "body": message.body,
        "masked": list(message.masked),
        "created_at": message.created_at,
        "attachments": [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in message.attachments.all()
        ],
    }


def _thread(conversation: Conversation | None, after: int = 0, limit: int = PAGE) -> dict[str, Any]:
    if conversation is None:
        return {"conversation_id": None, "closed": False, "messages": []}
    limit = max(1, min(limit, PAGE))
    rows = list(
        selectors.conversation_messages(conversation=conversation, after=after, limit=limit + 1)
    )
    return {
        "conversation_id": conversation.pk,
        "closed": conversation.closed_at is not None,
        "messages": [_message(m) for m in rows[:limit]],
        "next_after": rows[limit - 1].pk if len(rows) > limit else None,
    }


def _posted(conversation: Conversation, message: Message) -> dict[str, Any]:
    payload = {
        "conversation_id": conversation.pk,
        "message": _message(message),
        "note": services.masked_note(message),
    }
    return PostedOut.model_validate(payload).model_dump(mode="json")


def _buyer_order(request: HttpRequest, number: str) -> Order:
    order = order_selectors.buyer_order_find(user=request_person(request), number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def _seller_order(request: HttpRequest, number: str) -> Order:
    order = order_selectors.seller_order_get(
        seller=request_seller_key(request).seller, number=number
    )
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def _post(
    *,
    actor: Any,
    actor_id: str,
    key: str,
    operation: str,
    body: Any,
    order: Order | None,
    conversation: Conversation | None = None,
    text: str = "",
    files: list[UploadedFile] | None = None,
    allow_video: bool = False,
) -> Status[Any]:
    def call() -> tuple[int, Any]:
        target = conversation or services.conversation_for_order(order=order)  # type: ignore[arg-type]
        message = services.message_post(
            conversation=target,
            actor=actor,
            body=text,
            files=files or (),
            allow_video=allow_video,
        )
        return 201, _posted(target, message)

    return idempotent_response(actor=actor_id, key=key, operation=operation, body=body, call=call)


# --- Buyer -----------------------------------------------------------------------------------


@router.get(
    "/orders/{number}/messages",
    auth=PERSON,
    response={200: ThreadOut, **NOT_FOUND, **DENIED},
    summary="My order's conversation with its seller (empty until the first message)",
)
def order_messages(request: HttpRequest, number: str) -> dict[str, Any]:
    order = _buyer_order(request, number)
    return _thread(selectors.order_conversation_for(order=order))


@router.post(
    "/orders/{number}/messages",
    auth=PERSON,
    response={201: PostedOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Write to my order's seller (contact details are masked; Idempotency-Key)",
)
def order_message_post(
    request: HttpRequest, number: str, payload: MessageIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    order = _buyer_order(request, number)
    return _post(
        actor=user,
        actor_id=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"order.message:{number}",
        body=payload.dict(),
        order=order,
        text=payload.body,
    )


@router.get(
    "/conversations/{conversation_id}/messages",
    auth=PERSON,
    response={200: ThreadOut, **BAD_INPUT, **NOT_FOUND, **DENIED},
    summary="A conversation's messages after a message id, oldest first (100 at most)",
)
def conversation_messages(
    request: HttpRequest, conversation_id: RowId, params: Query[AfterParams]
) -> dict[str, Any]:
    conversation = selectors.conversation_get_for(actor=request_person(request), pk=conversation_id)
    if conversation is None:
        raise HttpError(404, "No such conversation.")
    return _thread(conversation, after=max(params.after, 0), limit=params.limit)


@router.post(
    "/conversations/{conversation_id}/attachments",
    auth=PERSON,
    response={201: PostedOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Send files (JPEG, PNG, PDF; multipart field files) with an optional text",
)
def conversation_attachments_post(
    request: HttpRequest,
    conversation_id: RowId,
    files: File[list[UploadedFile]],
    body: Form[str] = "",
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    user = request_person(request)
    conversation = selectors.conversation_get_for(actor=user, pk=conversation_id)
    if conversation is None:
        raise HttpError(404, "No such conversation.")
    digests = []
    for upload in files:
        digests.append(hashlib.sha256(upload.read()).hexdigest())
        upload.seek(0)
    return _post(
        actor=user,
        actor_id=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"conversation.attachments:{conversation.pk}",
        body={"body": body, "files": digests},
        order=None,
        conversation=conversation,
        text=body,
        files=list(files),
    )


# --- A claim's conversation (the buyer's side) --------------------------------------------------

# Evidence of these kinds may be a short video (a defect that shows only in use).
VIDEO_KINDS = {Claim.Kind.WARRANTY, Claim.Kind.TRANSIT_DAMAGE, Claim.Kind.NOT_AS_DESCRIBED}


def _buyer_claim(request: HttpRequest, reference: str) -> Claim:
    claim = claim_selectors.claim_get_for_buyer(user=request_person(request), reference=reference)
    if claim is None:
        raise HttpError(404, "No such claim.")
    return claim


@router.get(
    "/claims/{reference}/messages",
    auth=PERSON,
    response={200: ThreadOut, **NOT_FOUND, **DENIED},
    summary="My claim's conversation: the order's thread with its seller (and customer service)",
)
def claim_messages(
    request: HttpRequest, reference: str, params: Query[AfterParams]
) -> dict[str, Any]:
    claim = _buyer_claim(request, reference)
    return _thread(selectors.order_conversation_for(order=claim.order), params.after, params.limit)


@router.post(
    "/claims/{reference}/messages",
    auth=PERSON,
    response={201: PostedOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Write in my claim's conversation (contact details are masked; Idempotency-Key)",
)
def claim_message_post(
    request: HttpRequest, reference: str, payload: MessageIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    claim = _buyer_claim(request, reference)
    return _post(
        actor=user,
        actor_id=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"claim.message:{claim.reference}",
        body=payload.dict(),
        order=claim.order,
        text=payload.body,
    )


@router.post(
    "/claims/{reference}/attachments",
    auth=PERSON,
    response={201: PostedOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary=(
        "Send evidence for my claim: photos, PDFs and, for a defect, damage or an item not as "
        "described, a short video (multipart field files, optional text body)"
    ),
)
def claim_attachments_post(
    request: HttpRequest,
    reference: str,
    files: File[list[UploadedFile]],
    body: Form[str] = "",
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    user = request_person(request)
    claim = _buyer_claim(request, reference)
    digests = []
    for upload in files:
        digests.append(hashlib.sha256(upload.read()).hexdigest())
        upload.seek(0)
    return _post(
        actor=user,
        actor_id=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"claim.attachments:{claim.reference}",
        body={"body": body, "files": digests},
        order=claim.order,
        text=body,
        files=list(files),
        allow_video=claim.kind in VIDEO_KINDS,
    )


# --- Seller ----------------------------------------------------------------------------------


@router.get(
    "/seller/orders/{number}/messages",
    auth=SellerKey(ORDERS_READ),
    response={200: ThreadOut, **NOT_FOUND, **DENIED},
    summary="The conversation with the buyer of one of the key's seller's orders",
)
def seller_order_messages(request: HttpRequest, number: str) -> dict[str, Any]:
    order = _seller_order(request, number)
    return _thread(
        selectors.seller_conversation_for(seller=request_seller_key(request).seller, order=order)
    )


@router.post(
    "/seller/orders/{number}/messages",
    auth=SellerKey(ORDERS_WRITE),
    response={201: PostedOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Write to the buyer of an order (contact details are masked; Idempotency-Key)",
)
def seller_order_message_post(
    request: HttpRequest, number: str, payload: MessageIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    key = request_seller_key(request)
    order = _seller_order(request, number)
    return _post(
        actor=key,
        actor_id=f"seller:{key.seller_id}",
        key=idempotency_key,
        operation=f"seller.order.message:{number}",
        body=payload.dict(),
        order=order,
        text=payload.body,
    )
