"""The seller's orders, with an API key: the seller's projection only (SHARE-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Status
from ninja.errors import HttpError

from recommerce.accounts.api_auth import SellerKey
from recommerce.accounts.models import SellerApiKey
from recommerce.orders import selectors
from recommerce.orders.api.common import (
    BAD,
    CONFLICT,
    LIST_LIMIT,
    ORDERS_READ,
    ORDERS_WRITE,
    request_key,
    router,
    seller_order,
    seller_payload,
)
from recommerce.orders.api.schemas import (
    CancelIn,
    RefundIn,
    RefundOut,
    SellerOrderListParams,
    SellerOrderOut,
    ShipIn,
)
from recommerce.orders.models import Order
from recommerce.orders.projections import seller_order_view
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.platform.api import (
    NOT_FOUND,
    IdempotencyKey,
    Problem,
    idempotent_response,
)

# --- Seller ----------------------------------------------------------------------------------


@router.get(
    "/seller/orders",
    auth=SellerKey(ORDERS_READ),
    response={200: list[SellerOrderOut], **BAD, 401: Problem, 403: Problem},
    exclude_unset=True,
    summary="The key's seller's orders (never those held for review)",
)
def seller_order_list(
    request: HttpRequest, params: Query[SellerOrderListParams]
) -> list[dict[str, Any]]:
    if params.status not in selectors.SELLER_TABS:
        raise HttpError(400, "status is one of: new, accepted, shipped, delivered, cancelled.")
    orders = selectors.seller_order_list(seller=request_key(request).seller, status=params.status)
    return [seller_order_view(order) for order in orders[:LIST_LIMIT]]


@router.get(
    "/seller/orders/{number}",
    auth=SellerKey(ORDERS_READ),
    response={200: SellerOrderOut, **NOT_FOUND, 401: Problem, 403: Problem},
    exclude_unset=True,
    summary="One order, as the seller may see it",
)
def seller_order_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return seller_order_view(seller_order(request, number))


def _seller_action(
    request: HttpRequest,
    number: str,
    operation: str,
    body: Any,
    idempotency_key: str,
    act: Callable[[Order, SellerApiKey], object],
) -> Status[Any]:
    key = request_key(request)
    order = seller_order(request, number)

    def call() -> tuple[int, Any]:
        act(order, key)
        fresh = selectors.seller_order_get(seller=key.seller, number=number)
        assert fresh is not None
        return 200, seller_payload(fresh)

    return idempotent_response(
        actor=f"seller:{key.seller_id}",
        key=idempotency_key,
        operation=f"{operation}:{number}",
        body=body,
        call=call,
    )


SELLER_WRITE: dict[str, Any] = {
    "auth": SellerKey(ORDERS_WRITE),
    "response": {
        200: SellerOrderOut,
        **BAD,
        **NOT_FOUND,
        **CONFLICT,
        401: Problem,
        403: Problem,
    },
    "exclude_unset": True,
}


@router.post("/seller/orders/{number}/accept", summary="Accept a paid order", **SELLER_WRITE)
def seller_order_accept(
    request: HttpRequest, number: str, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    return _seller_action(
        request,
        number,
        "order.accept",
        {},
        idempotency_key,
        lambda order, key: fulfilment.order_accept(order=order, actor=key),
    )


def _units(payload: ShipIn) -> dict[int, list[str]]:
    """Return the body's units as ``order_ship`` takes them; a line listed twice is refused."""
    found: dict[int, list[str]] = {}
    for entry in payload.units:
        if entry.line in found:
            raise ValidationError({"units": f"Line {entry.line} is listed twice."})
        found[entry.line] = entry.identifiers
    return found


@router.post(
    "/seller/orders/{number}/ship",
    summary="Ship with every unit's IMEI or serial number: the platform's carrier, or your "
    "own carrier's tracking number",
    **SELLER_WRITE,
)
def seller_order_ship(
    request: HttpRequest,
    number: str,
    payload: ShipIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    return _seller_action(
        request,
        number,
        "order.ship",
        payload.dict(),
        idempotency_key,
        lambda order, key: fulfilment.order_ship(
            order=order,
            actor=key,
            units=_units(payload),
            carrier_tracking=payload.carrier_tracking,
            carrier_name=payload.carrier_name,
        ),
    )


@router.post(
    "/seller/orders/{number}/cancel",
    summary="Cancel before shipping; the buyer is refunded",
    **SELLER_WRITE,
)
def seller_order_cancel(
    request: HttpRequest,
    number: str,
    payload: CancelIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    return _seller_action(
        request,
        number,
        "order.cancel",
        payload.dict(),
        idempotency_key,
        lambda order, key: fulfilment.order_cancel(order=order, actor=key, reason=payload.reason),
    )


@router.post(
    "/seller/orders/{number}/refund",
    auth=SellerKey(ORDERS_WRITE),
    response={201: RefundOut, **BAD, **NOT_FOUND, **CONFLICT, 401: Problem, 403: Problem},
    summary="Refund part or all of an order (Idempotency-Key required)",
)
def seller_order_refund(
    request: HttpRequest,
    number: str,
    payload: RefundIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[Any]:
    if not idempotency_key:
        raise HttpError(400, "A refund needs an Idempotency-Key header.")
    key = request_key(request)
    order = seller_order(request, number)

    def refund() -> tuple[int, Any]:
        made: Refund = fulfilment.order_refund(
            order=order,
            actor=key,
            amount_minor=payload.amount_minor,
            reason=payload.reason,
            idempotency_key=f"{key.seller_id}:{idempotency_key}",
        )
        out = RefundOut(
            order=order.number,
            amount_minor=made.amount_minor,
            currency=order.currency,
            status=made.status,
            created_at=made.created_at,
        )
        return 201, out.model_dump(mode="json")

    return idempotent_response(
        actor=f"seller:{key.seller_id}",
        key=idempotency_key,
        operation=f"order.refund:{number}",
        body=payload.dict(),
        call=refund,
    )
