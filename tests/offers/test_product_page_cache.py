"""A repeat view of a product page reads nothing from the database, and is never stale."""

from __future__ import annotations

import pytest

from recommerce.offers.services import offer_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_repeat_visit_reads_only_the_variant_and_an_offer_change_shows_at_once(
    client, django_assert_num_queries
):
    variant = f.variant(f.device_model("iPhone 13"))
    offer = f.offer(variant, grade="good", price_minor=45_900)
    url = variant.get_absolute_url()
    assert "€459.00" in client.get(url).content.decode()

    with django_assert_num_queries(0):  # the variant, its offers and the catalog: all cached
        again = client.get(url)
    assert "€459.00" in again.content.decode()

    offer_update(offer=offer, price_minor=43_900)
    page = client.get(url).content.decode()
    assert "€439.00" in page and "€459.00" not in page


def test_each_grade_choice_has_its_own_cached_page(client):
    variant = f.variant(f.device_model("iPhone 13"))
    f.offer(variant, grade="good", price_minor=45_900)
    f.offer(variant, grade="fair", price_minor=39_900)
    url = variant.get_absolute_url()
    good = client.get(url, {"grade": "good"}).content.decode()
    fair = client.get(url, {"grade": "fair"}).content.decode()
    junk = client.get(url, {"grade": "<script>"}).content.decode()
    best = 'data-testid="best-price">'
    assert good.split(best)[1].startswith("€459.00")
    assert fair.split(best)[1].startswith("€399.00")
    assert "&lt;script&gt;" not in junk and "<script>" not in junk.split("</head>")[1]
