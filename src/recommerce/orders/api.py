"""Order endpoints: the buyer's orders (session token) and the seller's (API key).

The seller's answers are the seller's projection of an order and nothing else (SHARE-1):
``SellerOrderOut`` lists ``SELLER_ORDER_FIELDS``, and its ``buyer`` carries the B2B fields
only for a company's order. Held orders answer 404 to the seller. Unsafe calls take an
``Idempotency-Key`` header (required for refunds): a retry replays the first answer.
Seller writes need a key with the ``orders:write`` scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from recommerce.accounts.api_auth import PERSON, SellerKey
from recommerce.accounts.models import SellerApiKey, User
from recommerce.orders import selectors
from recommerce.orders.models import Order
from recommerce.orders.projections import seller_order_view
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.platform.api import (
    NOT_FOUND,
    IdempotencyKey,
    InvalidInput,
    Problem,
    idempotent_response,
)

router = Router(tags=["orders"])
DENIED: dict[int, type[Schema]] = {401: Problem, 403: Problem}
CONFLICT: dict[int, type[Schema]] = {409: Problem}
# A rule's refusal lists its messages; a missing header or bad filter is one message.
BAD: dict[int, Any] = {400: Problem | InvalidInput, 422: InvalidInput}
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
ORDERS_WRITE = SellerApiKey.Scope.ORDERS_WRITE.value
LIST_LIMIT = 100


# --- Schemas ---------------------------------------------------------------------------------


class TrackingOut(Schema):
    code: str
    description: str
    location: str
    occurred_at: dt.datetime


class PolicyOut(Schema):
    policy_number: str
    status: str
    cover: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class LineOut(Schema):
    title: str
    grade: str
    quantity: int
    unit_price_minor: int
    warranty_months: int
    insured_units: int
    policies: list[PolicyOut]


class DeliveryOut(Schema):
    name: str
    company: str
    line1: str
    line2: str
    postal_code: str
    city: str
    region: str
    country: str
    phone: str


class BillingOut(Schema):
    name: str
    company: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    vat_number: str


class OrderSummaryOut(Schema):
    number: str
    seller: str
    status: str
    currency: str
    total_minor: int
    paid_at: dt.datetime


class OrderOut(OrderSummaryOut):
    items_minor: int
    shipping_minor: int
    insurance_minor: int
    vat_minor: int
    refunded_minor: int
    reverse_charge: bool
    shipping_method: str
    shipping_label: str
    delivery_estimate_from: dt.date
    delivery_estimate_to: dt.date
    carrier: str
    tracking_number: str
    accepted_at: dt.datetime | None
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    can_cancel: bool
    delivery: DeliveryOut
    billing: BillingOut
    lines: list[LineOut]
    tracking: list[TrackingOut]


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class SellerBuyerOut(Schema):
    delivery_name: str
    delivery_line1: str
    delivery_line2: str
    delivery_postal_code: str
    delivery_city: str
    delivery_region: str
    delivery_country: str
    delivery_phone: str
    buyer_email: str
    # A company's order only (SHARE-1: title for B2B); absent otherwise.
    delivery_company: str | None = None
    buyer_title: str | None = None
    buyer_vat_number: str | None = None


class SellerLineOut(Schema):
    title: str
    grade: str
    quantity: int
    unit_price_minor: int
    warranty_months: int
    offer_id: int


class SellerOrderOut(Schema):
    number: str
    status: str
    currency: str
    items_minor: int
    shipping_minor: int
    total_minor: int
    refunded_minor: int
    commission_minor: int
    reverse_charge: bool
    shipping_method: str
    shipping_label: str
    delivery_estimate_from: dt.date
    delivery_estimate_to: dt.date
    carrier: str
    tracking_number: str
    paid_at: dt.datetime
    accepted_at: dt.datetime | None
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    buyer: SellerBuyerOut
    lines: list[SellerLineOut]


class SellerOrderListParams(Schema):
    status: str = Field("", description="new, accepted, shipped, delivered or cancelled")


class ShipIn(Schema):
    carrier_tracking: str = Field(
        "", max_length=64, description="Your own carrier's number; empty: the platform's carrier"
    )
    carrier_name: str = Field("", max_length=32)


class RefundIn(Schema):
    amount_minor: int = Field(..., description="In minor units, e.g. 2500 for 25.00")
    reason: str = Field(..., max_length=200)


class RefundOut(Schema):
    order: str
    amount_minor: int
    currency: str
    status: str
    created_at: dt.datetime


# --- Helpers ---------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _key(request: HttpRequest) -> SellerApiKey:
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    return key


def _buyer_order(request: HttpRequest, number: str) -> Order:
    order = selectors.buyer_order_get(user=_user(request), number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def _seller_order(request: HttpRequest, number: str) -> Order:
    order = selectors.seller_order_get(seller=_key(request).seller, number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def _fields(
    obj: Any, schema: type[Schema], prefix: str = "", skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {name: getattr(obj, prefix + name) for name in schema.model_fields if name not in skip}


def _summary(order: Order) -> dict[str, Any]:
    return {**_fields(order, OrderSummaryOut, skip=("seller",)), "seller": order.seller.name}


def _detail(order: Order) -> dict[str, Any]:
    computed = ("seller", "can_cancel", "delivery", "billing", "lines", "tracking")
    return {
        **_fields(order, OrderOut, skip=computed),
        "seller": order.seller.name,
        "can_cancel": order.status in fulfilment.CANCELLABLE["buyer"],
        "delivery": _fields(order, DeliveryOut, prefix="delivery_"),
        "billing": {
            **_fields(order, BillingOut, prefix="billing_", skip=("vat_number",)),
            "vat_number": order.buyer_vat_number,
        },
        "lines": [
            {
                **_fields(line, LineOut, skip=("policies",)),
                "policies": [_fields(p, PolicyOut) for p in line.policies.all()],
            }
            for line in order.lines.all()
        ],
        "tracking": [_fields(e, TrackingOut) for e in order.tracking_events.all()],
    }


def _seller_payload(order: Order) -> dict[str, Any]:
    """Return the seller's projection as JSON data (storable as an idempotent answer)."""
    view = seller_order_view(order)
    return SellerOrderOut.model_validate(view).model_dump(mode="json", exclude_unset=True)


