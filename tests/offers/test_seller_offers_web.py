"""A seller's "My offers" pages: publish, change, refuse bad input, never reach another's."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, User
from recommerce.accounts.services import sellers as seller_services
from recommerce.catalog.models import Listing, Variant
from recommerce.offers.models import Offer
from tests import factories as f
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("offers:seller_offers")
NEW_URL = reverse("offers:seller_offer_new")
VALID = {
    "grade": "excellent",
    "price": "459.00",
    "stock": "4",
    "warranty_months": "24",
    "battery_health_min_pct": "90",
    "dispatch_days": "2",
}


def text(response: Any) -> str:
    """Return the page's visible text with whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def edit_url(offer: Offer) -> str:
    return reverse("offers:seller_offer_edit", kwargs={"offer_id": offer.pk})


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def open_seller(owner: User, name: str, *, approve: bool = True) -> Seller:
    """Take a seller through onboarding as the pages do: file, bank, extract, review."""
    seller = seller_services.seller_onboarding_start(
        user=owner, name=name, legal_name=f"{name} SAS", country="FR"
    )
    seller_services.seller_onboarding_update(
        seller=seller, actor=owner, vat_number="FR40303265045", registration_number="303265045",
        return_line1="3 Quai des Quokkas", return_postal_code="69002", return_city="Lyon",
        return_country="FR", warranty_months=18,
    )  # fmt: skip
    seller_services.seller_bank_account_set(
        seller=seller, actor=owner, iban="FR7630006000011234567890189", account_holder=name
    )
    pdf = SimpleUploadedFile("extract.pdf", b"%PDF-1.4\n% extract\n%%EOF\n")
    seller_services.seller_document_add(seller=seller, actor=owner, kind="registration", upload=pdf)
    seller = seller_services.seller_submit(seller=seller, actor=owner)
    if approve:
        staff = make_staff(roles.ANTI_FRAUD)
        seller = seller_services.seller_approve(seller=seller, staff=staff)
    return seller


@pytest.fixture
def catalog() -> dict[str, Variant]:
    ip13 = f.device_model("iPhone 13")
    galaxy = f.device_model("Galaxy S22", brand_name="Samsung", release_year=2022)
    return {
        "ip13_128": f.variant(ip13, storage_gb=128, colour="Blue"),
        "ip13_256": f.variant(ip13, storage_gb=256, colour="Midnight"),
        "galaxy": f.variant(galaxy, storage_gb=128, colour="Phantom White"),
    }


@pytest.fixture
def owner(settings: Any, tmp_path: Any) -> User:
    settings.MEDIA_ROOT = tmp_path
    return make_user("owner@quokka.example", full_name="Sam Owner")


@pytest.fixture
def seller(owner: User) -> Seller:
    return open_seller(owner, "Quokka Refurb")


def publish(client: Client, product: Variant, q: str = "iphone", **changes: str) -> Any:
    return client.post(f"{NEW_URL}?find={q}", {"variant": str(product.pk), **VALID, **changes})


# --- publishing -------------------------------------------------------------------------------


def test_publishing_creates_exactly_the_offer_and_the_product_page_shows_it(owner, seller, catalog):
    client = signed_in(owner)
    variant = catalog["ip13_256"]

    found = client.get(NEW_URL, {"find": "iphone 13 256"})
    assert found.status_code == 200
    assert "1 product matches “iphone 13 256”" in text(found)
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', found.content.decode())
    assert options[0] == ("", "Choose a product")
    assert [o for o in options if o[0] and o[0].isdigit() and int(o[0]) == variant.pk] == [
        (str(variant.pk), "Apple iPhone 13 · 256 GB · Midnight · Unlocked")
    ]
    assert str(catalog["ip13_128"].pk) not in {o[0] for o in options}
    # The seller's own warranty is the form's starting point.
    assert re.search(r'name="warranty_months" value="18"', found.content.decode())

    response = publish(client, variant, q="iphone 13 256")
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    offer = Offer.objects.get()
    assert (
        offer.seller, offer.variant, offer.grade, offer.price_minor, offer.currency, offer.stock,
        offer.warranty_months, offer.battery_health_min_pct, offer.dispatch_days, offer.is_active,
    ) == (seller, variant, "excellent", 45_900, "EUR", 4, 24, 90, 2, True)  # fmt: skip
    assert Listing.objects.get(variant=variant).price_excellent == 45_900

    listing = client.get(LIST_URL)
    assert listing.status_code == 200
    page = text(listing)
    assert "Your offer is published: Apple iPhone 13 256 GB · Midnight · Unlocked, Excellent, " \
        "€459.00." in page  # fmt: skip
    assert "Apple iPhone 13 256 GB · Midnight · Unlocked Excellent €459.00 4 24 months On sale" in (
        page
    )

    shopper = Client().get(variant.get_absolute_url())
    assert shopper.status_code == 200
    assert "Best offer in Excellent €459.00 Sold by Quokka Refurb" in text(shopper)
    assert "24-month warranty" in text(shopper)
    assert "Battery health ≥ 90 %" in text(shopper)


