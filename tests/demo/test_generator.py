"""The generator's pure parts: sizes, prices, sellers and pictures, without a database."""

from __future__ import annotations

import itertools
import random

from hypothesis import given
from hypothesis import strategies as st

from recommerce.catalog.models import GRADES
from recommerce.demo import images, pricing
from recommerce.demo.catalog import variant_count
from recommerce.demo.data import BRANDS, CATEGORY_BY_SLUG, reference_models
from recommerce.demo.seed import SIZES, plan_models
from recommerce.demo.sellers import seller_profiles


def test_sizes_reach_their_targets():
    totals = {
        name: (
            len(models := plan_models(plan)),
            sum(variant_count(m, plan.options) for m in models),
        )
        for name, plan in SIZES.items()
    }
    assert totals == {
        "demo": (451, 2231), "s": (451, 1908), "m": (1418, 20002), "l": (2521, 100052),
    }  # fmt: skip
    assert {name: plan.sellers for name, plan in SIZES.items()} == {
        "demo": 30, "s": 60, "m": 200, "l": 500,
    }  # fmt: skip


def test_reference_catalog_is_consistent():
    models = reference_models()
    assert len({(m.brand, m.name) for m in models}) == len(models) == 451
    for model in models:
        assert model.category in CATEGORY_BY_SLUG and model.brand in BRANDS
        assert 2014 <= model.year <= 2025 and model.price > 0 and model.colours
        assert list(model.storages) == sorted(model.storages)
    names = {m.name for m in models if m.brand == "Apple"}
    assert {"iPhone 8", "iPhone 13", "iPhone 16 Pro Max", "AirPods Pro (2nd generation)"} <= names


@given(st.integers(min_value=39, max_value=8000))
def test_grade_bands_never_overlap(reference):
    bands = pricing.grade_bands(reference)
    assert list(bands) == list(GRADES)
    for (better_low, _), (_, worse_high) in itertools.pairwise(bands.values()):
        assert worse_high < better_low
    for low, high in bands.values():
        assert 1 <= low <= high


@given(st.integers(1, 5000), st.integers(0, 300), st.floats(0, 1), st.booleans())
def test_prices_end_in_99_or_00_inside_the_band(low, width, position, ends_in_99):
    price = pricing.price_minor((low, low + width), position, ends_in_99=ends_in_99)
    assert price % 100 in {0, 99}
    assert (low - 1) * 100 < price <= (low + width) * 100


def test_reference_price_depreciates_with_age():
    prices = [
        pricing.reference_price(launch_eur=909, age_years=age, retention_pct=80, brand_bp=10800)
        for age in range(8)
    ]
    assert prices == sorted(prices, reverse=True)
    assert prices[0] == 785  # 909 x 80 % x 1.08
    assert prices[-1] == 165  # 785 x 0.8^7
    # Never below 10 % of the launch price, nor below the minimum.
    assert (
        pricing.reference_price(launch_eur=909, age_years=20, retention_pct=80, brand_bp=10800)
        == 91
    )
    assert (
        pricing.reference_price(launch_eur=99, age_years=9, retention_pct=80, brand_bp=9000) == 39
    )


def test_sellers_are_deterministic_and_distinct():
    first = seller_profiles(500, random.Random(7))
    assert first == seller_profiles(500, random.Random(7))
    assert len({p.name for p in first}) == 500
    assert first[0].name == "Revivo Tech"
    assert all(p.warranty_months in (12, 18, 24) and 1 <= p.dispatch_days <= 4 for p in first)


def test_colour_names_map_to_plausible_colours():
    assert images.colour_hex("Sierra Blue") == images.COLOUR_WORDS["blue"]
    assert images.colour_hex("(PRODUCT)RED") == images.COLOUR_WORDS["(product)red"]
    assert images.colour_hex("Midnight Green") == images.COLOUR_WORDS["midnight green"]
    assert images.colour_hex("Bora Purple") == images.COLOUR_WORDS["purple"]
    assert images.colour_hex("Zzz") in images.PALETTE


def test_drawing_escapes_the_model_name():
    svg = images.device_svg(
        category="audio", title='Lenz & "Linse" <1>', caption="Black", body="#222222",
        accent="#111111",
    )  # fmt: skip
    assert 'Lenz &amp; "Linse" &lt;1&gt;' in svg
    assert "<1>" not in svg
