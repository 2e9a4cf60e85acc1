"""The demo data set: counts, the rules every offer keeps, listings, logins, pictures, search."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.test import override_settings
from django.utils import timezone

from recommerce.accounts.models import Seller, User
from recommerce.accounts.quality import seller_quality_bp
from recommerce.catalog.models import (
    GRADES,
    Brand,
    Category,
    DeviceModel,
    Listing,
    ProductImage,
    Variant,
)
from recommerce.catalog.search import SearchQuery, search
from recommerce.demo.aftersales import REVIEWERS
from recommerce.demo.people import DEMO_LOGINS, STAFF_ROLES
from recommerce.offers.models import Offer
from recommerce.privacy.ledger import SqliteLedger

pytestmark = pytest.mark.django_db
# Former customers whose answered erasure requests are in the demo's history: their
# accounts stay as anonymised rows. Besides them and the logins, one shopper whose order
# is held for review.
ERASED_FORMER_CUSTOMERS = 6

CATEGORY_SLUGS = {
    "smartphones", "laptops", "tablets", "smartwatches", "consoles", "audio", "desktops",
    "cameras", "e-readers",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory) -> str:
    """The demo erases former customers: into a ledger of the module's own, not var/'s."""
    ledger = SqliteLedger(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3")
    ledger.create()
    return f"sqlite:///{ledger.path}"


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory, demo_ledger):
    """Seed the demo size once for the module, inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    # A fast hasher: the seed hashes three passwords and the tests check them again.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=fast,
            PRIVACY_LEDGER_URL=demo_ledger,
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed", "--size", "demo", "--no-input", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "models": DeviceModel.objects.count(),
        "variants": Variant.objects.count(),
        "offers": Offer.objects.count(),
        "sellers": Seller.objects.count(),
        "users": User.objects.count(),
        "images": ProductImage.objects.count(),
    }


def test_demo_size_counts():
    assert counts() == {
        "models": 451, "variants": 2231, "offers": counts()["offers"], "sellers": 30,
        "users": len(DEMO_LOGINS) + ERASED_FORMER_CUSTOMERS + 1 + len(REVIEWERS),
        "images": 779,
    }  # fmt: skip
    assert counts()["offers"] >= 3000
    assert set(Category.objects.values_list("slug", flat=True)) == CATEGORY_SLUGS
    assert Brand.objects.count() == 27
    assert {"Apple", "Samsung", "Google", "Fairphone", "Nintendo", "Kobo", "Amazon"} <= set(
        Brand.objects.values_list("name", flat=True)
    )


def test_summary_names_counts_and_logins(demo_output):
    assert "Seeded size 'demo' (seed 2025)" in demo_output
    assert re.search(r"device models\s+451\n", demo_output)
    assert re.search(r"sellers\s+30\n", demo_output)
    for _, email, password in DEMO_LOGINS:
        assert f"{email} / {password}" in demo_output


def test_real_models_with_their_specifications_and_options():
    iphone = DeviceModel.objects.get(slug="apple-iphone-13")
    assert (iphone.release_year, iphone.new_price_minor) == (2021, 90_900)
    assert iphone.specs == {
        "Screen": '6.1" OLED', "Processor": "A15 Bionic", "Main camera": "12 MP dual",
        "Battery": "3227 mAh",
    }  # fmt: skip
    assert sorted(iphone.variants.values_list("storage_gb", "colour", "connectivity")) == [
        (128, "Midnight", "Unlocked"), (128, "Starlight", "Unlocked"),
        (256, "Midnight", "Unlocked"), (256, "Starlight", "Unlocked"),
    ]  # fmt: skip
    air = DeviceModel.objects.get(slug="apple-macbook-air-13-m1-2020")
    assert set(air.variants.values_list("ram_gb", flat=True)) == {8, 16}
    assert set(air.variants.values_list("keyboard_layout", flat=True)) == {"AZERTY", "QWERTY"}
    assert air.variants.count() == 16
    assert set(
        Variant.objects.filter(device_model__category__slug="smartwatches").values_list(
            "connectivity", flat=True
        )
    ) == {"GPS", "GPS + Cellular"}
    assert set(
        Variant.objects.filter(device_model__category__slug="tablets").values_list(
            "connectivity", flat=True
        )
    ) == {"Wi-Fi", "Wi-Fi + Cellular"}
    assert not DeviceModel.objects.exclude(specs__has_key="Processor").filter(
        category__slug__in=["smartphones", "laptops", "tablets", "desktops", "consoles"]
    )
    for specs in DeviceModel.objects.values_list("specs", flat=True):
        assert specs and all(isinstance(v, str) and v for v in specs.values())


