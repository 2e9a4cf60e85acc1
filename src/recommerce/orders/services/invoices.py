"""VAT invoices, credit notes and commission invoices, numbered without gaps.

Each issuer (a seller, or the marketplace) has one series per calendar year, such as
``REFURB-2026-000001`` or ``RC-2026-000001``. The series' row is locked inside the
transaction that creates the document, so a rolled-back document gives its number back
and concurrent issuers wait for each other: no gaps, no duplicates. Credit notes share
their issuer's series.

A seller invoices the items and the delivery of an order. A device insurance premium is
sold for the insurer, not by the seller, so it is not on the seller's invoice; refunds are
credited on the invoice first and reach the premium only once the invoice is fully
credited (the ledger splits money the same way).

Commission invoices go from the marketplace to a seller. The commission withheld from
payouts is all the marketplace receives, so it is treated as VAT included; under the
reverse charge or outside the EU no VAT is due and it is the net amount.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from recommerce.accounts.models import Seller
from recommerce.orders.models import Invoice, InvoiceSequence, LedgerEntry, LedgerTransaction, Order
from recommerce.orders.services.commissions import VatRegime, commission_vat_regime
from recommerce.platform import clock
from recommerce.platform.money import without_vat

MARKETPLACE_ISSUER = "marketplace"
MARKETPLACE_PREFIX = "RC"
REVERSE_CHARGE_MENTION = (
    "Reverse charge — VAT to be accounted for by the customer "
    "(Article 196, Council Directive 2006/112/EC)"
)
OUTSIDE_EU_MENTION = (
    "VAT not applicable: service supplied to a business established outside the EU "
    "(Article 44, Council Directive 2006/112/EC)"
)
REFERENCE_MENTION = "Reference: "
_REGIME_MENTIONS = {
    VatRegime.REVERSE_CHARGE: REVERSE_CHARGE_MENTION,
    VatRegime.OUTSIDE_EU: OUTSIDE_EU_MENTION,
}

Line = dict[str, Any]


# ---- Numbering ------------------------------------------------------------------------------


def seller_issuer_key(seller_id: int) -> str:
    return f"seller:{seller_id}"


def seller_invoice_prefix(seller: Seller) -> str:
    """Return a seller's invoice prefix: the first six letters or digits of its slug."""
    return re.sub(r"[^A-Z0-9]", "", seller.slug.upper())[:6] or f"S{seller.pk}"


def _locked_sequence(*, issuer: str, series: str) -> InvoiceSequence:
    found = InvoiceSequence.objects.select_for_update().filter(issuer=issuer).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: another first invoice may create it too
            InvoiceSequence.objects.create(issuer=issuer, prefix=series, next_value=1)
    except IntegrityError:
        pass
    return InvoiceSequence.objects.select_for_update().get(issuer=issuer)


def _next_number(*, issuer: str, prefix: str, year: int) -> str:
    """Take the next number of ``issuer``'s series; the caller's transaction holds the lock."""
    series = f"{prefix}-{year}"
    sequence = _locked_sequence(issuer=issuer, series=series)
    if not sequence.prefix.endswith(f"-{year}"):  # each year starts a new series
        sequence.next_value = 1
    # A renamed seller keeps counting, so an old prefix can never be numbered twice.
    sequence.prefix = series
    value = sequence.next_value
    sequence.next_value = value + 1
    sequence.save(update_fields=["prefix", "next_value"])
    return f"{series}-{value:06d}"


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _issue(*, issuer: str, prefix: str, **fields: Any) -> Invoice:
    issued_at = clock.now()
    issued_on = timezone.localdate(issued_at)
    return Invoice.objects.create(
        issuer_key=issuer,
        number=_next_number(issuer=issuer, prefix=prefix, year=issued_on.year),
        issued_at=issued_at,
        legal_hold_until=_years_later(issued_on, int(settings.INVOICE_RETENTION_YEARS)),
        **fields,
    )


# ---- Parties and amounts --------------------------------------------------------------------


def seller_legal_details(seller: Seller) -> dict[str, Any]:
    """Return a seller's identity as invoices print it."""
    country = str(seller.return_country or seller.country)
    place = " ".join(p for p in (seller.return_postal_code, seller.return_city or seller.city) if p)
    return {
        "name": seller.legal_name,
        "trade_name": seller.name,
        "address": [p for p in (seller.return_line1, place, country) if p],
        "country": seller.country,
        "vat_number": seller.vat_number,
        "registration": seller.registration_number,
    }


def marketplace_legal_details() -> dict[str, Any]:
    legal: Mapping[str, str] = settings.MARKETPLACE_LEGAL
    return {
        "name": legal["name"],
        "address": [legal["address"]],
        "country": legal["country"],
        "vat_number": legal["vat_number"],
        "registration": legal["registration"],
    }


def _buyer_details(order: Order) -> dict[str, Any]:
    place = " ".join(p for p in (order.billing_postal_code, order.billing_city) if p)
    lines = (order.billing_line1, order.billing_line2, place, order.billing_country)
    return {
        "name": order.billing_name,
        "company": order.billing_company,
        "address": [p for p in lines if p],
        "vat_number": order.buyer_vat_number,
    }


