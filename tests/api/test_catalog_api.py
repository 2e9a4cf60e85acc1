"""The JSON API: categories, products with facets, product detail, offers, bad input."""

from __future__ import annotations

import pytest

from recommerce.catalog.services import search_terms_rebuild
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone():
    variant = f.variant(f.device_model("iPhone 13"), storage_gb=128)
    strong = f.seller("Strong", rating_count=900, rating_sum=4_400, orders_shipped=5_000)
    weak = f.seller("Weak", rating_count=10, rating_sum=25, orders_shipped=50, orders_late=20)
    f.offer(variant, seller_=strong, grade="excellent", price_minor=45_900)
    f.offer(variant, seller_=weak, grade="excellent", price_minor=45_000)
    f.offer(variant, seller_=weak, grade="good", price_minor=40_000)
    f.offer(variant, seller_=strong, grade="fair", price_minor=35_000, stock=0)
    search_terms_rebuild()
    return variant


def test_categories(client, phone):
    response = client.get("/api/v1/categories")
    assert response.status_code == 200
    assert response.json() == [
        {"slug": "smartphones", "name": "Smartphones", "description": "", "listing_count": 1}
    ]


def test_product_search_with_typo_and_facets(client, phone):
    response = client.get("/api/v1/products", {"q": "iphne 13", "grade": "good"})
    assert response.status_code == 200
    body = response.json()
    assert body["corrected_query"] == "iphone 13"
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["id"] == phone.pk
    assert item["prices"] == {"premium": None, "excellent": 45_900, "good": 40_000, "fair": None}
    assert item["price_from"] == 40_000
    assert item["currency"] == "EUR"
    grades = {v["value"]: v["count"] for v in body["facets"]["grade"]}
    assert grades == {"excellent": 1, "good": 1}


def test_product_detail_has_the_best_offer_per_grade(client, phone):
    response = client.get(f"/api/v1/products/{phone.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Apple iPhone 13"
    grades = {g["grade"]: g for g in body["grades"]}
    assert list(grades) == ["excellent", "good"]
    assert grades["excellent"]["best_offer"]["price"] == 45_900
    assert grades["excellent"]["best_offer"]["seller"]["name"] == "Strong"
    assert grades["excellent"]["other_offer_count"] == 1
    assert [o["price"] for o in grades["excellent"]["offers"]] == [45_900, 45_000]


def test_offers_by_variant_exclude_out_of_stock(client, phone):
    response = client.get("/api/v1/offers", {"variant": phone.pk})
    assert response.status_code == 200
    assert sorted(o["price"] for o in response.json()) == [40_000, 45_000, 45_900]


def test_unknown_product_is_404(client, phone):
    response = client.get("/api/v1/products/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No product with this id."}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"grade": "mint"}, "grade"),
        ({"price_min": "-5"}, "price_min"),
        ({"sort": "random"}, "sort"),
        ({"brand": "nokla"}, "brand"),
        ({"category": "spaceships"}, "category"),
    ],
)
def test_bad_query_parameters_give_400_with_a_message(client, phone, params, field):
    response = client.get("/api/v1/products", params)
    assert response.status_code == 400
    (detail,) = response.json()["detail"]
    assert detail["loc"] == ["query", field]
    assert detail["msg"]


@pytest.mark.parametrize("params", [{}, {"variant": "abc"}, {"seller": "nobody"}])
def test_bad_offer_queries_are_4xx(client, phone, params):
    response = client.get("/api/v1/offers", params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/products", "/api/v1/products/{product_id}", "/api/v1/offers"} <= set(paths)


def test_api_docs_page_loads_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "https://" not in html.split("<body")[0]
