"""An offer without stock is never shown as a best offer, in any process (Hardening 7.1).

The report: a product page kept showing a sold-out offer as "Best offer in Premium" while
another seller had six at a lower price, until its cache expired. With the default cache
(local memory, one per process), the process that sold the last unit moved its own
listings version on, and the other web processes and the task worker kept serving their
pages. Each test below primes the caches of a second process (a second local-memory
cache), takes the stock to zero in this one by one path, and reads the second again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from html import unescape
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections, transaction
from django.test import Client, override_settings

from recommerce.accounts.models import SellerMembership
from recommerce.catalog.models import Listing
from recommerce.catalog.services import search_terms_rebuild
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_start
from recommerce.checkout.services.reservations import reservation_release
from recommerce.offers import services as offer_services
from recommerce.offers.best import Candidate
from recommerce.offers.models import Offer
from tests import factories as f
from tests.api.test_accounts_api import PASSWORD, app_token
from tests.checkout.conftest import make_buyer

pytestmark = pytest.mark.django_db

OTHER_PROCESS = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "another-web-process",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}


@contextmanager
def other_process() -> Iterator[None]:
    """Run the block against another process's cache: its own local memory.

    With a shared cache (Redis, as in CI on PostgreSQL) every process reads the same one,
    so the block runs against it unchanged.
    """
    if not isinstance(caches["default"], LocMemCache):
        yield
        return
    with override_settings(CACHES=OTHER_PROCESS):
        yield


@pytest.fixture
def market():
    """An iPhone whose Premium best offer is Green's last unit; Blue has six for less."""
    green = f.seller("Green Cell", rating_count=400, rating_sum=1_960, orders_shipped=900)
    blue = f.seller("Blue Refurb", rating_count=10, rating_sum=30, orders_shipped=40)
    variant = f.variant(f.device_model("iPhone 14"), storage_gb=128)
    last = f.offer(variant, seller_=green, grade="premium", price_minor=61_000, stock=1)
    six = f.offer(variant, seller_=blue, grade="premium", price_minor=60_000, stock=6)
    search_terms_rebuild()
    assert Listing.objects.get(pk=variant.pk).price_premium == 61_000  # Green wins on quality
    return {"variant": variant, "last": last, "six": six, "green": green}


def _seen(variant) -> dict[str, object]:
    """Return what a shopper sees of the Premium grade on every page that shows it."""
    client = Client()
    page = unescape(client.get(variant.get_absolute_url(), {"grade": "premium"}).content.decode())
    best = re.search(
        r'data-testid="best-price">([^<]+)<.*?Sold by <a [^>]+>([^<]+)</a>', page, re.S
    )
    assert best is not None
    cards = client.get("/search/", {"q": "iphone", "grade": "premium"}).content.decode()
    card = re.search(r'<span class="price">([^<]+)</span>', cards)
    assert card is not None
    api = client.get(f"/api/v1/products/{variant.pk}").json()
    premium = next(g for g in api["grades"] if g["grade"] == "premium")
    return {
        "page": (best.group(1), best.group(2)),
        "card": card.group(1),
        "api": (premium["best_offer"]["price"], premium["best_offer"]["seller"]["name"]),
    }


BEFORE = {"page": ("€610.00", "Green Cell"), "card": "€610.00", "api": (61_000, "Green Cell")}
AFTER = {"page": ("€600.00", "Blue Refurb"), "card": "€600.00", "api": (60_000, "Blue Refurb")}


def _prime_other_process(variant) -> None:
    with other_process():
        assert _seen(variant) == BEFORE


def _assert_other_process_moved_on(variant) -> None:
    with other_process():
        assert _seen(variant) == AFTER
    assert _seen(variant) == AFTER
    assert Listing.objects.get(pk=variant.pk).price_premium == 60_000


def _checkout_of(offer: Offer):
    buyer = make_buyer()
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=offer.pk, quantity=1)
    return checkout_start(user=buyer, cart=cart)


def test_a_checkout_reserving_the_last_unit(market):
    """Hardening 7.1: a reservation that takes the last unit moves every process's pages."""
    _prime_other_process(market["variant"])
    _checkout_of(market["last"])
    _assert_other_process_moved_on(market["variant"])


def test_a_sale_after_the_reservation_lapsed_and_the_unit_came_back(market):
    """Hardening 7.1: stock returned, then taken again by a sale: both changes show."""
    checkout = _checkout_of(market["last"])
    reservation_release(checkout)
    assert Offer.objects.get(pk=market["last"].pk).stock == 1
    _prime_other_process(market["variant"])
    assert offer_services.offer_stock_take(offer_id=market["last"].pk, quantity=1)
    _assert_other_process_moved_on(market["variant"])