def _line(*, description: str, quantity: int, gross: int, unit_gross: int, rate_bp: int) -> Line:
    """Return an invoice line; ``rate_bp`` is 0 when no VAT is invoiced."""
    net = without_vat(gross, rate_bp)
    return {
        "description": description,
        "quantity": quantity,
        "unit_net": without_vat(unit_gross, rate_bp),
        "vat_rate_bp": rate_bp,
        "net": net,
        "vat": gross - net,
        "gross": gross,
    }


def _totals(lines: Sequence[Line]) -> dict[str, int]:
    return {
        "net_minor": sum(int(line["net"]) for line in lines),
        "vat_minor": sum(int(line["vat"]) for line in lines),
        "total_minor": sum(int(line["gross"]) for line in lines),
    }


def _is_business(order: Order) -> bool:
    return bool(order.company_id or order.buyer_vat_number or order.billing_company)


# ---- Sale invoices and credit notes ---------------------------------------------------------


@transaction.atomic
def invoice_issue_for_order(*, order: Order) -> Invoice:
    """Issue the seller's VAT invoice for an order (once: a repeat returns the same one)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = Invoice.objects.filter(order=order, kind=Invoice.Kind.SALE).first()
    if existing is not None:
        return existing
    seller = Seller.objects.get(pk=order.seller_id)
    items = list(order.lines.all())

    def rate(bp: int) -> int:
        return 0 if order.reverse_charge else bp

    lines = [
        _line(
            description=(
                f"{item.title}, {item.grade} condition, {item.warranty_months}-month warranty"
            ),
            quantity=item.quantity,
            gross=item.total_minor,
            unit_gross=item.unit_price_minor,
            rate_bp=rate(item.vat_rate_bp),
        )
        for item in items
    ]
    if order.shipping_minor:
        # Delivery follows the VAT rate of the goods it delivers (the delivery country's).
        rates: Mapping[str, int] = settings.VAT_STANDARD_RATES_BP
        shipping_rate = items[0].vat_rate_bp if items else rates["default"]
        lines.append(
            _line(
                description=f"Delivery: {order.shipping_label}",
                quantity=1,
                gross=order.shipping_minor,
                unit_gross=order.shipping_minor,
                rate_bp=rate(shipping_rate),
            )
        )
    warranty = max((item.warranty_months for item in items), default=0)
    paid_on = timezone.localdate(order.paid_at)
    mentions = [
        f"Order {order.number}.",
        f"Delivery expected between {order.delivery_estimate_from:%d/%m/%Y} "
        f"and {order.delivery_estimate_to:%d/%m/%Y}.",
        f"Paid in full by card on {paid_on:%d/%m/%Y}: nothing remains due.",
        f"Warranty: {warranty} months from delivery, in addition to the legal guarantee "
        "of conformity.",
    ]
    if order.reverse_charge:
        mentions.append(REVERSE_CHARGE_MENTION)
    if order.insurance_minor:
        mentions.append("Device insurance is sold for the insurer and is not on this invoice.")
    if _is_business(order):
        mentions.append(
            "No discount for early payment. Late payment penalty: three times the legal "
            "interest rate, plus a fixed recovery indemnity of EUR 40."
        )
    return _issue(
        issuer=seller_issuer_key(seller.pk),
        prefix=seller_invoice_prefix(seller),
        kind=Invoice.Kind.SALE,
        seller=seller,
        order=order,
        buyer_id=order.buyer_id,
        issuer_details=seller_legal_details(seller),
        customer_details=_buyer_details(order),
        lines=lines,
        currency=order.currency,
        reverse_charge=order.reverse_charge,
        mentions=mentions,
        **_totals(lines),
    )


def _allocate(amount: int, room: Mapping[int, int]) -> dict[int, int]:
    """Share ``amount`` over keys in proportion to their ``room``, never beyond it."""
    available = sum(room.values())
    shares = {key: amount * left // available if available else 0 for key, left in room.items()}
    rest = amount - sum(shares.values())
    for key in sorted(room, key=lambda k: room[k] - shares[k], reverse=True):
        step = min(rest, room[key] - shares[key])
        shares[key] += step
        rest -= step
    return shares


def _credit_note_for(order: Order, reference: str) -> Invoice | None:
    mention = REFERENCE_MENTION + reference
    notes = Invoice.objects.filter(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    return next((note for note in notes if mention in note.mentions), None)


@transaction.atomic
def credit_note_issue(
    *, order: Order, amount_minor: int, reason: str, reference: str
) -> Invoice | None:
    """Issue a credit note correcting an order's invoice for a refund (once per reference).

    Returns ``None`` when the refund concerns only the insurance premium, which the
    seller did not invoice.
    """
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationError("The amount must be a positive whole number of minor units.")
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = _credit_note_for(order, reference)
    if existing is not None:
        return existing
    sale = invoice_issue_for_order(order=order)
    earlier = list(Invoice.objects.filter(order=order, kind=Invoice.Kind.CREDIT_NOTE))
    credited = -sum(note.total_minor for note in earlier)
    credit = min(amount_minor, sale.total_minor - credited)
    if credit <= 0:
        return None
    room: dict[int, int] = {}
    for line in sale.lines:
        rate = int(line["vat_rate_bp"])
        room[rate] = room.get(rate, 0) + int(line["gross"])
    for note in earlier:
        for line in note.lines:
            rate = int(line["vat_rate_bp"])
            room[rate] = room.get(rate, 0) + int(line["gross"])  # credit lines are negative
    shares = _allocate(credit, {rate: max(0, left) for rate, left in room.items()})
    label = reason.strip()[:150] or "Refund"
    lines = [
        _line(
            description=f"{label}" + (f" ({rate / 100:g} % VAT)" if len(shares) > 1 else ""),
            quantity=1,
            gross=-gross,
            unit_gross=-gross,
            rate_bp=rate,
        )
        for rate, gross in sorted(shares.items())
        if gross
    ]
    mentions = [
        f"Credit note correcting invoice {sale.number} of "
        f"{timezone.localdate(sale.issued_at):%d/%m/%Y} (order {order.number}).",
        "Refunded to the original means of payment.",
    ]
    if order.reverse_charge:
        mentions.append(REVERSE_CHARGE_MENTION)
    mentions.append(REFERENCE_MENTION + reference)
    return _issue(
        issuer=sale.issuer_key,
        prefix=seller_invoice_prefix(Seller.objects.get(pk=sale.seller_id)),
        kind=Invoice.Kind.CREDIT_NOTE,
        seller_id=sale.seller_id,
        order=order,
        corrects=sale,
        buyer_id=sale.buyer_id,
        issuer_details=sale.issuer_details,
        customer_details=sale.customer_details,
        lines=lines,
        currency=sale.currency,
        reverse_charge=sale.reverse_charge,
        mentions=mentions,
        **_totals(lines),
    )


# ---- Commission invoices --------------------------------------------------------------------


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the instants a period of whole local days starts and ends (exclusive)."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


@transaction.atomic
def commission_invoice_issue(
    *, seller: Seller, period_start: dt.date, period_end: dt.date
) -> Invoice | None:
    """Invoice a seller the commission of a period: orders paid less commission returned.

    Once per seller and period. Returns ``None`` when nothing is due; a period where more
    commission was returned than earned gives a credit note instead.
    """
    if period_end < period_start:
        raise ValidationError("The period ends before it starts.")
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    existing = Invoice.objects.filter(
        issuer_key=MARKETPLACE_ISSUER,
        seller=seller,
        period_start=period_start,
        period_end=period_end,
    ).first()
    if existing is not None:
        return existing
    since, until = day_bounds(period_start, period_end)
    orders = Order.objects.filter(seller=seller, paid_at__gte=since, paid_at__lt=until)
    earned = orders.aggregate(total=Sum("commission_minor"))["total"] or 0
    count = orders.filter(commission_minor__gt=0).count()
    returned = (
        LedgerEntry.objects.filter(
            account=LedgerEntry.Account.COMMISSION,
            seller=seller,
            transaction__kind__in=[
                LedgerTransaction.Kind.REFUND,
                LedgerTransaction.Kind.CHARGEBACK,
            ],
            transaction__created_at__gte=since,
            transaction__created_at__lt=until,
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    if earned - returned == 0:
        return None
    currency = orders.values_list("currency", flat=True).first() or settings.DEFAULT_CURRENCY
    rate, regime = commission_vat_regime(seller)
    mention = _REGIME_MENTIONS.get(regime, "")
    period = f"{period_start:%d/%m/%Y} to {period_end:%d/%m/%Y}"
    lines = []
    if earned:
        lines.append(
            _line(
                description=f"Commission on {count} order{'s' if count != 1 else ''} "
                f"paid from {period}",
                quantity=1,
                gross=earned,
                unit_gross=earned,
                rate_bp=rate,
            )
        )
    if returned:
        lines.append(
            _line(
                description=f"Commission returned on refunds and chargebacks from {period}",
                quantity=1,
                gross=-returned,
                unit_gross=-returned,
                rate_bp=rate,
            )
        )
    totals = _totals(lines)
    mentions = [
        f"Marketplace commission for {period}.",
        "Settled by deduction from payouts: nothing remains due.",
    ]
    if mention:
        mentions.append(mention)
    return _issue(
        issuer=MARKETPLACE_ISSUER,
        prefix=MARKETPLACE_PREFIX,
        kind=Invoice.Kind.COMMISSION if totals["total_minor"] > 0 else Invoice.Kind.CREDIT_NOTE,
        seller=seller,
        issuer_details=marketplace_legal_details(),
        customer_details=seller_legal_details(seller),
        lines=lines,
        currency=currency,
        reverse_charge=regime == VatRegime.REVERSE_CHARGE,
        mentions=mentions,
        period_start=period_start,
        period_end=period_end,
        **totals,
    )
