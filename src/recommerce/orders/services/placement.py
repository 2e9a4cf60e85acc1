"""Turn a paid checkout into one order per seller, with its ledger entries and invoice.

Checkout (a layer above) calls ``orders_place`` inside the transaction that marks the
checkout completed, so a crash leaves either both or neither. ``order_amounts`` is the
one place amounts are computed: the checkout's summary uses it too, so what the buyer
is charged is exactly the sum of the orders.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction

from recommerce.accounts.models import Company, User
from recommerce.orders.models import Order, OrderLine
from recommerce.payments.models import Payment
from recommerce.platform import clock
from recommerce.platform.money import without_vat

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class LineDraft:
    offer_id: int
    variant_id: int
    title: str
    grade: str
    warranty_months: int
    quantity: int
    unit_price_minor: int  # what the buyer pays per unit (VAT-inclusive or reverse-charged)
    vat_rate_bp: int
    insured_units: int = 0
    insurance_unit_minor: int = 0
    insurance_quote_id: str = ""


@dataclass(frozen=True, slots=True)
class OrderDraft:
    seller_id: int
    lines: Sequence[LineDraft]
    shipping_method: str
    shipping_label: str
    shipping_minor: int
    shipping_vat_rate_bp: int
    estimate_from: dt.date
    estimate_to: dt.date


@dataclass(frozen=True, slots=True)
class Amounts:
    items_minor: int
    shipping_minor: int
    insurance_minor: int
    vat_minor: int
    total_minor: int


def _vat_in(amount: int, rate_bp: int, reverse_charge: bool) -> int:
    return 0 if reverse_charge else amount - without_vat(amount, rate_bp)


def order_amounts(draft: OrderDraft, *, reverse_charge: bool) -> Amounts:
    """Return an order's amounts; insurance premiums carry insurance tax, not VAT."""
    items = sum(line.quantity * line.unit_price_minor for line in draft.lines)
    insurance = sum(line.insured_units * line.insurance_unit_minor for line in draft.lines)
    vat = sum(
        _vat_in(line.quantity * line.unit_price_minor, line.vat_rate_bp, reverse_charge)
        for line in draft.lines
    ) + _vat_in(draft.shipping_minor, draft.shipping_vat_rate_bp, reverse_charge)
    return Amounts(
        items_minor=items,
        shipping_minor=draft.shipping_minor,
        insurance_minor=insurance,
        vat_minor=vat,
        total_minor=items + draft.shipping_minor + insurance,
    )


def _order_number() -> str:
    while True:
        number = "R" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(9))
        if not Order.objects.filter(number=number).exists():
            return number


DELIVERY_FIELDS = (
    "name", "company", "line1", "line2", "postal_code", "city", "region", "country", "phone",
)  # fmt: skip
BILLING_FIELDS = ("name", "company", "line1", "line2", "postal_code", "city", "country")


def _address_fields(
    prefix: str, address: Mapping[str, Any], names: Sequence[str]
) -> dict[str, Any]:
    return {f"{prefix}_{name}": str(address.get(name) or "") for name in names}


@transaction.atomic
def orders_place(
    *,
    checkout_reference: str,
    payment: Payment,
    buyer: User,
    company: Company | None,
    buyer_vat_number: str,
    reverse_charge: bool,
    delivery: Mapping[str, Any],
    billing: Mapping[str, Any],
    drafts: Sequence[OrderDraft],
    hold_reason: str = "",
) -> list[Order]:
    """Create the orders of a paid checkout, book them in the ledger and invoice them.

    Idempotent per checkout and seller: orders already placed are returned as they are.
    Held orders (``hold_reason``) wait for staff review and are not passed to sellers.
    """
    from recommerce.orders.services.invoices import invoice_issue_for_order
    from recommerce.orders.services.ledger import ledger_record_capture

    existing = {
        order.seller_id: order
        for order in Order.objects.filter(checkout_reference=checkout_reference)
    }
    now = clock.now()
    placed: list[Order] = []
    for draft in drafts:
        if draft.seller_id in existing:
            placed.append(existing[draft.seller_id])
            continue
        amounts = order_amounts(draft, reverse_charge=reverse_charge)
        order = Order.objects.create(
            number=_order_number(),
            checkout_reference=checkout_reference,
            payment=payment,
            seller_id=draft.seller_id,
            buyer=buyer,
            company=company,
            status=Order.Status.HELD if hold_reason else Order.Status.PAID,
            hold_reason=hold_reason,
            currency=payment.currency,
            items_minor=amounts.items_minor,
            shipping_minor=amounts.shipping_minor,
            insurance_minor=amounts.insurance_minor,
            vat_minor=amounts.vat_minor,
            total_minor=amounts.total_minor,
            reverse_charge=reverse_charge,
            buyer_email=buyer.email,
            buyer_title=buyer.title if company else "",
            buyer_vat_number=buyer_vat_number if company else "",
            **_address_fields("delivery", delivery, DELIVERY_FIELDS),
            **_address_fields("billing", billing, BILLING_FIELDS),
            shipping_method=draft.shipping_method,
            shipping_label=draft.shipping_label,
            delivery_estimate_from=draft.estimate_from,
            delivery_estimate_to=draft.estimate_to,
            paid_at=now,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                offer_id=line.offer_id,
                variant_id=line.variant_id,
                title=line.title,
                grade=line.grade,
                warranty_months=line.warranty_months,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                vat_rate_bp=line.vat_rate_bp,
                insured_units=line.insured_units,
                insurance_unit_minor=line.insurance_unit_minor,
                insurance_quote_id=line.insurance_quote_id,
            )
            for line in draft.lines
        )
        ledger_record_capture(order=order)
        invoice_issue_for_order(order=order)
        placed.append(order)
        # Outside parties hear of the order only once it is committed.
        transaction.on_commit(partial(_after_commit, order))
    return placed


def _after_commit(order: Order) -> None:
    from recommerce.orders.services.fulfilment import order_placed_notify
    from recommerce.orders.services.insurance import insurance_subscribe_for_order

    fresh = Order.objects.get(pk=order.pk)
    if fresh.lines.filter(insured_units__gt=0).exists():
        insurance_subscribe_for_order(order=fresh)
    order_placed_notify(order=fresh)