def test_a_catalog_manager_publishes_for_the_seller(owner, seller, catalog):
    manager = make_user("catalog@quokka.example")
    seller_services.seller_member_add(seller=seller, actor=owner, user=manager, role="catalog")
    response = publish(signed_in(manager), catalog["galaxy"], q="galaxy", price="369")
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.seller, offer.variant, offer.price_minor) == (seller, catalog["galaxy"], 36_900)


def test_the_search_box_finds_variants_nobody_sells_yet(owner, seller, catalog):
    response = signed_in(owner).get(NEW_URL, {"find": "128 GB"})
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', response.content.decode())
    assert labels == [
        "Apple iPhone 13 · 128 GB · Blue · Unlocked",
        "Samsung Galaxy S22 · 128 GB · Phantom White · Unlocked",
    ]
    nothing = signed_in(owner).get(NEW_URL, {"find": "walkman"})
    assert nothing.status_code == 200
    assert "No product matches “walkman”" in text(nothing)
    assert 'name="variant"' not in nothing.content.decode()


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("4,59.0", "'4,59.0' is not an amount. Enter the price as an amount such as 459.00."),
        ("-1", "'-1' is not a positive amount. Enter the price as an amount such as 459.00."),
        ("abc", "'abc' is not an amount. Enter the price as an amount such as 459.00."),
        ("4.599", "'4.599' has more than 2 decimals. Enter the price as an amount such as 459.00."),
        ("0", "The price must be more than zero."),
        ("", "Enter the price, e.g. 459.00."),
        ("1000000", "The price cannot exceed 100,000 EUR."),
    ],
)
def test_a_bad_price_is_refused_with_its_reason_and_nothing_is_saved(
    owner, seller, catalog, price, message
):
    response = publish(signed_in(owner), catalog["ip13_128"], price=price)
    assert response.status_code == 400
    assert message in text(response)
    assert 'id="id_price_error"' in response.content.decode()
    assert not Offer.objects.exists()
    assert Listing.objects.get(variant=catalog["ip13_128"]).offer_count == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("warranty_months", "6", "The warranty must be at least 12 months."),
        ("battery_health_min_pct", "79", "Battery health must be guaranteed at 80 % or more."),
        ("battery_health_min_pct", "101", "Enter at most 100."),
        ("stock", "-2", "Enter at least 0."),
        ("stock", "two", "Enter a whole number."),
        ("dispatch_days", "0", "Enter at least 1."),
        ("grade", "mint", "Select a valid choice. mint is not one of the available choices."),
        ("grade", "", "Choose the condition grade."),
        ("variant", "999999", "Choose a product from the list."),
        ("variant", "", "Choose the product you sell."),
    ],
)
def test_other_bad_values_are_refused_and_nothing_is_saved(
    owner, seller, catalog, field, value, message
):
    response = publish(signed_in(owner), catalog["ip13_128"], **{field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Offer.objects.exists()


def test_a_second_offer_for_the_same_product_and_grade_is_refused(owner, seller, catalog):
    client = signed_in(owner)
    assert publish(client, catalog["ip13_128"]).status_code == 302
    response = publish(client, catalog["ip13_128"], price="399.00")
    assert response.status_code == 400
    assert "You already have an offer for this product in this grade" in text(response)
    assert list(Offer.objects.values_list("price_minor", flat=True)) == [45_900]


@pytest.mark.parametrize("approve", [False, True])
def test_a_seller_not_yet_approved_sees_why_and_cannot_publish(
    settings, tmp_path, catalog, approve
):
    settings.MEDIA_ROOT = tmp_path
    owner = make_user("draft@quokka.example")
    if approve:  # approved, then suspended by hand: no longer active either
        seller = open_seller(owner, "Suspended Refurb")
        Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.SUSPENDED)
        expected = "You cannot publish offers. Your seller account is suspended"
    else:
        seller_services.seller_onboarding_start(
            user=owner, name="Draft Refurb", legal_name="Draft Refurb SAS", country="FR"
        )
        expected = "You cannot publish offers yet. Your seller file is not submitted"
    client = signed_in(owner)
    for url in (LIST_URL, NEW_URL):
        page = client.get(url)
        assert page.status_code == 200
        assert expected in text(page)
        assert f'href="{reverse("accounts:seller")}">Open your seller file</a>' in (
            page.content.decode()
        )
        assert "Publish the offer" not in text(page)
    response = publish(client, catalog["ip13_128"])
    assert response.status_code == 400
    assert "Your seller account must be approved before you can publish offers." in text(response)
    assert not Offer.objects.exists()


def test_a_submitted_seller_is_told_its_file_is_in_review(owner, catalog):
    open_seller(owner, "Waiting Refurb", approve=False)
    page = signed_in(owner).get(LIST_URL)
    assert "Your seller file is being reviewed" in text(page)
    assert "New offer" not in text(page)
    assert publish(signed_in(owner), catalog["ip13_128"]).status_code == 400
    assert not Offer.objects.exists()


# --- the list and changes -----------------------------------------------------------------


def test_the_list_pages_through_every_offer_including_those_off_sale(owner, seller):
    model = f.device_model("Pixel 7", brand_name="Google", release_year=2022)
    variants = [f.variant(model, storage_gb=gb, colour="Obsidian") for gb in range(1, 8)]
    for variant in variants:
        for grade in ("premium", "excellent", "good", "fair"):
            f.offer(variant, seller_=seller, grade=grade, price_minor=20_000, stock=0)
    client = signed_in(owner)
    first = client.get(LIST_URL)
    assert first.status_code == 200
    assert "Quokka Refurb · 28 offers." in text(first)
    assert len(re.findall(r'href="/account/seller/offers/\d+/"', first.content.decode())) == 25
    grades = re.findall(r"<td>(Premium|Excellent|Good|Fair)</td>", first.content.decode())
    assert grades[:5] == ["Premium", "Excellent", "Good", "Fair", "Premium"]
    assert 'rel="next"' in first.content.decode()
    second = client.get(LIST_URL, {"page": "2"})
    assert (
        len(re.findall(r"<td>(?:Premium|Excellent|Good|Fair)</td>", second.content.decode())) == 3
    )
    assert "(page 2 of 2)" in text(second)


def test_edit_changes_price_stock_and_availability(owner, seller, catalog):
    offer = f.offer(catalog["ip13_128"], seller_=seller, grade="good", price_minor=45_900)
    client = signed_in(owner)
    form = client.get(edit_url(offer))
    assert form.status_code == 200
    assert 'name="price" value="459.00"' in form.content.decode()

    response = client.post(edit_url(offer), {"price": "439.50", "stock": "7", "is_active": "on"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.price_minor, offer.stock, offer.is_active) == (43_950, 7, True)
    assert Listing.objects.get(variant=offer.variant).price_good == 43_950

    client.post(edit_url(offer), {"price": "439.50", "stock": "7"})  # unticked: off sale
    offer.refresh_from_db()
    assert offer.is_active is False
    assert Listing.objects.get(variant=offer.variant).price_good is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"price": "abc", "stock": "7"}, "'abc' is not an amount."),
        ({"price": "-1", "stock": "7"}, "'-1' is not a positive amount."),
        ({"price": "439.50", "stock": "-1"}, "Enter at least 0."),
    ],
)
def test_a_bad_edit_changes_nothing(owner, seller, catalog, data, message):
    offer = f.offer(catalog["ip13_128"], seller_=seller, grade="good", price_minor=45_900)
    before = Offer.objects.filter(pk=offer.pk).values().get()
    response = signed_in(owner).post(edit_url(offer), {**data, "is_active": "on"})
    assert response.status_code == 400
    assert message in text(response)
    assert Offer.objects.filter(pk=offer.pk).values().get() == before


