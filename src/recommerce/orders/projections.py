"""What each recipient of an order is allowed to see (SHARE-1, SHARE-2).

A seller's view of an order is built from ``SELLER_ORDER_FIELDS`` only: what fulfilment
needs. Pages, the seller API and emails to sellers all go through ``seller_order_view``,
and the disclosure log names the same fields.
"""

from __future__ import annotations

from typing import Any

from recommerce.orders.models import Order

# Buyer data a seller receives to fulfil an order; company and title only for B2B.
SELLER_BUYER_FIELDS: tuple[str, ...] = (
    "delivery_name",
    "delivery_line1",
    "delivery_line2",
    "delivery_postal_code",
    "delivery_city",
    "delivery_region",
    "delivery_country",
    "delivery_phone",
    "buyer_email",
)
SELLER_B2B_FIELDS: tuple[str, ...] = ("delivery_company", "buyer_title", "buyer_vat_number")
# The order itself (not personal): what was bought, how it ships, where it stands.
SELLER_ORDER_FIELDS: tuple[str, ...] = (
    "number",
    "status",
    "currency",
    "items_minor",
    "shipping_minor",
    "total_minor",
    "refunded_minor",
    "commission_minor",
    "reverse_charge",
    "shipping_method",
    "shipping_label",
    "delivery_estimate_from",
    "delivery_estimate_to",
    "carrier",
    "tracking_number",
    "paid_at",
    "accepted_at",
    "shipped_at",
    "delivered_at",
    "cancelled_at",
    "cancel_reason",
)


def seller_buyer_fields(order: Order) -> tuple[str, ...]:
    """Return the buyer fields the seller of ``order`` may see."""
    return SELLER_BUYER_FIELDS + (SELLER_B2B_FIELDS if order.company_id else ())


def seller_order_view(order: Order) -> dict[str, Any]:
    """Return the seller's projection of an order: allowed fields and the lines."""
    view: dict[str, Any] = {name: getattr(order, name) for name in SELLER_ORDER_FIELDS}
    view["buyer"] = {name: getattr(order, name) for name in seller_buyer_fields(order)}
    view["lines"] = [
        {
            "id": line.pk,
            "title": line.title,
            "grade": line.grade,
            "quantity": line.quantity,
            "unit_price_minor": line.unit_price_minor,
            "warranty_months": line.warranty_months,
            "offer_id": line.offer_id,
        }
        for line in order.lines.all()
    ]
    return view
