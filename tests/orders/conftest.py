"""Fixtures of the fulfilment tests: sellers with people, paid orders built directly, fakes.

Orders are made here through the ORM (a captured payment, the order with distinctive
snapshot values, its lines, the stock taken), so each test starts from the exact state
it needs without running a checkout. Refunds go through a stand-in for
``payments.services.refund_create`` that records ``Refund`` rows as the real one does and
counts its calls: the tests assert exactly what the order services asked for.

This module is also the URL configuration of these tests: the project's, plus the order
pages and API when the project does not mount them yet.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path

from recommerce import urls as project_urls
from recommerce.accounts.models import Company, Seller, SellerApiKey, SellerMembership, User
from recommerce.accounts.services import api_keys
from recommerce.catalog.models import Variant
from recommerce.offers.models import Offer
from recommerce.offers.services import offer_stock_take
from recommerce.orders.models import Order, OrderLine
from recommerce.payments import services as payment_services
from recommerce.payments.models import Payment, Refund
from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from tests import factories as f
from tests.accounts.conftest import make_staff, make_user

_numbers = itertools.count(1)

# Values that must never reach a seller (SHARE-1): the billing side of the order.
BILLING = {
    "billing_name": "Agathe Facturation",
    "billing_company": "",
    "billing_line1": "99 Avenue de la Facture",
    "billing_line2": "Bâtiment B",
    "billing_postal_code": "69003",
    "billing_city": "Villeurbanne-Facture",
    "billing_country": "FR",
}
DELIVERY = {
    "delivery_name": "Alice Martin",
    "delivery_company": "",
    "delivery_line1": "12 Rue des Lilas",
    "delivery_line2": "3e étage",
    "delivery_postal_code": "75011",
    "delivery_city": "Paris",
    "delivery_region": "",
    "delivery_country": "FR",
    "delivery_phone": "+33612345678",
}


# --- URLs ------------------------------------------------------------------------------------


def _urlpatterns() -> list[URLPattern | URLResolver]:
    from ninja import NinjaAPI

    from recommerce.api import api as project_api
    from recommerce.orders.api import router

    patterns = list(project_urls.urlpatterns)
    names = {getattr(p, "namespace", None) for p in patterns}
    extra: list[URLPattern | URLResolver] = []
    if "orders" not in names:
        extra.append(path("account/orders/", include("recommerce.orders.urls")))
    if "seller_orders" not in names:
        extra.append(path("account/seller/orders/", include("recommerce.orders.seller_urls")))
    if "staff_orders" not in names:
        extra.append(path("staff/orders/", include("recommerce.orders.staff_urls")))
    if not any(r is router for _, r in project_api._routers):
        # Same error handlers as the project's API, so answers match what it will give.
        api = NinjaAPI(title="Orders (tests)", urls_namespace="orders-api-tests")
        api._exception_handlers = dict(project_api._exception_handlers)
        api.add_router("/", router)
        extra.append(path("api/v1/", api.urls))
    return extra + patterns


urlpatterns = _urlpatterns()


@pytest.fixture
def fulfilment_env(settings: Any, refunds: RefundRecorder) -> Iterator[None]:
    """What every fulfilment test runs with (the finance tests here have their own setup).

    The order URLs, quick password hashing (people are made by the dozen, and none of
    these tests is about hashing), new sandbox instances whose counters start at zero,
    and the refund stand-in.
    """
    settings.ROOT_URLCONF = __name__
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_provider_cache()
    yield
    clear_provider_cache()


# --- Refunds ---------------------------------------------------------------------------------


@dataclass
class RefundRecorder:
    """Stands for ``payments.services.refund_create``: one pending Refund per key."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(
        self,
        *,
        payment: Payment,
        amount_minor: int,
        idempotency_key: str,
        reason: str,
        context: str,
    ) -> Refund:
        self.calls.append(
            {
                "amount_minor": amount_minor,
                "key": idempotency_key,
                "reason": reason,
                "context": context,
            }
        )
        refund, _ = Refund.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "payment": payment,
                "amount_minor": amount_minor,
                "reason": reason,
                "context": context,
            },
        )
        return refund


@pytest.fixture
def refunds(monkeypatch: pytest.MonkeyPatch) -> RefundRecorder:
    recorder = RefundRecorder()
    monkeypatch.setattr(payment_services, "refund_create", recorder, raising=False)
    return recorder


# --- People and sellers -----------------------------------------------------------------------


@dataclass
class SellerSide:
    seller: Seller
    owner: User
    offer: Offer


def _phone() -> Variant:
    """The one device the sellers of these tests offer (a 128 GB blue iPhone 13)."""
    existing = Variant.objects.filter(device_model__slug="apple-iphone-13").first()
    return existing or f.variant(f.device_model("iPhone 13"))


def make_seller(
    name: str | None = None, *, price_minor: int = 45_000, stock: int = 5
) -> SellerSide:
    """An approved seller with an owner and one offer in stock."""
    seller = f.seller(name)
    owner = make_user(full_name=f"Owner of {seller.name}")
    SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
    offer = f.offer(_phone(), seller_=seller, price_minor=price_minor, stock=stock, dispatch_days=1)
    return SellerSide(seller=seller, owner=owner, offer=offer)


