"""A seller's public page: its own offers at its own prices, a page at a time (Hardening 5.9)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def _prices(html: str) -> list[str]:
    return re.findall(r'<span class="price">([^<]+)</span>', html)


def test_the_page_shows_this_seller_s_price_not_the_best_of_all_sellers():
    """Hardening 5.9: a cheaper offer of another seller does not show on this seller's page."""
    mine = f.seller("Green Cell")
    mine.description = "Certified refurbisher since 2014."
    mine.save()
    phone = f.variant(f.device_model("iPhone 13"))
    f.offer(phone, seller_=mine, grade="excellent", price_minor=52_900)
    f.offer(phone, seller_=mine, grade="good", price_minor=47_900, stock=0)  # sold out
    f.offer(phone, seller_=f.seller("Cheaper"), grade="excellent", price_minor=40_000)
    html = Client().get(mine.get_absolute_url()).content.decode()
    assert _prices(html) == ["€529.00"]
    assert "€400.00" not in html and "€479.00" not in html
    assert "across all sellers" not in html
    assert html.count("Certified refurbisher since 2014.") == 1


def test_many_offers_are_split_into_pages():
    """Hardening 5.9: 30 offers show as 24 and 6, with a pagination."""
    seller = f.seller("Big Outlet")
    for number in range(30):
        f.offer(
            f.variant(f.device_model(f"Phone {number}")),
            seller_=seller,
            price_minor=10_000 + number,
        )
    client = Client()
    first = client.get(seller.get_absolute_url()).content.decode()
    second = client.get(seller.get_absolute_url(), {"page": 2}).content.decode()
    assert len(_prices(first)) == 24 and len(_prices(second)) == 6
    assert 'aria-label="Pagination"' in first and 'rel="next"' in first
    assert set(_prices(first)).isdisjoint(_prices(second))
    assert "30 offers at Big Outlet" in first
