"""The buyer's orders, with the person's session token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Status

from recommerce.accounts.api_auth import PERSON
from recommerce.orders import selectors
from recommerce.orders.api.common import (
    BAD,
    CONFLICT,
    LIST_LIMIT,
    buyer_order,
    detail_of,
    request_user,
    router,
    summary_of,
)
from recommerce.orders.api.schemas import (
    CancelIn,
    OrderOut,
    OrderSummaryOut,
)
from recommerce.orders.services import delivery, fulfilment
from recommerce.platform.api import (
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    idempotent_response,
)

# --- Buyer -----------------------------------------------------------------------------------


@router.get(
    "/orders", auth=PERSON, response={200: list[OrderSummaryOut], **DENIED}, summary="My orders"
)
def order_list(request: HttpRequest) -> list[dict[str, Any]]:
    orders = selectors.buyer_order_list(user=request_user(request))[:LIST_LIMIT]
    return [summary_of(order) for order in orders]


@router.get(
    "/orders/{number}",
    auth=PERSON,
    response={200: OrderOut, **NOT_FOUND, **DENIED},
    summary="One of my orders, with its tracking",
)
def order_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return detail_of(buyer_order(request, number))


@router.post(
    "/orders/{number}/cancel",
    auth=PERSON,
    response={200: OrderOut, **BAD, **NOT_FOUND, **DENIED, **CONFLICT},
    summary="Cancel my order before the seller accepts it",
)
def order_cancel(
    request: HttpRequest,
    number: str,
    payload: CancelIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    return _act(
        request,
        number,
        idempotency_key,
        operation="order.cancel",
        body=payload.dict(),
        action=lambda order, user: fulfilment.order_cancel(
            order=order, actor=user, reason=payload.reason
        ),
    )


@router.post(
    "/orders/{number}/received",
    auth=PERSON,
    response={200: OrderOut, **BAD, **NOT_FOUND, **DENIED, **CONFLICT},
    summary="Confirm that my shipped order arrived",
)
def order_received(
    request: HttpRequest, number: str, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    return _act(
        request,
        number,
        idempotency_key,
        operation="order.received",
        body={},
        action=lambda order, user: delivery.order_confirm_received(order=order, actor=user),
    )


def _act(
    request: HttpRequest,
    number: str,
    idempotency_key: str,
    *,
    operation: str,
    body: dict[str, Any],
    action: Callable[[Any, Any], object],
) -> Status[Any]:
    """Run ``action`` on the person's order once per idempotency key; answer the order."""
    user = request_user(request)
    order = buyer_order(request, number)

    def call() -> tuple[int, Any]:
        action(order, user)
        fresh = selectors.buyer_order_get(user=user, number=number)
        assert fresh is not None
        return 200, OrderOut.model_validate(detail_of(fresh)).model_dump(mode="json")

    return idempotent_response(
        actor=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"{operation}:{number}",
        body=body,
        call=call,
    )