# --- Buyer -----------------------------------------------------------------------------------


@router.get(
    "/orders", auth=PERSON, response={200: list[OrderSummaryOut], **DENIED}, summary="My orders"
)
def order_list(request: HttpRequest) -> list[dict[str, Any]]:
    orders = selectors.buyer_order_list(user=_user(request))[:LIST_LIMIT]
    return [_summary(order) for order in orders]


@router.get(
    "/orders/{number}",
    auth=PERSON,
    response={200: OrderOut, **NOT_FOUND, **DENIED},
    summary="One of my orders, with its tracking",
)
def order_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(_buyer_order(request, number))


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
    user = _user(request)
    order = _buyer_order(request, number)

    def cancel() -> tuple[int, Any]:
        fulfilment.order_cancel(order=order, actor=user, reason=payload.reason)
        fresh = selectors.buyer_order_get(user=user, number=number)
        assert fresh is not None
        return 200, OrderOut.model_validate(_detail(fresh)).model_dump(mode="json")

    return idempotent_response(
        actor=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"order.cancel:{number}",
        body=payload.dict(),
        call=cancel,
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
    orders = selectors.seller_order_list(seller=_key(request).seller, status=params.status)
    return [seller_order_view(order) for order in orders[:LIST_LIMIT]]


@router.get(
    "/seller/orders/{number}",
    auth=SellerKey(ORDERS_READ),
    response={200: SellerOrderOut, **NOT_FOUND, 401: Problem, 403: Problem},
    exclude_unset=True,
    summary="One order, as the seller may see it",
)
def seller_order_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return seller_order_view(_seller_order(request, number))


def _seller_action(
    request: HttpRequest,
    number: str,
    operation: str,
    body: Any,
    idempotency_key: str,
    act: Callable[[Order, SellerApiKey], object],
) -> Status[Any]:
    key = _key(request)
    order = _seller_order(request, number)

    def call() -> tuple[int, Any]:
        act(order, key)
        fresh = selectors.seller_order_get(seller=key.seller, number=number)
        assert fresh is not None
        return 200, _seller_payload(fresh)

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


@router.post(
    "/seller/orders/{number}/ship",
    summary="Ship: the platform's carrier, or your own carrier's tracking number",
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
    key = _key(request)
    order = _seller_order(request, number)

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
