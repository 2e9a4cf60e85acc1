"""Builders for the money-after-the-sale tests: sellers with a bank account, paid orders.

Orders are built through the ORM (a captured payment, the order with its snapshot and
lines), then booked and invoiced exactly as order placement does, so each test starts
from the state it needs without a checkout.

This module is also the URL configuration of the finance page tests: the project's,
plus the finance pages when the project does not mount them yet.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import URLPattern, URLResolver, include, path

from recommerce import urls as project_urls
from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.catalog.models import Variant
from recommerce.offers.models import Offer
from recommerce.orders.finance_urls import staff_urlpatterns
from recommerce.orders.models import Order, OrderLine
from recommerce.orders.services.invoices import invoice_issue_for_order
from recommerce.orders.services.ledger import ledger_record_capture
from recommerce.payments.models import Payment
from recommerce.platform import clock
from recommerce.platform.money import without_vat
from tests import factories as f
from tests.accounts.conftest import make_staff, make_user

_numbers = itertools.count(1)


def _urlpatterns() -> list[URLPattern | URLResolver]:
    patterns = list(project_urls.urlpatterns)
    names = {getattr(p, "namespace", None) for p in patterns}
    extra: list[URLPattern | URLResolver] = []
    if "seller_finance" not in names:
        extra.append(path("account/seller/finance/", include("recommerce.orders.finance_urls")))
    if "staff_finance" not in names:
        extra.append(path("staff/finance/", include((staff_urlpatterns, "staff_finance"))))
    return extra + patterns


urlpatterns = _urlpatterns()


@dataclass(frozen=True)
class Item:
    """One order line: ``quantity`` units at ``unit_minor`` (VAT included unless reverse charge)."""

    unit_minor: int
    quantity: int = 1
    vat_rate_bp: int = 2000
    insured_units: int = 0
    insurance_unit_minor: int = 0


def phone() -> Variant:
    """The one device these tests sell (a 128 GB blue iPhone 13), in "Smartphones"."""
    existing = Variant.objects.filter(device_model__slug="apple-iphone-13").first()
    return existing or f.variant(f.device_model("iPhone 13"))


def make_seller(
    name: str,
    *,
    country: str = "FR",
    vat_number: str = "",
    bank: bool = True,
    owner: User | None = None,
) -> Seller:
    """An active seller with invoicing details, an owner, and a bank account unless told."""
    seller = f.seller(name, country=country)
    seller.vat_number = vat_number
    seller.registration_number = "RCS Lyon 123 456 789"
    seller.return_line1 = "5 quai des Ateliers"
    seller.return_postal_code = "69002"
    seller.return_city = "Lyon"
    seller.return_country = country
    if bank:
        seller.iban = "FR7630006000011234567890189"
        seller.iban_last4 = "0189"
        seller.account_holder = seller.legal_name
    seller.save()
    SellerMembership.objects.create(
        seller=seller,
        user=owner or make_user(full_name=f"Owner of {name}"),
        role=SellerMembership.Role.OWNER,
    )
    return seller


def offer_of(seller: Seller) -> Offer:
    found = Offer.objects.filter(seller=seller).first()
    return found or f.offer(phone(), seller_=seller, stock=100)


def make_order(
    seller: Seller,
    items: Sequence[Item] = (Item(45_000),),
    *,
    shipping_minor: int = 0,
    reverse_charge: bool = False,
    buyer: User | None = None,
    payment: Payment | None = None,
    paid_at: dt.datetime | None = None,
    book: bool = True,
    **snapshot: Any,
) -> Order:
    """A paid order from ``seller``; booked and invoiced as placement does unless ``book``."""
    n = next(_numbers)
    buyer = buyer or make_user(full_name="Zoë Müller")
    offer = offer_of(seller)
    amount_items = sum(i.unit_minor * i.quantity for i in items)
    insurance = sum(i.insured_units * i.insurance_unit_minor for i in items)
    total = amount_items + shipping_minor + insurance

    def vat_in(amount: int, rate: int) -> int:
        return 0 if reverse_charge else amount - without_vat(amount, rate)

    rate = items[0].vat_rate_bp if items else 2000
    vat = sum(vat_in(i.unit_minor * i.quantity, i.vat_rate_bp) for i in items)
    vat += vat_in(shipping_minor, rate)
    now = paid_at or clock.now()
    if payment is None:
        payment = Payment.objects.create(
            reference=f"chk-fin-{n}",
            idempotency_key=f"pay-{uuid.uuid4().hex}",
            provider="sandbox",
            provider_payment_id=f"pi_fin_{n}",
            payer=buyer,
            status=Payment.Status.CAPTURED,
            amount_minor=total,
            currency="EUR",
            captured_minor=total,
            captured_at=now,
        )
    fields: dict[str, Any] = {
        "buyer_email": buyer.email,
        "delivery_name": "Zoë Müller",
        "delivery_line1": "12 rue des Lilas",
        "delivery_postal_code": "75011",
        "delivery_city": "Paris",
        "delivery_country": "FR",
        "billing_name": "Zoë Müller",
        "billing_line1": "12 rue des Lilas",
        "billing_postal_code": "75011",
        "billing_city": "Paris",
        "billing_country": "FR",
        "shipping_method": "standard",
        "shipping_label": "Standard delivery",
        "delivery_estimate_from": dt.date(2026, 3, 10),
        "delivery_estimate_to": dt.date(2026, 3, 12),
        **snapshot,
    }
    order = Order.objects.create(
        number=f"RF{n:08d}",
        checkout_reference=payment.reference if payment.pk else f"chk-fin-{n}",
        payment=payment,
        seller=seller,
        buyer=buyer,
        status=Order.Status.PAID,
        currency="EUR",
        items_minor=amount_items,
        shipping_minor=shipping_minor,
        insurance_minor=insurance,
        vat_minor=vat,
        total_minor=total,
        reverse_charge=reverse_charge,
        paid_at=now,
        **fields,
    )
    variant = offer.variant
    for item in items:
        OrderLine.objects.create(
            order=order,
            offer=offer,
            variant=variant,
            title=f"{variant.device_model} {variant.label}".strip(),
            grade=offer.grade,
            warranty_months=12,
            quantity=item.quantity,
            unit_price_minor=item.unit_minor,
            vat_rate_bp=item.vat_rate_bp,
            insured_units=item.insured_units,
            insurance_unit_minor=item.insurance_unit_minor,
        )
    if book:
        ledger_record_capture(order=order)
        invoice_issue_for_order(order=order)
    order.refresh_from_db()
    return order


def ship(order: Order, *, on: dt.date) -> Order:
    """Mark ``order`` shipped at noon on ``on`` (local time)."""
    from django.utils import timezone

    moment = dt.datetime.combine(on, dt.time(12), tzinfo=timezone.get_current_timezone())
    Order.objects.filter(pk=order.pk).update(status=Order.Status.SHIPPED, shipped_at=moment)
    order.refresh_from_db()
    return order


def finance_staff(email: str | None = None, *, may_approve: bool = True) -> User:
    """A staff member, allowed to approve payouts unless told otherwise."""
    staff = make_staff(None, email)
    if may_approve:
        staff.user_permissions.add(
            Permission.objects.get(content_type__app_label="orders", codename="approve_payout")
        )
    return User.objects.get(pk=staff.pk)


def race(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run ``calls`` at once, each in its own thread and connection; return their errors."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
