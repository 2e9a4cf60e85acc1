"""Minimal sharing with sellers (SHARE-1) and the disclosure log of every share (SHARE-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from recommerce.accounts.models import Company, SellerApiKey, User
from recommerce.orders.models import Order
from recommerce.orders.projections import (
    SELLER_B2B_FIELDS,
    SELLER_BUYER_FIELDS,
    SELLER_ORDER_FIELDS,
)
from recommerce.orders.services import fulfilment
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import BILLING, World, make_order, seller_key, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]

SEEN = [
    "Alice Martin",
    "12 Rue des Lilas",
    "3e étage",
    "75011",
    "+33612345678",
    "alice@example.com",
]
# The line's id is how the seller names it when shipping (one identifier per unit).
LINE_KEYS = {"id", "title", "grade", "quantity", "unit_price_minor", "warranty_months", "offer_id"}


@pytest.fixture
def consumer_order(world: World) -> Order:
    """A consumer's order, with values around it that its seller must never see."""
    User.objects.filter(pk=world.buyer.pk).update(
        birth_date=dt.date(1987, 7, 14), phone="+33699887766", title="ms"
    )
    # A value placement never copies for a consumer: the projection must not pass it on.
    order = world.make(buyer_vat_number="FR40303265045", buyer_title="ms")
    make_order(world.buyer, world.other_side)  # another order, with another seller
    return order


def billing_values() -> list[str]:
    return [v for k, v in BILLING.items() if v and k != "billing_country"]


def never_seen(world: World) -> list[str]:
    other = Order.objects.exclude(seller=world.side.seller).get()
    return [
        *billing_values(),
        "1987",
        "+33699887766",
        "4242",
        "visa",
        "FR40303265045",
        other.number,
    ]


def test_seller_page_shows_delivery_details_and_nothing_else(
    world: World, consumer_order: Order
) -> None:
    """SHARE-1 on the web: delivery name, address, phone and email only."""
    page = signed_in(world.side.owner).get(
        reverse("seller_orders:detail", kwargs={"number": consumer_order.number})
    )
    html = page.content.decode()
    assert page.status_code == 200
    for value in SEEN:
        assert value in html
    for value in never_seen(world):
        assert value not in html
    assert ">Ms<" not in html and "Ms Alice" not in html
    listing = signed_in(world.side.owner).get(reverse("seller_orders:list")).content.decode()
    assert consumer_order.number in listing
    for value in never_seen(world):
        assert value not in listing


def test_seller_page_gets_only_the_projection(world: World, consumer_order: Order) -> None:
    """SHARE-1: the template context holds the projection, never the order."""
    page = signed_in(world.side.owner).get(
        reverse("seller_orders:detail", kwargs={"number": consumer_order.number})
    )
    for context in page.context:
        for value in context.flatten().values():
            assert not isinstance(value, Order)
    view = page.context["order"]
    assert set(view) == {*SELLER_ORDER_FIELDS, "buyer", "lines"}
    assert set(view["buyer"]) == set(SELLER_BUYER_FIELDS)


