"""Storefront pages through the Django test client: status, content, errors, htmx fragments."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from recommerce.catalog.services import search_terms_rebuild
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """Two phones and a laptop; the iPhone's best Good offer is not its cheapest."""
    f.category("Smartphones", position=1)
    f.category("Laptops", position=2)
    f.category("Tablets", position=3)
    strong = f.seller(
        "Strong Refurb",
        rating_count=420,
        rating_sum=1974,
        orders_shipped=900,
        orders_late=18,
        orders_defective=9,
    )  # quality 9585 bp
    weak = f.seller(
        "Weak Outlet",
        rating_count=60,
        rating_sum=192,
        orders_shipped=150,
        orders_late=45,
        orders_defective=15,
        country="DE",
    )  # quality 7201 bp
    ip13 = f.device_model("iPhone 13", specs={"Chip": "A15 Bionic"})
    blue = f.variant(ip13, storage_gb=128, colour="Blue")
    big = f.variant(ip13, storage_gb=256, colour="Blue")
    galaxy = f.variant(f.device_model("Galaxy S22", brand_name="Samsung"), storage_gb=128)
    mac = f.variant(f.device_model("MacBook Air", category_name="Laptops"), storage_gb=256)
    # Good: 459.00 from the strong seller beats 449.00 from the weak, slower one.
    f.offer(blue, seller_=strong, grade="good", price_minor=45_900, warranty_months=24)
    f.offer(blue, seller_=weak, grade="good", price_minor=44_900, dispatch_days=3)
    f.offer(blue, seller_=weak, grade="fair", price_minor=39_900, battery_health_min_pct=85)
    f.offer(big, seller_=strong, grade="excellent", price_minor=59_900)
    f.offer(galaxy, seller_=weak, grade="excellent", price_minor=36_900)
    f.offer(mac, seller_=strong, grade="excellent", price_minor=64_900)
    search_terms_rebuild()
    return {"blue": blue, "big": big, "galaxy": galaxy, "mac": mac, "strong": strong,
            "weak": weak}  # fmt: skip


