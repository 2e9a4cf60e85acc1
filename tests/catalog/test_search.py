"""Search relevance, typo tolerance, facets, sorting and pagination on the database in use."""

from __future__ import annotations

import pytest

from recommerce.catalog.search import (
    SearchQuery,
    SearchQueryError,
    search,
    search_query_from_params,
)
from recommerce.catalog.services import search_terms_rebuild
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """Three phones, a laptop and a tablet, each with offers, and the vocabulary built."""
    sellers = [f.seller("Alpha"), f.seller("Beta")]
    ip13 = f.device_model("iPhone 13", release_year=2021)
    ip13_128 = f.variant(ip13, storage_gb=128, colour="Blue")
    ip13_256 = f.variant(ip13, storage_gb=256, colour="Midnight")
    ip13pro = f.variant(f.device_model("iPhone 13 Pro", release_year=2021), storage_gb=128)
    ip12 = f.variant(f.device_model("iPhone 12", release_year=2020), storage_gb=64)
    galaxy = f.variant(
        f.device_model("Galaxy S21", brand_name="Samsung", release_year=2021), storage_gb=128
    )
    mac = f.variant(
        f.device_model("MacBook Air M1", category_name="Laptops", release_year=2020),
        storage_gb=256,
        colour="Silver",
    )
    ipad = f.variant(
        f.device_model("iPad Air", category_name="Tablets", release_year=2022), storage_gb=64
    )
    f.offer(ip13_128, seller_=sellers[0], grade="excellent", price_minor=45_000)
    f.offer(ip13_128, seller_=sellers[1], grade="good", price_minor=41_000)
    f.offer(ip13_256, seller_=sellers[0], grade="fair", price_minor=39_000)
    f.offer(ip13pro, seller_=sellers[0], grade="premium", price_minor=69_900)
    f.offer(ip12, seller_=sellers[1], grade="good", price_minor=29_900)
    f.offer(galaxy, seller_=sellers[1], grade="excellent", price_minor=31_000)
    f.offer(mac, seller_=sellers[0], grade="excellent", price_minor=64_900)
    f.offer(ipad, seller_=sellers[0], grade="good", price_minor=19_900, stock=0)
    search_terms_rebuild()
    return {
        "ip13_128": ip13_128, "ip13_256": ip13_256, "ip13pro": ip13pro, "ip12": ip12,
        "galaxy": galaxy, "mac": mac, "ipad": ipad,
    }  # fmt: skip


def ids(result):
    return [item.variant_id for item in result.items]


def test_exact_query_ranks_the_shortest_match_first(shop):
    result = search(SearchQuery(q="iphone 13"))
    assert set(ids(result)) == {shop["ip13_128"].pk, shop["ip13_256"].pk, shop["ip13pro"].pk}
    assert shop["ip13pro"].pk == ids(result)[-1]
    assert result.corrected_query == ""


@pytest.mark.parametrize("typed", ["iphne 13", "iphoen 13", "IPHONE 13", "Iphone  13 "])
def test_typos_and_case_still_find_iphone_13(shop, typed):
    result = search(SearchQuery(q=typed))
    assert set(ids(result)) == {shop["ip13_128"].pk, shop["ip13_256"].pk, shop["ip13pro"].pk}
    if " ".join(typed.lower().split()) != "iphone 13":
        assert result.corrected_query == "iphone 13"


def test_prefix_of_a_word_matches(shop):
    assert set(ids(search(SearchQuery(q="galax")))) == {shop["galaxy"].pk}


def test_category_synonym_matches(shop):
    assert set(ids(search(SearchQuery(q="notebook")))) == {shop["mac"].pk}


def test_unknown_word_finds_nothing(shop):
    result = search(SearchQuery(q="zzqx"))
    assert result.total == 0
    assert ids(result) == []


def test_listing_without_stock_is_not_shown(shop):
    assert shop["ipad"].pk not in ids(search(SearchQuery(per_page=100)))


def test_facet_counts_ignore_their_own_filter(shop):
    result = search(SearchQuery(q="iphone", brands=("apple",), grades=("good",)))
    assert set(ids(result)) == {shop["ip13_128"].pk, shop["ip12"].pk}
    grade_counts = {v.value: v.count for v in result.facets["grade"]}
    # Grade counts are computed without the grade filter: all four iPhone listings.
    assert grade_counts == {"premium": 1, "excellent": 1, "good": 2, "fair": 1}
    selected = [v.value for v in result.facets["grade"] if v.selected]
    assert selected == ["good"]
    storage_counts = {v.value: v.count for v in result.facets["storage"]}
    assert storage_counts == {"64": 1, "128": 1}


