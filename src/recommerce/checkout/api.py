"""Cart and checkout endpoints: every step the web pages offer, for the app.

Unsafe calls that spend money (starting a checkout, paying) take an ``Idempotency-Key``
header: a retried call replays the first answer instead of acting twice. Cart writes
take one too, optionally (a retried add would otherwise add twice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictInt

from recommerce.accounts.api_auth import PERSON
from recommerce.accounts.models import User
from recommerce.checkout import selectors
from recommerce.checkout.models import Cart, Checkout
from recommerce.checkout.pricing import shipping_methods
from recommerce.checkout.services import cart as cart_services
from recommerce.checkout.services import checkout as checkout_services
from recommerce.checkout.services import completion
from recommerce.orders import selectors as order_selectors
from recommerce.payments.models import Payment
from recommerce.platform.api import (
    BAD_INPUT,
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    Problem,
    RowId,
    idempotent_response,
)
from recommerce.platform.providers import ProviderError

router = Router(tags=["checkout"], auth=PERSON)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class CartLineOut(Schema):
    id: int
    offer_id: int
    seller: str
    title: str
    grade: str
    quantity: int
    max_quantity: int
    unit_price_minor: int
    price_seen_minor: int
    price_changed: bool
    total_minor: int


class CartOut(Schema):
    lines: list[CartLineOut]
    count: int
    total_minor: int
    currency: str
    needs_attention: bool


class CartLineIn(Schema):
    offer_id: StrictInt
    quantity: StrictInt = 1


class QuantityIn(Schema):
    quantity: StrictInt


def _cart_out(user: User) -> dict[str, Any]:
    summary = selectors.cart_summary(cart=cart_services.cart_for_user(user=user))
    return {
        "lines": [
            {
                "id": item.line_id,
                "offer_id": item.offer.pk,
                "seller": item.offer.seller.name,
                "title": f"{item.offer.variant.device_model} {item.offer.variant.label}".strip(),
                "grade": item.offer.grade,
                "quantity": item.quantity,
                "max_quantity": item.max_quantity,
                "unit_price_minor": item.price_minor,
                "price_seen_minor": item.price_seen_minor,
                "price_changed": item.price_changed,
                "total_minor": item.total_minor,
            }
            for item in summary.items
        ],
        "count": summary.count,
        "total_minor": summary.total_minor,
        "currency": summary.currency,
        "needs_attention": summary.needs_attention,
    }


@router.get("/cart", response={200: CartOut, **DENIED}, summary="My cart")
def cart_get(request: HttpRequest) -> dict[str, Any]:
    return _cart_out(_user(request))


# Cart writes take an optional Idempotency-Key: with one, a call retried after its first
# copy committed (a dropped connection) answers the first answer and changes nothing;
# without one, each call acts, as before. Changing or removing a line sets a state, so
# only an add would double, but a key makes every retry answer the same.
RETRY_SAFE = (
    " Send an `Idempotency-Key` header to make a retry safe: the same key and body answer "
    "the first answer without acting again; the same key with another body answers 422. "
    "Without the header each call acts."
)


@router.post(
    "/cart/lines",
    response={201: CartOut, **BAD_INPUT, **DENIED, 409: Problem},
    summary="Add an offer",
    description="Adds `quantity` units of an offer to my cart." + RETRY_SAFE,
)
def cart_add(
    request: HttpRequest, payload: CartLineIn, idempotency_key: IdempotencyKey = ""
) -> Status[dict[str, Any]]:
    user = _user(request)

    def add() -> tuple[int, Any]:
        cart_services.cart_line_add(
            cart=cart_services.cart_for_user(user=user),
            offer_id=payload.offer_id,
            quantity=payload.quantity,
        )
        return 201, _cart_out(user)

    return idempotent_response(
        actor=f"user:{user.pk}", key=idempotency_key, operation="cart.add",
        body=payload.dict(), call=add,
    )  # fmt: skip


@router.patch(
    "/cart/lines/{line_id}",
    response={200: CartOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Change a quantity (0 removes the line)",
    description="Sets a line's quantity; 0 removes it." + RETRY_SAFE,
)
def cart_line_update(
    request: HttpRequest, line_id: RowId, payload: QuantityIn, idempotency_key: IdempotencyKey = ""
) -> Status[dict[str, Any]]:
    user = _user(request)

    def update() -> tuple[int, Any]:
        cart_services.cart_line_set_quantity(
            cart=_own_line_cart(user, line_id), line_id=line_id, quantity=payload.quantity
        )
        return 200, _cart_out(user)

    return idempotent_response(
        actor=f"user:{user.pk}", key=idempotency_key, operation="cart.line.update",
        body={"line_id": line_id, **payload.dict()}, call=update,
    )  # fmt: skip


def _own_line_cart(user: User, line_id: int) -> Cart:
    cart = cart_services.cart_for_user(user=user)
    if selectors.cart_line_get(cart=cart, line_id=line_id) is None:
        raise HttpError(404, "No such line in your cart.")
    return cart


@router.delete(
    "/cart/lines/{line_id}",
    response={204: None, **NOT_FOUND, **DENIED, 409: Problem},
    summary="Remove a line",
    description="Removes a line from my cart; a retry without a key answers 404." + RETRY_SAFE,
)
def cart_line_delete(
    request: HttpRequest, line_id: RowId, idempotency_key: IdempotencyKey = ""
) -> Status[None]:
    user = _user(request)

    def remove() -> tuple[int, Any]:
        cart_services.cart_line_remove(cart=_own_line_cart(user, line_id), line_id=line_id)
        return 204, None

    return idempotent_response(
        actor=f"user:{user.pk}", key=idempotency_key, operation="cart.line.remove",
        body={"line_id": line_id}, call=remove,
    )  # fmt: skip


@router.post(
    "/cart/accept-changes", response={200: CartOut, **DENIED}, summary="Take current prices"
)
def cart_accept(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    cart_services.cart_changes_accept(cart=cart_services.cart_for_user(user=user))
    return _cart_out(user)


class ShippingOptionOut(Schema):
    code: str
    label: str
    price_minor: int


class CheckoutLineOut(Schema):
    id: int
    offer_id: int
    title: str
    grade: str
    quantity: int
    unit_price_minor: int
    insured_units: int
    insurance_unit_minor: int


class ParcelOut(Schema):
    seller_id: int
    seller: str
    shipping_method: str
    shipping_minor: int
    estimate_from: dt.date
    estimate_to: dt.date
    items_minor: int
    total_minor: int
    lines: list[CheckoutLineOut]


class CheckoutOut(Schema):
    reference: str
    status: str
    expires_at: dt.datetime
    currency: str
    delivery: dict[str, str]
    billing: dict[str, str]
    buyer_vat_number: str
    reverse_charge: bool
    plan: str
    items_minor: int
    shipping_minor: int
    insurance_minor: int
    vat_minor: int
    total_minor: int
    parcels: list[ParcelOut]
    shipping_options: list[ShippingOptionOut]
    payment_status: str | None
    orders: list[str]


class CheckoutPatch(Schema):
    delivery_address_id: StrictInt | None = None
    billing_address_id: StrictInt | None = None
    shipping: dict[int, str] | None = None
    insurance: dict[int, StrictInt] | None = None
    plan: Payment.Plan | None = None


class PayIn(Schema):
    return_url: str | None = None
    cancel_url: str | None = None


class PayOut(Schema):
    payment_url: str
    payment_status: str


def _checkout_out(checkout: Checkout) -> dict[str, Any]:
    parts = checkout_services.checkout_parts(checkout=checkout)
    return {
        "reference": checkout.reference,
        "status": checkout.status,
        "expires_at": checkout.expires_at,
        "currency": checkout.currency,
        "delivery": checkout.delivery,
        "billing": checkout.billing,
        "buyer_vat_number": checkout.buyer_vat_number,
        "reverse_charge": checkout.reverse_charge,
        "plan": checkout.plan,
        "items_minor": checkout.items_minor,
        "shipping_minor": checkout.shipping_minor,
        "insurance_minor": checkout.insurance_minor,
        "vat_minor": checkout.vat_minor,
        "total_minor": checkout.total_minor,
        "parcels": [
            {
                "seller_id": part.seller_id,
                "seller": part.seller_name,
                "shipping_method": part.parcel.method,
                "shipping_minor": part.amounts.shipping_minor,
                "estimate_from": part.parcel.estimate_from,
                "estimate_to": part.parcel.estimate_to,
                "items_minor": part.amounts.items_minor,
                "total_minor": part.amounts.total_minor,
                "lines": [
                    {
                        "id": line.pk,
                        "offer_id": line.offer_id,
                        "title": f"{line.offer.variant.device_model} {line.offer.variant.label}",
                        "grade": line.offer.grade,
                        "quantity": line.quantity,
                        "unit_price_minor": line.unit_price_minor,
                        "insured_units": line.insured_units,
                        "insurance_unit_minor": line.insurance_unit_minor,
                    }
                    for line in part.lines
                ],
            }
            for part in parts
        ],
        "shipping_options": [
            {"code": method.code, "label": method.label, "price_minor": method.price_minor}
            for method in shipping_methods(settings.SHIPPING_METHODS).values()
        ],
        "payment_status": checkout.payment.status if checkout.payment else None,
        "orders": list(
            order_selectors.buyer_order_list(user=checkout.user)
            .filter(checkout_reference=checkout.reference)
            .values_list("number", flat=True)
        ),
    }


def _own(request: HttpRequest, reference: str) -> Checkout:
    checkout = selectors.checkout_get_for(user=_user(request), reference=reference)
    if checkout is None:
        raise HttpError(404, "No such checkout.")
    return checkout


@router.post(
    "/checkouts",
    response={201: CheckoutOut, **BAD_INPUT, **DENIED, 409: Problem},
    summary="Start a checkout from my cart (reserves the stock)",
)
def checkout_create(
    request: HttpRequest,
    idempotency_key: IdempotencyKey = "",
) -> Status[dict[str, Any]]:
    user = _user(request)

    def start() -> tuple[int, Any]:
        checkout = checkout_services.checkout_start(
            user=user, cart=cart_services.cart_for_user(user=user)
        )
        return 201, _checkout_out(checkout)

    return idempotent_response(
        actor=f"user:{user.pk}", key=idempotency_key, operation="checkout.start", body={},
        call=start,
    )  # fmt: skip


@router.get(
    "/checkouts/{reference}", response={200: CheckoutOut, **NOT_FOUND, **DENIED}, summary="Checkout"
)
def checkout_get(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _checkout_out(_own(request, reference))


@router.patch(
    "/checkouts/{reference}",
    response={200: CheckoutOut, **BAD_INPUT, **NOT_FOUND, **DENIED},
    summary="Choose addresses, shipping, insurance and the payment plan",
)
def checkout_patch(request: HttpRequest, reference: str, payload: CheckoutPatch) -> dict[str, Any]:
    checkout = checkout_services.checkout_update(
        checkout=_own(request, reference),
        delivery_address_id=payload.delivery_address_id,
        billing_address_id=payload.billing_address_id,
        shipping=payload.shipping,
        insurance=payload.insurance,
        plan=payload.plan,
    )
    return _checkout_out(checkout)


@router.post(
    "/checkouts/{reference}/pay",
    response={200: PayOut, **BAD_INPUT, **NOT_FOUND, **DENIED, 409: Problem, 502: Problem},
    summary="Open the payment page (needs an Idempotency-Key header)",
)
def checkout_pay(
    request: HttpRequest,
    reference: str,
    payload: PayIn,
    idempotency_key: IdempotencyKey = "",
) -> Status[dict[str, Any]]:
    checkout = _own(request, reference)
    if not idempotency_key:
        raise ValidationError("Send an Idempotency-Key header: a retry must never pay twice.")
    site = settings.SITE_URL

    def pay() -> tuple[int, Any]:
        try:
            payment = checkout_services.checkout_pay(
                checkout=checkout,
                return_url=payload.return_url or f"{site}/checkout/{reference}/return/",
                cancel_url=payload.cancel_url or f"{site}/checkout/{reference}/cancelled/",
            )
        except ProviderError as error:
            raise HttpError(502, f"The payment provider did not answer: {error}") from error
        return 200, {"payment_url": payment.redirect_url, "payment_status": payment.status}

    return idempotent_response(
        actor=f"user:{request.user.pk}", key=idempotency_key, operation="checkout.pay",
        body=payload.dict(), call=pay,
    )  # fmt: skip


@router.post(
    "/checkouts/{reference}/confirm",
    response={200: CheckoutOut, **NOT_FOUND, **DENIED},
    summary="Ask the provider for the payment's state (after the payment page)",
)
def checkout_confirm(request: HttpRequest, reference: str) -> dict[str, Any]:
    checkout, _ = completion.checkout_confirm(checkout=_own(request, reference))
    return _checkout_out(checkout)