def text(response) -> str:
    """Return the page's visible text with whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_home_lists_categories_with_counts_and_popular_products(client, shop):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Smartphones 3 products" in page
    assert "Laptops 1 product" in page
    assert "Tablets Coming soon" in page
    assert "Apple iPhone 13 128 GB · Blue · Unlocked Good Fair from €399.00" in page
    assert 'href="/c/smartphones/"' in response.content.decode()


def test_every_page_stays_first_party_and_inline_free(client, shop):
    for url in ["/", "/search/?q=iphone", "/c/smartphones/", shop["blue"].get_absolute_url(),
                "/sellers/strong-refurb/", "/search/?grade=mint"]:  # fmt: skip
        response = client.get(url)
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        # The policy allows neither inline scripts nor inline styles.
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.findall(r"\sstyle=", html) == []
        assert "<style" not in html
        assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []


def test_search_corrects_a_typo_and_says_so(client, shop):
    response = client.get("/search/", {"q": "iphne 13"})
    assert response.status_code == 200
    page = text(response)
    assert "Showing results for iphone 13 . You searched for “iphne 13”." in page
    assert "2 results" in page
    assert "Galaxy" not in page.split("2 results")[1]


def test_search_facets_keep_the_other_parameters(client, shop):
    response = client.get("/search/", {"q": "iphone", "sort": "price_asc", "page": "1"})
    html = unescape(response.content.decode())
    # A brand link toggles the brand, keeps the text and sort, and drops the page.
    assert 'name="brand" value="apple"' in html
    assert '<input type="hidden" name="q" value="iphone">' in html
    assert '<input type="hidden" name="sort" value="price_asc">' in html
    assert 'href="?q=iphone&sort=price_asc&price_min=200&price_max=399.99"' in html
    assert 'href="?q=iphone&sort=price_asc&price_min=400&price_max=699.99"' in html


def test_selected_price_bucket_is_marked_and_removable(client, shop):
    response = client.get("/search/", {"price_min": "200", "price_max": "399.99"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert re.search(r'class="facet-link is-selected" href="\?" aria-current="true"', html)
    assert "€200 to €400" in text(response)
    assert "2 results" in text(response)


def test_category_page_lists_only_its_devices(client, shop):
    response = client.get("/c/smartphones/")
    assert response.status_code == 200
    page = text(response)
    assert "Home Smartphones Smartphones Filters" in page
    assert "3 results" in page
    assert "MacBook" not in page.split("3 results")[1]
    html = response.content.decode()
    assert '<a href="/c/smartphones/" aria-current="page">Smartphones</a>' in html


def test_pagination_links_previous_and_next_pages(client, shop):
    response = client.get("/search/", {"per_page": "1", "page": "2", "sort": "price_asc"})
    html = unescape(response.content.decode())
    assert "4 results · page 2 of 4" in text(response)
    assert 'href="?per_page=1&sort=price_asc" rel="prev"' in html
    assert 'href="?per_page=1&page=3&sort=price_asc" rel="next"' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html


def test_empty_result_explains_what_to_do(client, shop):
    response = client.get("/search/", {"q": "walkman"})
    assert response.status_code == 200
    page = text(response)
    assert "No devices match “walkman”" in page
    assert "Browse all devices" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"grade": "mint"}, "Unknown grade 'mint'; choose from premium, excellent, good, fair."),
        ({"page": "two"}, "Page must be a whole number, not 'two'."),
        ({"price_min": "500", "price_max": "100"}, "The maximum price is below the minimum price."),
        ({"sort": "cheapest"}, "Unknown sort 'cheapest'"),
        ({"brand": "nokia"}, "Unknown brand 'nokia'."),
    ],
)
def test_bad_search_parameters_answer_400_with_the_reason(client, shop, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    page = text(response)
    assert "This search could not be run" in page
    assert message in page


def test_bad_parameters_on_a_category_page_answer_400(client, shop):
    response = client.get("/c/smartphones/", {"storage": "big"})
    assert response.status_code == 400
    assert "Storage (GB) must be a whole number, not 'big'." in text(response)


def test_htmx_requests_get_only_the_results_fragment(client, shop):
    response = client.get("/search/", {"q": "iphone"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    restore = client.get(
        "/search/",
        {"q": "iphone"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_unknown_pages_answer_404_with_a_friendly_page(client, shop):
    for url in ["/c/typewriters/", "/p/apple-iphone-13/999999/", "/sellers/nobody/", "/nope/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "This page could not be found" in text(response)


def test_server_error_page_needs_no_context():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "/static/platform/site.css" in html


def test_product_url_with_an_old_slug_redirects_permanently(client, shop):
    variant = shop["blue"]
    response = client.get(f"/p/old-name/{variant.pk}/")
    assert response.status_code == 301
    assert response["Location"] == variant.get_absolute_url()


def test_product_page_shows_each_grade_with_its_best_price(client, shop):
    response = client.get(shop["blue"].get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Home Smartphones Apple iPhone 13 Apple iPhone 13" in page
    assert "Premium Unavailable Excellent Unavailable Good €459.00 Fair €399.00" in page
    # Good is the first grade with offers, so it is shown first.
    assert "Best offer in Good €459.00 Sold by Strong Refurb 4.7 out of 5 (420 ratings)" in page
    assert "24-month warranty" in page
    assert "1 other offer in Good" in page
    assert "All Good offers (2)" in page
    assert re.search(r"Strong Refurb Best offer .*€459\.00 .*Weak Outlet .*€449\.00", page)
    assert "Every grade: Fully functional, tested, battery health at least 80 %" in page
    assert "Chip A15 Bionic" in page
    assert "Storage 128 GB" in page


def test_product_page_switches_grade_from_the_query(client, shop):
    response = client.get(shop["blue"].get_absolute_url(), {"grade": "fair"})
    page = text(response)
    assert "Best offer in Fair €399.00 Sold by Weak Outlet" in page
    assert "Battery health ≥ 85 %" in page
    assert "Dispatched within 1 business day" in page
    assert "The only offer in Fair right now." in page
    html = response.content.decode()
    assert re.search(r'id="grade-tab-fair" class="grade-tab is-selected"[^>]*aria-current', html)


def test_product_page_links_sibling_variants(client, shop):
    response = client.get(shop["blue"].get_absolute_url())
    html = response.content.decode()
    page = text(response)
    assert "Storage 128 GB from €399.00 256 GB from €599.00" in page
    assert f'href="{shop["big"].get_absolute_url()}"' in html


def test_product_without_offers_says_so(client, shop):
    lonely = f.variant(shop["blue"].device_model, storage_gb=512, colour="Pink")
    response = client.get(lonely.get_absolute_url())
    assert response.status_code == 200
    assert "No seller offers this configuration at the moment." in text(response)


def test_seller_page_shows_record_and_products(client, shop):
    response = client.get("/sellers/weak-outlet/")
    assert response.status_code == 200
    page = text(response)
    assert "Weak Outlet" in page
    assert "Germany" in page
    assert "Customer rating 3.2 / 5 60 ratings" in page
    assert "Quality score 72%" in page
    assert "Offers 3 9 units in stock" in page
    assert "Apple iPhone 13" in page
    assert "Samsung Galaxy S22" in page
    assert "MacBook" not in page


def test_tags_convert_price_buckets_and_toggle_values():
    request = RequestFactory().get(
        "/search/", {"q": "phone", "brand": "apple,samsung", "page": "3"}
    )
    template = Template(
        "{% load storefront %}"
        "{% toggle_url 'brand' 'apple' %}|{% toggle_url 'brand' 'sony' %}|"
        "{% price_bucket_url '10000-20000' %}|{% price_bucket_url '70000-' %}|"
        "{% price_bucket_url '10000-20000' True %}|{% page_window 7 20 as w %}{{ w }}|"
        "{{ 12999|money }}|{{ 8734|basis_points_percent }}|{{ 'FR'|country_name }}"
    )
    rendered = template.render(Context({"request": request}))
    assert rendered.split("|") == [
        "?q=phone&amp;brand=samsung",
        "?q=phone&amp;brand=apple&amp;brand=samsung&amp;brand=sony",
        "?q=phone&amp;brand=apple%2Csamsung&amp;price_min=100&amp;price_max=199.99",
        "?q=phone&amp;brand=apple%2Csamsung&amp;price_min=700",
        "?q=phone&amp;brand=apple%2Csamsung",
        "[1, None, 5, 6, 7, 8, 9, None, 20]",
        "€129.99",
        "87%",
        "France",
    ]
