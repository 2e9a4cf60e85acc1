"""The router of the order endpoints, and what its operations share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from recommerce.accounts.api_auth import request_person, request_seller_key
from recommerce.accounts.models import SellerApiKey
from recommerce.orders import selectors
from recommerce.orders.api.schemas import (
    BillingOut,
    DeliveryOut,
    LineOut,
    OrderOut,
    OrderSummaryOut,
    PolicyOut,
    SellerOrderOut,
    TrackingOut,
    UnitOut,
)
from recommerce.orders.models import Order
from recommerce.orders.projections import seller_order_view
from recommerce.orders.services import fulfilment
from recommerce.platform.api import (
    InvalidInput,
    Problem,
)

router = Router(tags=["orders"])
CONFLICT: dict[int, type[Schema]] = {409: Problem}
# A rule's refusal lists its messages; a missing header or bad filter is one message.
BAD: dict[int, Any] = {400: Problem | InvalidInput, 422: InvalidInput}
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
ORDERS_WRITE = SellerApiKey.Scope.ORDERS_WRITE.value
LIST_LIMIT = 100


# --- Helpers ---------------------------------------------------------------------------------


request_user = request_person
request_key = request_seller_key


def buyer_order(request: HttpRequest, number: str) -> Order:
    order = selectors.buyer_order_get(user=request_user(request), number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def seller_order(request: HttpRequest, number: str) -> Order:
    order = selectors.seller_order_get(seller=request_key(request).seller, number=number)
    if order is None:
        raise HttpError(404, "No such order.")
    return order


def fields_of(
    obj: Any, schema: type[Schema], prefix: str = "", skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {name: getattr(obj, prefix + name) for name in schema.model_fields if name not in skip}


def summary_of(order: Order) -> dict[str, Any]:
    return {**fields_of(order, OrderSummaryOut, skip=("seller",)), "seller": order.seller.name}


def detail_of(order: Order) -> dict[str, Any]:
    computed = (
        "seller",
        "can_cancel",
        "can_confirm_received",
        "delivery_due_on",
        "delivery",
        "billing",
        "lines",
        "tracking",
    )
    return {
        **fields_of(order, OrderOut, skip=computed),
        "seller": order.seller.name,
        "can_cancel": order.status in fulfilment.CANCELLABLE["buyer"],
        "can_confirm_received": order.status == Order.Status.SHIPPED,
        "delivery_due_on": selectors.order_delivery_due(order=order),
        "delivery": fields_of(order, DeliveryOut, prefix="delivery_"),
        "billing": {
            **fields_of(order, BillingOut, prefix="billing_", skip=("vat_number",)),
            "vat_number": order.buyer_vat_number,
        },
        "lines": [
            {
                **fields_of(line, LineOut, skip=("policies", "units")),
                "policies": [fields_of(p, PolicyOut) for p in line.policies.all()],
                "units": [fields_of(u, UnitOut) for u in line.units.all()],
            }
            for line in order.lines.all()
        ],
        "tracking": [fields_of(e, TrackingOut) for e in order.tracking_events.all()],
    }


def seller_payload(order: Order) -> dict[str, Any]:
    """Return the seller's projection as JSON data (storable as an idempotent answer)."""
    view = seller_order_view(order)
    return SellerOrderOut.model_validate(view).model_dump(mode="json", exclude_unset=True)