def test_seller_api_answers_exactly_the_allow_list(world: World, consumer_order: Order) -> None:
    """SHARE-1 through the API: response keys equal the projection's allow-list."""
    secret = seller_key(world.side.seller, world.side.owner, SellerApiKey.Scope.ORDERS_READ)
    client = signed_in(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    detail = client.get(f"/api/v1/seller/orders/{consumer_order.number}", **auth)
    assert detail.status_code == 200
    body = detail.json()
    assert set(body) == {*SELLER_ORDER_FIELDS, "buyer", "lines"}
    assert set(body["buyer"]) == set(SELLER_BUYER_FIELDS)
    assert [set(line) for line in body["lines"]] == [LINE_KEYS]
    assert body["buyer"]["delivery_phone"] == "+33612345678"
    listing = client.get("/api/v1/seller/orders", **auth)
    assert [o["number"] for o in listing.json()] == [consumer_order.number]
    for text in (detail.content.decode(), listing.content.decode()):
        for value in never_seen(world):
            assert value not in text


def test_company_orders_add_title_company_and_vat(world: World) -> None:
    """SHARE-1: for B2B, the title, company and VAT number are added, and only then."""
    company = Company.objects.create(
        legal_name="Acme SAS", country="FR", vat_number="FR40303265045"
    )
    order = world.make(
        company=company,
        buyer_title="dr",
        delivery_company="Acme SAS",
        buyer_vat_number="FR40303265045",
    )
    secret = seller_key(world.side.seller, world.side.owner, SellerApiKey.Scope.ORDERS_READ)
    body = (
        signed_in(None)
        .get(f"/api/v1/seller/orders/{order.number}", HTTP_AUTHORIZATION=f"Bearer {secret}")
        .json()
    )
    assert set(body["buyer"]) == {*SELLER_BUYER_FIELDS, *SELLER_B2B_FIELDS}
    assert (body["buyer"]["buyer_title"], body["buyer"]["buyer_vat_number"]) == (
        "dr",
        "FR40303265045",
    )


def test_held_orders_do_not_exist_for_the_seller(world: World) -> None:
    """SHARE-1: nothing of a held order reaches the seller, on the web or the API."""
    held = world.make(status=Order.Status.HELD)
    owner = signed_in(world.side.owner)
    assert held.number not in owner.get(reverse("seller_orders:list")).content.decode()
    assert (
        owner.get(reverse("seller_orders:detail", kwargs={"number": held.number})).status_code
        == 404
    )
    secret = seller_key(world.side.seller, world.side.owner, SellerApiKey.Scope.ORDERS_READ)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert signed_in(None).get("/api/v1/seller/orders", **auth).json() == []
    assert signed_in(None).get(f"/api/v1/seller/orders/{held.number}", **auth).status_code == 404
    assert not Disclosure.objects.exists()


def test_seller_disclosure_names_the_fields_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """SHARE-5: passing an order to its seller is logged once, with the exact fields."""
    order = world.make()
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_placed_notify(order=order)
    disclosure = Disclosure.objects.get()
    assert (
        disclosure.subject_id,
        disclosure.recipient_kind,
        disclosure.recipient,
        disclosure.fields,
        disclosure.purpose,
        disclosure.legal_basis,
        disclosure.reference,
    ) == (
        world.buyer.pk,
        "seller",
        "Refurb Lyon",
        sorted(SELLER_BUYER_FIELDS),
        "service.orders",
        "performance of a contract",
        order.number,
    )
    seller_mail = mail.outbox[1]
    for value in [*billing_values(), "4242"]:
        assert value not in seller_mail.body


def test_company_order_disclosure_adds_the_b2b_fields(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    company = Company.objects.create(legal_name="Acme SAS", country="FR")
    order = world.make(company=company, buyer_title="mr", delivery_company="Acme SAS")
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_placed_notify(order=order)
    assert Disclosure.objects.get().fields == sorted(SELLER_BUYER_FIELDS + SELLER_B2B_FIELDS)
    assert "Mr Alice Martin" in mail.outbox[1].body


def test_every_share_of_an_order_is_logged(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """SHARE-5: seller, carrier and insurer each appear once in the log, with their fields."""
    from recommerce.orders.providers.insurer import get_insurer
    from recommerce.orders.services.insurance import insurance_subscribe_for_order

    quote_id = (
        get_insurer()
        .quote(device_title="iPhone 13", category="", price_minor=45_000, currency="EUR")
        .quote_id
    )
    order = world.make(insured_units=1, insurance_quote_id=quote_id, insurance_unit_minor=3_699)
    with django_capture_on_commit_callbacks(execute=True):
        insurance_subscribe_for_order(order=order)
        fulfilment.order_placed_notify(order=order)
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    log = {
        d.recipient_kind: (d.recipient, d.fields)
        for d in Disclosure.objects.filter(reference=order.number, subject=world.buyer)
    }
    assert log == {
        "insurer": (
            "Sandbox Insurance",
            ["billing_name", "buyer_email", "title", "unit_price_minor"],
        ),
        "seller": ("Refurb Lyon", sorted(SELLER_BUYER_FIELDS)),
        "carrier": ("Sandbox Parcel", sorted(fulfilment.CARRIER_FIELDS)),
    }
    assert Disclosure.objects.count() == 3