def test_a_seller_setting_the_stock_to_zero_on_my_offers(market):
    """Hardening 7.1: the seller's own edit page, stock 0."""
    owner = make_buyer("owner@green.example")
    SellerMembership.objects.create(
        seller=market["green"], user=owner, role=SellerMembership.Role.OWNER
    )
    _prime_other_process(market["variant"])
    seller_client = Client()
    seller_client.force_login(owner)
    response = seller_client.post(
        f"/account/seller/offers/{market['last'].pk}/",
        {"price": "610.00", "stock": "0", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Offer.objects.get(pk=market["last"].pk).stock == 0
    _assert_other_process_moved_on(market["variant"])


def test_an_import_that_zeroes_the_stock_then_refreshes_all_markets(market):
    """Hardening 7.1: a bulk load writes offers directly, then refreshes every market."""
    _prime_other_process(market["variant"])
    Offer.objects.filter(pk=market["last"].pk).update(stock=0)
    offer_services.markets_refresh_all()
    _assert_other_process_moved_on(market["variant"])


def test_a_checkout_through_the_api(client, market):
    """Hardening 7.1: the app's checkout (POST /api/v1/checkouts) takes the last unit."""
    buyer = make_buyer()
    buyer.set_password(PASSWORD)
    buyer.save()
    token = app_token(client, buyer.email)
    headers = {"X-Session-Token": token}
    _prime_other_process(market["variant"])
    added = client.post(
        "/api/v1/cart/lines",
        {"offer_id": market["last"].pk},
        content_type="application/json",
        headers=headers,
    )
    assert added.status_code == 201
    started = client.post(
        "/api/v1/checkouts",
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "sold-out-1"},
    )
    assert started.status_code == 201, started.content
    _assert_other_process_moved_on(market["variant"])


def test_the_sold_out_offer_cannot_be_added_and_the_other_can(client, market):
    """Hardening 7.1: what the page offers as best can be bought."""
    _checkout_of(market["last"])
    with other_process():
        page = client.get(market["variant"].get_absolute_url(), {"grade": "premium"})
    html = page.content.decode()
    assert f'name="offer" value="{market["six"].pk}"' in html
    assert f'name="offer" value="{market["last"].pk}"' not in html


# --- Concurrent writers and readers (PostgreSQL) -----------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions on their own connections need PostgreSQL (CI runs it)",
)


def _in_thread(target: Callable[[], object]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_page_read_between_the_change_and_its_commit_is_not_kept(market):
    """Hardening 7.1: a reader that caches the page just before the seller's edit commits.

    It sees the old stock and the already moved version; the version moves again at
    commit, so the page it cached is never served after the change.
    """
    variant = market["variant"]
    with transaction.atomic():
        offer_services.offer_update(offer=market["last"], stock=0)
        reader = _in_thread(lambda: _seen(variant))
        reader.join(timeout=30)
    assert _seen(variant) == AFTER


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_read_the_offers_before_a_sell_out_does_not_write_them_back(market):
    """Hardening 7.1: two refreshes of one variant at once; the later commit is right.

    A seller changes Blue's price while Green's last unit sells. The price change read the
    offers while Green still had its unit; without the listing's lock it would write Green
    back as the best Premium offer after the sale committed.
    """
    variant, six = market["variant"], market["six"]
    read, go_on = threading.Event(), threading.Event()
    writer = threading.get_ident
    summary = offer_services.market_summary
    editor: list[int] = []

    def slow_summary(candidates: Iterable[Candidate]) -> tuple[dict[str, int | None], int]:
        found = summary(list(candidates))
        if editor and writer() == editor[0]:
            read.set()
            go_on.wait(timeout=3)  # the sale below waits on the lock, so this only times out
        return found

    def edit() -> None:
        editor.append(writer())
        offer_services.offer_update(offer=Offer.objects.get(pk=six.pk), price_minor=59_000)

    with mock.patch.object(offer_services, "market_summary", slow_summary):
        thread = _in_thread(edit)
        assert read.wait(timeout=30)
        assert offer_services.offer_stock_take(offer_id=market["last"].pk, quantity=1)
        go_on.set()
        thread.join(timeout=30)
    listing = Listing.objects.get(pk=variant.pk)
    assert (listing.price_premium, listing.offer_count) == (59_000, 1)