def test_category_filter_and_brand_facet(shop):
    result = search(SearchQuery(category="smartphones"))
    assert set(ids(result)) == {
        shop["ip13_128"].pk, shop["ip13_256"].pk, shop["ip13pro"].pk, shop["ip12"].pk,
        shop["galaxy"].pk,
    }  # fmt: skip
    brands = {v.value: v.count for v in result.facets["brand"]}
    assert brands == {"apple": 4, "samsung": 1}
    categories = {v.value: v.count for v in result.facets["category"]}
    assert categories == {"smartphones": 5, "laptops": 1}


def test_price_range_applies_to_the_selected_grade(shop):
    result = search(SearchQuery(grades=("good",), price_min=30_000, price_max=45_000))
    assert ids(result) == [shop["ip13_128"].pk]


def test_sort_by_price(shop):
    ascending = ids(search(SearchQuery(sort="price_asc", per_page=100)))
    descending = ids(search(SearchQuery(sort="price_desc", per_page=100)))
    assert ascending[0] == shop["ip12"].pk
    assert descending[0] == shop["ip13pro"].pk
    assert ascending == list(reversed(descending))


def test_pagination(shop):
    first = search(SearchQuery(sort="price_asc", per_page=2, page=1))
    second = search(SearchQuery(sort="price_asc", per_page=2, page=2))
    assert first.total == 6
    assert first.pages == 3
    assert not set(ids(first)) & set(ids(second))
    assert len(ids(second)) == 2


def test_price_buckets(shop):
    result = search(SearchQuery())
    buckets = {v.value: v.count for v in result.facets["price"]}
    assert buckets == {"20000-40000": 3, "40000-70000": 3}


def test_unknown_brand_or_category_is_a_query_error(shop):
    with pytest.raises(SearchQueryError) as error:
        search(SearchQuery(brands=("nokla",)))
    assert error.value.field == "brand"
    with pytest.raises(SearchQueryError):
        search(SearchQuery(category="spaceships"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": ["0"]}, "page"),
        ({"page": ["abc"]}, "page"),
        ({"grade": ["mint"]}, "grade"),
        ({"price_min": ["-3"]}, "price_min"),
        ({"price_min": ["1.234"]}, "price_min"),
        ({"price_min": ["300"], "price_max": ["100"]}, "price_max"),
        ({"sort": ["cheapest"]}, "sort"),
        ({"storage": ["lots"]}, "storage"),
        ({"q": ["x" * 201]}, "q"),
    ],
)
def test_bad_parameters_are_rejected_with_the_field_named(params, field):
    with pytest.raises(SearchQueryError) as error:
        search_query_from_params(params)
    assert error.value.field == field
    assert error.value.message


def test_parameters_are_parsed():
    query = search_query_from_params(
        {"q": [" iphone "], "grade": ["good,excellent"], "price_max": ["199.99"], "page": ["2"]}
    )
    assert query.q == "iphone"
    assert query.grades == ("excellent", "good")
    assert query.price_max == 19_999
    assert query.page == 2


def test_facet_cache_is_invalidated_by_a_new_offer(shop):
    before = search(SearchQuery(q="galaxy")).total
    other = f.variant(f.device_model("Galaxy S22", brand_name="Samsung"), storage_gb=256)
    f.offer(other, grade="good", price_minor=35_000)
    search_terms_rebuild()
    assert search(SearchQuery(q="galaxy")).total == before + 1


def test_a_variant_is_pictured_in_its_own_colour():
    from recommerce.catalog.models import Listing, ProductImage
    from recommerce.catalog.selectors import variant_images
    from recommerce.catalog.services import listings_rebuild

    model = f.device_model("Pixel 8", brand_name="Google", release_year=2023)
    grey = ProductImage.objects.create(
        device_model=model, image="g.svg", alt="grey", colour="Obsidian"
    )
    neutral = ProductImage.objects.create(device_model=model, image="n.svg", alt="box", position=1)
    blue = ProductImage.objects.create(device_model=model, image="b.svg", alt="blue", colour="Bay")
    bay = f.variant(model, colour="Bay")
    mint = f.variant(model, colour="Mint")
    listings_rebuild()
    assert variant_images(variant=bay) == [blue, neutral, grey]
    assert variant_images(variant=mint) == [neutral, grey, blue]
    assert Listing.objects.get(variant=bay).image == "b.svg"
    assert Listing.objects.get(variant=mint).image == "n.svg"


@pytest.mark.parametrize(
    ("slug", "variant_id"), [("apple-iphone-13", 1), ("slug-999999999", 7), ("x", 999999999)]
)
def test_product_url_matches_reverse(slug, variant_id):
    from django.urls import reverse

    from recommerce.catalog.models import product_url

    expected = reverse("offers:product", kwargs={"slug": slug, "variant_id": variant_id})
    assert product_url(slug, variant_id) == expected