def test_every_offer_keeps_the_marketplace_rules():
    assert not Offer.objects.filter(warranty_months__lt=12).exists()
    assert set(Offer.objects.values_list("warranty_months", flat=True)) == {12, 18, 24}
    assert not Offer.objects.filter(
        Q(battery_health_min_pct__lt=80) | Q(battery_health_min_pct__gt=100)
    ).exists()
    assert not Offer.objects.filter(grade="premium").exclude(battery_health_min_pct=100).exists()
    assert not Offer.objects.filter(Q(dispatch_days__lt=1) | Q(dispatch_days__gt=5)).exists()
    assert not Offer.objects.filter(stock__gt=20).exists()
    assert Offer.objects.filter(stock=0).exists()
    assert set(Offer.objects.values_list("currency", flat=True)) == {"EUR"}
    assert {p % 100 for p in Offer.objects.values_list("price_minor", flat=True)} == {0, 99}
    assert set(Offer.objects.values_list("grade", flat=True)) == set(GRADES)


def test_every_variant_has_stock_in_at_least_two_grades():
    in_stock_grades = (
        Offer.objects.filter(stock__gt=0, is_active=True)
        .values("variant_id")
        .annotate(grades=Count("grade", distinct=True))
    )
    assert len(in_stock_grades) == 2231
    assert min(row["grades"] for row in in_stock_grades) >= 2


def test_better_grades_always_cost_more():
    """Within a variant, every offer of a grade costs more than every offer of a lower one."""
    bounds = {
        (row["variant_id"], row["grade"]): (row["low"], row["high"])
        for row in Offer.objects.values("variant_id", "grade").annotate(
            low=Min("price_minor"), high=Max("price_minor")
        )
    }
    variant_ids = {variant for variant, _ in bounds}
    for variant in variant_ids:
        present = [bounds[(variant, g)] for g in GRADES if (variant, g) in bounds]
        for better, worse in itertools.pairwise(present):
            assert better[0] > worse[1]


def test_listing_prices_summarise_the_offers():
    listings = list(Listing.objects.all())
    assert len(listings) == 2231
    for listing in listings:
        prices = [p for p in listing.grade_prices().values() if p is not None]
        assert len(prices) >= 2
        assert listing.price_from == min(prices)
        assert listing.offer_count >= 2
        assert listing.image.startswith("catalog/seed/")
        assert listing.popularity >= 1
    best = {
        (row["variant_id"], row["grade"]): row["low"]
        for row in Offer.objects.filter(stock__gt=0)
        .values("variant_id", "grade")
        .annotate(low=Min("price_minor"))
    }
    # The best offer is chosen by effective price, so it is never below the cheapest one.
    for listing in listings:
        for grade, price in listing.grade_prices().items():
            if price is not None:
                assert price >= best[(listing.variant_id, grade)]


