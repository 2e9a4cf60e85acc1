"""The order endpoints' request and answer shapes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import StrictInt

from recommerce.orders.selectors import SELLER_TABS
from recommerce.platform.api import one_of

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


class UnitOut(Schema):
    position: int
    kind: str = Field(description="imei or serial")
    value: str


class LineOut(Schema):
    title: str
    grade: str
    quantity: int
    unit_price_minor: int
    warranty_months: int
    insured_units: int
    policies: list[PolicyOut]
    units: list[UnitOut] = Field(description="The devices shipped: one identifier per unit")


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
    delivered_by: str = Field(description="carrier, buyer or presumed; empty until delivered")
    delivery_due_on: dt.date | None = Field(
        description="The last day the order can stay undelivered: it counts as delivered then"
    )
    cancelled_at: dt.datetime | None
    cancel_reason: str
    can_cancel: bool
    can_confirm_received: bool
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
    id: int
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
    status: str = one_of(
        list(SELLER_TABS),
        "Only the orders to accept (new), to ship (accepted), shipped, delivered or "
        "cancelled; all of them when empty.",
        default="",
    )


class ShipUnitsIn(Schema):
    line: StrictInt = Field(..., description="The order line's id (``lines[].id``)")
    identifiers: list[str] = Field(
        ...,
        max_length=1000,
        description="One IMEI (15 digits) or serial number (4 to 30 letters, digits or "
        "dashes) per unit of the line, in unit order",
        examples=[["356938035643809"]],
    )


class ShipIn(Schema):
    units: list[ShipUnitsIn] = Field(
        ...,
        max_length=1000,
        description="Every line of the order, with one device identifier per unit: an order "
        "ships only with all its units identified, no identifier twice",
    )
    carrier_tracking: str = Field(
        "", max_length=64, description="Your own carrier's number; empty: the platform's carrier"
    )
    carrier_name: str = Field("", max_length=32)


class RefundIn(Schema):
    amount_minor: StrictInt = Field(..., description="In minor units, e.g. 2500 for 25.00")
    reason: str = Field(..., max_length=200)


class RefundOut(Schema):
    order: str
    amount_minor: int
    currency: str
    status: str
    created_at: dt.datetime