# --- who may see and change what (SEC-2) ------------------------------------------------------


@pytest.fixture
def foreign_offer(owner, seller, catalog, settings, tmp_path) -> Offer:
    """An offer of another approved seller, Quokka's competitor."""
    rival = make_user("rival@axolotl.example")
    other = open_seller(rival, "Axolotl Phones")
    return f.offer(catalog["galaxy"], seller_=other, grade="fair", price_minor=29_900)


def snapshot() -> list[dict[str, Any]]:
    return list(Offer.objects.order_by("pk").values())


def test_another_sellers_offer_is_not_found_and_not_changed(owner, foreign_offer):
    before = snapshot()
    client = signed_in(owner)
    for method in ("get", "post"):
        response = getattr(client, method)(edit_url(foreign_offer), {"price": "1.00", "stock": "0"})
        assert response.status_code == 404
        assert "Axolotl" not in response.content.decode()
    assert "Axolotl" not in text(client.get(LIST_URL))
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(foreign_offer):
    before = snapshot()
    for url in (LIST_URL, NEW_URL, edit_url(foreign_offer)):
        for method in ("get", "post"):
            response = getattr(Client(), method)(url, {"price": "1.00", "stock": "0", **VALID})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert snapshot() == before


@pytest.mark.parametrize("role", ["orders", "finance"])
def test_order_and_finance_members_are_refused(owner, seller, catalog, foreign_offer, role):
    own = f.offer(catalog["ip13_128"], seller_=seller, grade="good", price_minor=45_900)
    member = make_user(f"{role}@quokka.example")
    seller_services.seller_member_add(seller=seller, actor=owner, user=member, role=role)
    before = snapshot()
    client = signed_in(member)
    for url in (LIST_URL, NEW_URL, edit_url(own), edit_url(foreign_offer)):
        page = client.get(url)
        assert page.status_code == 403
        assert "does not include managing offers" in text(page)
        assert "€459.00" not in text(page)
    assert publish(client, catalog["galaxy"], q="galaxy").status_code == 403
    assert client.post(edit_url(own), {"price": "1.00", "stock": "0"}).status_code == 403
    assert snapshot() == before
    assert "My offers" not in text(client.get(reverse("accounts:seller")))


def test_a_person_with_no_seller_account_finds_nothing(foreign_offer):
    client = signed_in(make_user("shopper@example.com"))
    before = snapshot()
    for url in (LIST_URL, NEW_URL, edit_url(foreign_offer)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"price": "1.00", "stock": "0", **VALID}).status_code == 404
    assert snapshot() == before