def test_newer_and_flagship_models_are_more_popular():
    def top(name: str) -> int:
        return Listing.objects.filter(device_model__name=name).aggregate(p=Max("popularity"))["p"]

    assert top("iPhone 16") > top("iPhone 13") > top("iPhone 8")
    assert top("Galaxy S24 Ultra") > top("Galaxy A12")
    popularity = sorted(Listing.objects.values_list("popularity", flat=True), reverse=True)
    # Zipf-like: the top 10 % of listings draw at least half of the attention.
    assert sum(popularity[: len(popularity) // 10]) > sum(popularity) / 2


def test_sellers_have_a_varied_record_and_a_computed_quality():
    sellers = list(Seller.objects.all())
    assert len(sellers) == 30
    for seller in sellers:
        assert seller.quality_bp == seller_quality_bp(
            rating_count=seller.rating_count, rating_sum=seller.rating_sum,
            orders_shipped=seller.orders_shipped, orders_late=seller.orders_late,
            orders_defective=seller.orders_defective,
        )  # fmt: skip
        assert seller.city and seller.description and seller.legal_name.startswith(seller.name)
        assert seller.rating_count <= seller.rating_sum <= 5 * seller.rating_count
        assert seller.orders_late <= seller.orders_shipped
    assert {"FR", "DE", "ES", "IT", "NL", "BE", "US"} <= {s.country for s in sellers}
    assert len({s.quality_bp for s in sellers}) >= 25
    assert Seller.objects.get(name="Revivo Tech").offers.exists()


def test_a_sellers_description_says_what_the_page_does_not():
    """Hardening 5.9: "Refurbishes watches, audio, consoles and cameras in Warsaw since 2018;
    refurbishes watches, audio and consoles." repeated itself and the location line above it,
    and some promised a dispatch or returns the seller's terms did not give."""
    for seller in Seller.objects.all():
        text = seller.description
        assert text.startswith("Founded in ") and seller.name in text, text
        assert seller.city not in text, text
        assert "Refurbishes" not in text and "dispatch" not in text and "returns" not in text


def test_demo_users_can_sign_in_with_their_roles():
    for role, email, password in DEMO_LOGINS:
        user = authenticate(email=email, password=password)
        assert user is not None and user.email == email
        assert user.emailaddress_set.get().verified
        assert (user.is_staff, user.is_superuser) == (role in STAFF_ROLES, role == "admin")
        groups = [STAFF_ROLES[role]] if role in STAFF_ROLES else []
        assert list(user.groups.values_list("name", flat=True)) == groups
    assert authenticate(email="admin@recommerce.test", password="wrong-password") is None
    assert [role for role, _, _ in DEMO_LOGINS] == [
        "admin", "buyer", "business", "seller", "support", "fraud", "finance", "dpo"
    ]  # fmt: skip
    seller_login = User.objects.get(email="seller@recommerce.test")
    assert seller_login.seller_memberships.get().seller.name == "Revivo Tech"
    business = User.objects.get(email="business@recommerce.test")
    company = business.company_memberships.get().company
    assert (company.vat_number, company.vat_verified_at is not None) == ("FR40303265045", True)


def test_pictures_are_safe_svg_drawings_in_storage():
    pictures = list(ProductImage.objects.select_related("device_model"))
    models = DeviceModel.objects.annotate(n=Count("images"))
    assert {m.n for m in models} == {1, 2}
    for picture in pictures[:: max(1, len(pictures) // 40)]:
        assert picture.image.name.startswith("catalog/seed/") and picture.image.name.endswith(
            ".svg"
        )
        with default_storage.open(picture.image.name) as handle:
            svg = handle.read().decode()
        root = ET.fromstring(svg)  # noqa: S314 (the seed wrote it a moment ago)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        lowered = svg.lower()
        for forbidden in ("<script", "href", "url(", "@import", "foreignobject", "<image"):
            assert forbidden not in lowered
        assert not re.search(r"\son[a-z]+=", lowered)
        assert picture.device_model.name[:20].replace("&", "&amp;") in svg


def test_typo_search_finds_iphone_13_first():
    result = search(SearchQuery(q="iphne 13"))
    assert result.corrected_query == "iphone 13"
    assert result.total == 16
    assert [item.title for item in result.items[:4]] == ["Apple iPhone 13"] * 4
    assert all(item.title.startswith("Apple iPhone 13") for item in result.items)


def test_rerun_with_if_empty_changes_nothing():
    before = counts()
    out = StringIO()
    call_command("seed", "--size", "demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "already has 451 device models" in out.getvalue()


def test_rerun_without_if_empty_refuses():
    before = counts()
    with pytest.raises(CommandError, match="already has 451 device models"):
        call_command("seed", "--size", "s", stdout=StringIO())
    assert counts() == before


def test_the_demo_buyer_has_orders_and_the_demo_seller_a_payout_due():
    from recommerce.demo.people import DEMO_BUYER_EMAIL, DEMO_SELLER_NAME
    from recommerce.orders.models import LedgerEntry, Order, Payout

    mine = Order.objects.filter(buyer__email=DEMO_BUYER_EMAIL)
    seller = Seller.objects.get(name=DEMO_SELLER_NAME)
    # The first checkout of the history; the after-sales orders come later (aftersales.py).
    orders = mine.filter(checkout_reference=mine.order_by("paid_at").first().checkout_reference)
    assert orders.count() == 2  # one checkout, two sellers
    assert orders.get(seller=seller).lines.count() == 2
    shipped = orders.get(status=Order.Status.DELIVERED)
    assert shipped.seller_id == seller.pk and shipped.tracking_number
    payout = Payout.objects.get(seller=seller)
    assert payout.amount_minor == shipped.total_minor - shipped.commission_minor
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_seller_login_names_its_shop_in_the_summary_and_the_readme(demo_output):
    """Hardening 5.2: the printed seller login and the README say which shop it owns."""
    from recommerce.demo.people import DEMO_SELLER_NAME

    _, email, password = next(login for login in DEMO_LOGINS if login[0] == "seller")
    assert f"{email} / {password}  (owner of the shop {DEMO_SELLER_NAME})" in demo_output
    readme = README.read_text()
    for role, email, password in DEMO_LOGINS:
        row = next(line for line in readme.splitlines() if f"`{email}`" in line)
        assert f"`{password}`" in row
        if role == "seller":
            assert f"**{DEMO_SELLER_NAME}**" in row


def test_the_readme_purchase_reaches_the_demo_seller(client):
    """Hardening 5.2: the product and grade the README names have the demo seller's offer
    as their best offer, in stock, and the product page shows it first."""
    from recommerce.demo.people import DEMO_SELLER_NAME
    from recommerce.demo.showcase import SHOWCASE, SHOWCASE_STOCK, showcase_variant
    from recommerce.offers.selectors import product_offers_by_grade

    readme = " ".join(README.read_text().split())
    title, storage, colour = SHOWCASE.label.split(", ")
    assert f"**{title}, {storage}, {colour}**. In **{SHOWCASE.grade.title()}** condition" in readme
    assert f"the best offer is {DEMO_SELLER_NAME}'s" in readme
    variant = showcase_variant()
    grades = {g.grade: g for g in product_offers_by_grade(variant=variant)}
    best = grades[SHOWCASE.grade].best
    assert best.seller.name == DEMO_SELLER_NAME
    assert best.stock == SHOWCASE_STOCK
    assert grades[SHOWCASE.grade].other_count >= 1  # a real comparison, not a lone offer
    listing = Listing.objects.get(variant=variant)
    assert listing.grade_prices()[SHOWCASE.grade] == best.price_minor
    page = client.get(f"/p/{variant.device_model.slug}/{variant.pk}/?grade={SHOWCASE.grade}")
    html = page.content.decode()
    assert page.status_code == 200 and DEMO_SELLER_NAME in html


def test_the_shops_and_people_exist_before_the_orders():
    """Hardening 5.5: offers were published and people joined before the first order."""
    from recommerce.checkout.models import Checkout

    ordered = Checkout.objects.earliest("created_at").created_at
    assert Offer.objects.filter(created_at__gte=ordered).count() == 0
    assert Seller.objects.filter(created_at__gte=ordered).count() == 0
    logins = User.objects.filter(email__in=[email for _, email, _ in DEMO_LOGINS])
    assert logins.filter(date_joined__gte=ordered).count() == 0
    for checkout in Checkout.objects.select_related("user"):
        assert checkout.user.date_joined < checkout.created_at


def test_the_dpo_figures_show_numbers_and_hide_only_a_small_group(client):
    """Hardening 5.9: with three requests in the demo, every figure read "fewer than 5". A
    history of answered requests gives the page numbers; one small group shows the rule."""
    from recommerce.demo.people import DEMO_DPO_EMAIL
    from recommerce.privacy.models import DataRequest, ErasureRecord

    erased = ErasureRecord.objects.filter(status=ErasureRecord.Status.DONE)
    assert erased.count() == ERASED_FORMER_CUSTOMERS
    assert User.objects.filter(email__endswith="@erased.invalid").count() == 6
    history = DataRequest.objects.filter(email__startswith="history.")
    assert history.count() == 21 and not history.filter(closed_at__isnull=True).exists()
    # Each answered on time, after the shops opened and before the seed.
    for request in history:
        assert request.received_at < request.closed_at < timezone.now()
        assert timezone.localdate(request.closed_at) <= request.due_on

    client.force_login(User.objects.get(email=DEMO_DPO_EMAIL))
    html = client.get("/staff/privacy/stats/").content.decode()

    assert '<tr><td>Access to my data · GDPR (EU)</td><td class="num">9</td></tr>' in html
    assert '<tr><td>Erase my data · GDPR (EU)</td><td class="num">6</td></tr>' in html
    assert '<span class="muted">fewer than 5</span>' in html
    assert '<th scope="row">In all (a person counts once)</th><td class="num">24</td>' in html


def test_the_dpo_finds_the_former_customers_in_the_erasure_ledger(client, settings, demo_ledger):
    """Faults 1: the demo's erasures are in its ledger, which the DPO's console shows."""
    from recommerce.demo.people import DEMO_DPO_EMAIL
    from recommerce.privacy.models import ErasureRecord

    settings.PRIVACY_LEDGER_URL = demo_ledger

    client.force_login(User.objects.get(email=DEMO_DPO_EMAIL))
    html = client.get("/staff/privacy/ledger/").content.decode()

    erased = ErasureRecord.objects.filter(erased_at__isnull=False)
    assert erased.count() == ERASED_FORMER_CUSTOMERS
    assert '<span class="stat-value">6</span>' in html  # erasures recorded
    for record in erased:
        assert record.request_reference in html
    assert "back in the database" not in html.replace("Erased people back in the database", "")


def test_customer_service_finds_an_email_the_mail_server_refused(client):
    """Faults 3: the demo's outbox has one failed email for customer service to look at."""
    from recommerce.demo.mail import UNDELIVERED_TO
    from recommerce.platform.models import OutboundEmail

    (failed,) = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    assert failed.to == UNDELIVERED_TO and failed.created_at < timezone.now()
    client.force_login(User.objects.get(email="support@recommerce.test"))
    html = client.get("/staff/outbox/").content.decode()
    assert "c•••@example.net" in html and "mailbox full" in html
    assert UNDELIVERED_TO not in html


def test_the_anti_fraud_desk_has_an_order_to_review(client):
    """The demo shows every role's journey: an order held by the risk check, hidden from its
    seller, waits for the anti-fraud desk with the day it lapses."""
    from recommerce.demo.orders import HELD_SHOPPER
    from recommerce.demo.people import DEMO_SELLER_NAME
    from recommerce.orders.models import Order

    (held,) = Order.objects.filter(buyer__email=HELD_SHOPPER[1])
    assert held.status == Order.Status.HELD and held.seller.name != DEMO_SELLER_NAME
    assert (timezone.localdate() - timezone.localdate(held.paid_at)).days == 1
    assert held.buyer.date_joined < held.paid_at

    client.force_login(User.objects.get(email="fraud@recommerce.test"))
    listed = client.get("/staff/orders/held/").content.decode()
    page = client.get(f"/staff/orders/held/{held.number}/").content.decode()

    assert held.number in listed
    assert "address on the sandbox review list" in page and "Decide by" in page