def add_member(seller: Seller, role: str, email: str | None = None) -> User:
    user = make_user(email)
    SellerMembership.objects.create(seller=seller, user=user, role=role)
    return user


def seller_key(seller: Seller, owner: User, *scopes: str) -> str:
    """Issue an API key; scopes the accounts app does not list yet are set directly."""
    issued = api_keys.seller_api_key_issue(
        seller=seller, actor=owner, name="shop system", scopes=[SellerApiKey.Scope.ORDERS_READ]
    )
    SellerApiKey.objects.filter(pk=issued.key.pk).update(scopes=sorted(set(scopes)))
    return issued.secret


def order_staff() -> User:
    """A staff member with the permission to act on orders."""
    from django.contrib.auth.models import Permission

    staff = make_staff(None)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="orders", codename="change_order")
    )
    return User.objects.get(pk=staff.pk)


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Orders ----------------------------------------------------------------------------------


def make_order(
    buyer: User,
    side: SellerSide,
    *,
    quantity: int = 1,
    status: str = Order.Status.PAID,
    shipping_minor: int = 0,
    insured_units: int = 0,
    insurance_quote_id: str = "",
    insurance_unit_minor: int = 0,
    company: Company | None = None,
    paid_at: dt.datetime | None = None,
    **snapshot: Any,
) -> Order:
    """A paid order of ``quantity`` units of the seller's offer, stock taken."""
    n = next(_numbers)
    offer = side.offer
    assert offer_stock_take(offer_id=offer.pk, quantity=quantity)
    items = quantity * offer.price_minor
    insurance = insured_units * insurance_unit_minor
    total = items + shipping_minor + insurance
    now = paid_at or clock.now()
    payment = Payment.objects.create(
        reference=f"chk-test-{n}",
        idempotency_key=f"pay-{uuid.uuid4().hex}",
        provider="sandbox",
        provider_payment_id=f"pi_test_{n}",
        payer=buyer,
        status=Payment.Status.CAPTURED,
        amount_minor=total,
        currency="EUR",
        captured_minor=total,
        provider_token="tok_test_visa",
        card_brand="visa",
        card_last4="4242",
        captured_at=now,
    )
    fields: dict[str, Any] = {
        **DELIVERY,
        **BILLING,
        "buyer_email": buyer.email,
        "buyer_title": "",
        "buyer_vat_number": "",
        **snapshot,
    }
    order = Order.objects.create(
        number=f"RT{n:08d}",
        checkout_reference=f"chk-test-{n}",
        payment=payment,
        seller=side.seller,
        buyer=buyer,
        company=company,
        status=status,
        hold_reason="address on the review list" if status == Order.Status.HELD else "",
        currency="EUR",
        items_minor=items,
        shipping_minor=shipping_minor,
        insurance_minor=insurance,
        vat_minor=items - items * 10_000 // 12_000,
        total_minor=total,
        commission_minor=items // 10,
        shipping_method="standard",
        shipping_label="Standard delivery",
        delivery_estimate_from=clock.today() + dt.timedelta(days=2),
        delivery_estimate_to=clock.today() + dt.timedelta(days=4),
        paid_at=now,
        **fields,
    )
    variant = offer.variant
    OrderLine.objects.create(
        order=order,
        offer=offer,
        variant=variant,
        title=f"{variant.device_model} {variant.label}".strip(),
        grade=offer.grade,
        warranty_months=offer.warranty_months,
        quantity=quantity,
        unit_price_minor=offer.price_minor,
        vat_rate_bp=2000,
        insured_units=insured_units,
        insurance_unit_minor=insurance_unit_minor,
        insurance_quote_id=insurance_quote_id,
    )
    return order


@dataclass
class World:
    """Two buyers, two sellers (each with an owner), staff with and without the permission."""

    buyer: User
    other_buyer: User
    side: SellerSide
    other_side: SellerSide
    staff: User
    plain_staff: User
    make: Callable[..., Order]


@pytest.fixture
def world(db: None, fulfilment_env: None) -> World:
    buyer = make_user("alice@example.com", full_name="Alice Martin")
    other = make_user("bob@example.com", full_name="Bob Durand")
    side = make_seller("Refurb Lyon")
    other_side = make_seller("Refurb Lille")
    mail.outbox.clear()
    return World(
        buyer=buyer,
        other_buyer=other,
        side=side,
        other_side=other_side,
        staff=order_staff(),
        plain_staff=make_staff(None),
        make=lambda **kw: make_order(buyer, side, **kw),
    )


def outbox_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def race(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Run ``calls`` at the same moment, each in its own thread and connection."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as error:  # handed to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def units_of(order: Order) -> dict[int, list[str]]:
    """One distinct serial number per unit of each line, as ``order_ship`` requires."""
    return {
        line.pk: [f"SN-{order.number}-{line.pk}-{n}" for n in range(1, line.quantity + 1)]
        for line in order.lines.all()
    }
