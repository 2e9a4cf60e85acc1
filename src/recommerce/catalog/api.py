"""Catalog endpoints: categories, brands, product listing and search with facets."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from recommerce.catalog import selectors
from recommerce.catalog.models import Listing
from recommerce.catalog.search import SORTS, SearchResult, search, search_query_from_params
from recommerce.platform.api import BAD_INPUT, one_of

router = Router(tags=["catalog"])


class CategorySchema(Schema):
    slug: str
    name: str
    description: str
    listing_count: int


class BrandSchema(Schema):
    slug: str
    name: str


class GradePrices(Schema):
    premium: int | None
    excellent: int | None
    good: int | None
    fair: int | None


class ProductSummary(Schema):
    id: int
    title: str
    subtitle: str
    model_slug: str
    url: str
    image_url: str | None
    storage_gb: int | None
    release_year: int
    currency: str
    price_from: int | None
    price: int | None = Field(
        description="The lowest price among the grades asked for (price_from when no grade "
        "is), in minor units: the price sort=price_asc and price_desc order by."
    )
    prices: GradePrices
    offer_count: int


class FacetValueSchema(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facets(Schema):
    category: list[FacetValueSchema]
    brand: list[FacetValueSchema]
    grade: list[FacetValueSchema]
    storage: list[FacetValueSchema]
    price: list[FacetValueSchema]


class SearchPage(Schema):
    query: str
    corrected_query: str
    total: int
    page: int
    pages: int
    per_page: int
    sort: str
    items: list[ProductSummary]
    facets: Facets


class SearchParams(Schema):
    q: str = ""
    category: str = ""
    brand: list[str] = []
    grade: list[str] = []
    storage: list[str] = []
    price_min: str = ""
    price_max: str = ""
    sort: str = one_of(["", *SORTS], "Empty: relevance with a query, popular without.", default="")
    page: str = ""
    per_page: str = ""


def product_summary(listing: Listing, currency: str) -> dict[str, object]:
    return {
        "id": listing.variant_id,
        "title": listing.title,
        "subtitle": listing.subtitle,
        "model_slug": listing.model_slug,
        "url": listing.get_absolute_url(),
        "image_url": f"/media/{listing.image}" if listing.image else None,
        "storage_gb": listing.storage_gb,
        "release_year": listing.release_year,
        "currency": currency,
        "price_from": listing.price_from,
        "price": listing.shown_price,
        "prices": listing.grade_prices(),
        "offer_count": listing.offer_count,
    }


def search_page_payload(result: SearchResult, currency: str) -> dict[str, object]:
    query = result.query
    return {
        "query": query.q,
        "corrected_query": result.corrected_query,
        "total": result.total,
        "page": query.page,
        "pages": result.pages,
        "per_page": query.per_page,
        "sort": query.effective_sort,
        "items": [product_summary(item, currency) for item in result.items],
        "facets": {name: [vars(v) for v in values] for name, values in result.facets.items()},
    }


@router.get("/categories", response=list[CategorySchema], summary="List top-level categories")
def list_categories(request: HttpRequest) -> list[CategorySchema]:
    return list(selectors.category_list_top())  # type: ignore[arg-type]


@router.get("/brands", response=list[BrandSchema], summary="List brands")
def list_brands(request: HttpRequest) -> list[BrandSchema]:
    return list(selectors.brand_list())  # type: ignore[arg-type]


@router.get(
    "/products",
    response={200: SearchPage, **BAD_INPUT},
    summary="List and search products, with facets",
    description=(
        "Full-text search tolerant of typos, with facets. Prices are integer minor units "
        "(cents). `price_min`/`price_max` take major units (e.g. 199.99). Repeat `brand`, "
        "`grade` or `storage` (or separate values with commas) to select several. "
        "`sort`: relevance, popular, price_asc, price_desc, newest."
    ),
)
def list_products(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    query = search_query_from_params(
        {k: v if isinstance(v, list) else [v] for k, v in params.dict().items() if v},
    )
    return search_page_payload(search(query), settings.DEFAULT_CURRENCY)


@router.get(
    "/search",
    response={200: SearchPage, **BAD_INPUT},
    summary="Search products (alias of /products)",
)
def search_products(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    return list_products(request, params)
