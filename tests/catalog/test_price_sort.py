"""Sorting by price under a grade filter follows the price each card shows (Hardening 5.3).

Run on the database in use: SQLite FTS5 by default, PostgreSQL full text when
``DATABASE_URL`` points at one; both backends build the same price expression.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection

from recommerce.catalog.search import SearchQuery, search
from recommerce.catalog.services import search_terms_rebuild
from tests import factories as f

pytestmark = pytest.mark.django_db

PRICE = re.compile(r'<p class="card-price">.*?<span class="price">€([\d,]+\.\d\d)</span>', re.S)


@pytest.fixture
def samsungs():
    """Four Samsung phones whose cheapest grade is not the Excellent one, as in the report."""
    seller = f.seller("Alpha")
    other = f.seller("Beta")
    phones = {}
    for name, excellent, good in (
        ("Galaxy S20", 63_00, None),
        ("Galaxy S21", 70_00, 53_00),
        ("Galaxy A52", 58_99, None),
        ("Galaxy A53", 61_50, 50_99),
    ):
        variant = f.variant(f.device_model(name, brand_name="Samsung"), storage_gb=128)
        f.offer(variant, seller_=seller, grade="excellent", price_minor=excellent)
        if good is not None:
            f.offer(variant, seller_=other, grade="good", price_minor=good)
        phones[name] = variant
    f.offer(f.variant(f.device_model("iPhone 12")), seller_=seller, price_minor=40_00)
    search_terms_rebuild()
    return phones


def _card_prices(html: str) -> list[str]:
    return PRICE.findall(html)


def test_engine_returns_the_filtered_grade_price_it_sorts_by(samsungs):
    """Hardening 5.3: each result's shown price is the Excellent price, in ascending order."""
    result = search(
        SearchQuery(brands=("samsung",), grades=("excellent",), sort="price_asc", per_page=10)
    )
    assert [item.shown_price for item in result.items] == [58_99, 61_50, 63_00, 70_00]
    descending = search(
        SearchQuery(brands=("samsung",), grades=("excellent",), sort="price_desc", per_page=10)
    )
    assert [item.shown_price for item in descending.items] == [70_00, 63_00, 61_50, 58_99]
    assert result.backend == (
        "postgresql-fts" if connection.vendor == "postgresql" else "sqlite-fts5"
    )


def test_engine_with_text_and_two_grades_shows_the_lowest_of_them(samsungs):
    """Hardening 5.3: with two grades asked, the card price is the lower of the two."""
    result = search(
        SearchQuery(q="galaxy", grades=("excellent", "good"), sort="price_asc", per_page=10)
    )
    assert [item.shown_price for item in result.items] == [50_99, 53_00, 58_99, 63_00]
    assert [item.shown_grades_label for item in result.items] == ["Excellent or Good"] * 4


def test_without_a_grade_the_card_shows_price_from(samsungs):
    """Hardening 5.3: with no grade filter, sort and cards use the lowest price of any grade."""
    result = search(SearchQuery(brands=("samsung",), sort="price_asc", per_page=10))
    assert [item.shown_price for item in result.items] == [50_99, 53_00, 58_99, 63_00]
    assert [item.price_from for item in result.items] == [50_99, 53_00, 58_99, 63_00]


def test_category_page_cards_are_in_the_order_of_their_prices(client, samsungs):
    """Hardening 5.3: the page of the report lists €58.99, €61.50, €63.00, €70.00."""
    url = "/c/smartphones/?brand=samsung&grade=excellent&sort=price_asc"
    html = client.get(url).content.decode()
    assert _card_prices(html) == ["58.99", "61.50", "63.00", "70.00"]
    assert "Excellent from" in html
    descending = client.get(url.replace("price_asc", "price_desc")).content.decode()
    assert _card_prices(descending) == ["70.00", "63.00", "61.50", "58.99"]
    # The same cards without the filter show the lowest price of any grade: a cached card
    # of the filtered page must not leak into this one.
    plain = client.get("/c/smartphones/?brand=samsung&sort=price_asc").content.decode()
    assert _card_prices(plain) == ["50.99", "53.00", "58.99", "63.00"]


def test_search_page_htmx_fragment_sorts_by_the_shown_price(client, samsungs):
    """Hardening 5.3: the fragment htmx swaps in is sorted like the full page."""
    html = client.get(
        "/search/",
        {"q": "galaxy", "grade": "excellent", "sort": "price_asc"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert _card_prices(html) == ["58.99", "61.50", "63.00", "70.00"]


def test_api_price_is_the_sorted_price(client, samsungs):
    """Hardening 5.3: the API's ``price`` is the filtered grade's price, in sort order."""
    body = client.get(
        "/api/v1/products",
        {"brand": "samsung", "grade": "excellent", "sort": "price_asc"},
    ).json()
    assert [item["price"] for item in body["items"]] == [58_99, 61_50, 63_00, 70_00]
    assert [item["price_from"] for item in body["items"]] == [58_99, 50_99, 63_00, 53_00]
    plain = client.get("/api/v1/products", {"brand": "samsung", "sort": "price_desc"}).json()
    assert [item["price"] for item in plain["items"]] == [63_00, 58_99, 53_00, 50_99]
