"""Offer rules enforced by the services, and the market summary they keep on listings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommerce.catalog.models import Listing
from recommerce.offers.models import Offer
from recommerce.offers.selectors import product_offers_by_grade
from recommerce.offers.services import offer_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_listing_carries_each_grades_best_price():
    variant = f.variant()
    strong = f.seller("Strong", rating_count=500, rating_sum=2_450, orders_shipped=3_000)
    weak = f.seller("Weak", rating_count=40, rating_sum=100, orders_shipped=100, orders_late=40)
    f.offer(variant, seller_=strong, grade="good", price_minor=30_500)
    f.offer(variant, seller_=weak, grade="good", price_minor=30_000)
    f.offer(variant, seller_=weak, grade="fair", price_minor=26_000)
    listing = Listing.objects.get(variant=variant)
    # The strong seller's offer wins "good" despite costing 5 EUR more.
    assert listing.price_good == 30_500
    assert listing.price_fair == 26_000
    assert listing.price_premium is None
    assert listing.price_from == 26_000
    assert listing.offer_count == 3


def test_selling_out_removes_the_grade_from_the_listing():
    variant = f.variant()
    only = f.offer(variant, grade="premium", price_minor=70_000, stock=1)
    offer_update(offer=only, stock=0)
    listing = Listing.objects.get(variant=variant)
    assert listing.price_premium is None
    assert listing.price_from is None
    assert listing.offer_count == 0
    assert product_offers_by_grade(variant=variant) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("warranty_months", 6), ("battery_health_min_pct", 79), ("battery_health_min_pct", 101)],
)
def test_offer_below_the_minimums_is_refused(field, value):
    variant = f.variant()
    with pytest.raises(ValidationError) as error:
        f.offer(variant, **{field: value})
    assert field in error.value.message_dict
    assert not Offer.objects.filter(variant=variant).exists()
    assert Listing.objects.get(variant=variant).offer_count == 0


def test_an_offer_in_another_currency_is_refused():
    """Hardening 3.3: carts, checkout and payouts run in one currency; "XYZ" was stored."""
    variant = f.variant()
    with pytest.raises(ValidationError) as error:
        f.offer(variant, currency="XYZ")
    assert error.value.message_dict == {"currency": ["Offers are priced in EUR."]}
    assert not Offer.objects.filter(variant=variant).exists()


def test_database_refuses_a_short_warranty_even_past_the_service():
    offer = f.offer()
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(warranty_months=3)
    offer.refresh_from_db()
    assert offer.warranty_months == 12


def test_product_offers_are_grouped_and_ranked():
    variant = f.variant()
    a = f.offer(variant, grade="excellent", price_minor=40_000)
    b = f.offer(variant, grade="excellent", price_minor=38_000)
    c = f.offer(variant, grade="fair", price_minor=30_000)
    grades = product_offers_by_grade(variant=variant)
    assert [g.grade for g in grades] == ["excellent", "fair"]
    assert grades[0].offers == [b, a]
    assert grades[0].other_count == 1
    assert grades[1].best == c
