"""Offer endpoints: product detail with the best offer per grade, and offer lists."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictInt

from recommerce.accounts.api_auth import SellerKey
from recommerce.accounts.models import SellerApiKey
from recommerce.catalog import selectors as catalog_selectors
from recommerce.offers import selectors, services
from recommerce.offers.grading import Grade
from recommerce.offers.models import Offer
from recommerce.platform.api import BAD_INPUT, NOT_FOUND, InvalidInput, Problem, RowId, one_of

router = Router(tags=["offers"])


class SellerBrief(Schema):
    slug: str
    name: str
    country: str
    rating_average: float | None
    rating_count: int
    quality_bp: int


class OfferSchema(Schema):
    id: int
    variant_id: int
    grade: str
    price: int
    currency: str
    stock: int
    warranty_months: int
    battery_health_min_pct: int
    dispatch_days: int
    seller: SellerBrief


class GradeBlock(Schema):
    grade: str
    label: str
    best_offer: OfferSchema
    other_offer_count: int
    offers: list[OfferSchema]


class VariantBrief(Schema):
    id: int
    label: str
    storage_gb: int | None
    colour: str
    url: str


class ProductDetail(Schema):
    id: int
    title: str
    label: str
    brand: str
    category: str
    model_slug: str
    release_year: int
    description: str
    specs: dict[str, str]
    variants: list[VariantBrief]
    grades: list[GradeBlock]


class OfferListParams(Schema):
    variant: int | None = None
    seller: str = ""


def offer_payload(offer: Offer) -> dict[str, object]:
    seller = offer.seller
    return {
        "id": offer.pk,
        "variant_id": offer.variant_id,
        "grade": offer.grade,
        "price": offer.price_minor,
        "currency": offer.currency,
        "stock": offer.stock,
        "warranty_months": offer.warranty_months,
        "battery_health_min_pct": offer.battery_health_min_pct,
        "dispatch_days": offer.dispatch_days,
        "seller": {
            "slug": seller.slug,
            "name": seller.name,
            "country": seller.country,
            "rating_average": seller.rating_average,
            "rating_count": seller.rating_count,
            "quality_bp": seller.quality_bp,
        },
    }


@router.get(
    "/products/{product_id}",
    response={200: ProductDetail, **NOT_FOUND, **BAD_INPUT},
    summary="Product detail with the best offer of each grade",
)
def product_detail(request: HttpRequest, product_id: RowId) -> dict[str, object]:
    variant = catalog_selectors.variant_get(variant_id=product_id)
    if variant is None:
        raise HttpError(404, "No product with this id.")
    model = variant.device_model
    grades = selectors.product_offers_by_grade(variant=variant)
    return {
        "id": variant.pk,
        "title": str(model),
        "label": variant.label,
        "brand": model.brand.name,
        "category": model.category.slug,
        "model_slug": model.slug,
        "release_year": model.release_year,
        "description": model.description,
        "specs": {str(k): str(v) for k, v in model.specs.items()},
        "variants": [
            {
                "id": v.pk,
                "label": v.label,
                "storage_gb": v.storage_gb,
                "colour": v.colour,
                "url": v.get_absolute_url(),
            }
            for v in catalog_selectors.variant_siblings(device_model=model)
        ],
        "grades": [
            {
                "grade": g.grade,
                "label": g.label,
                "best_offer": offer_payload(g.best),
                "other_offer_count": g.other_count,
                "offers": [offer_payload(o) for o in g.offers],
            }
            for g in grades
        ],
    }


@router.get(
    "/offers",
    response={200: list[OfferSchema], 400: Problem | InvalidInput, 404: Problem, 422: InvalidInput},
    summary="List offers in stock of a variant or a seller",
)
def list_offers(request: HttpRequest, params: Query[OfferListParams]) -> list[dict[str, object]]:
    if params.variant is None and not params.seller:
        raise HttpError(400, "Give a variant id or a seller slug.")
    seller = None
    if params.seller:
        from recommerce.accounts import selectors as account_selectors

        seller = account_selectors.seller_get_by_slug(slug=params.seller)
        if seller is None:
            raise HttpError(404, "No seller with this slug.")
    offers = selectors.offer_list(variant_id=params.variant, seller=seller)[:200]
    return [offer_payload(o) for o in offers]


class SellerOfferIn(Schema):
    variant_id: StrictInt
    grade: str = one_of(Grade)
    price: StrictInt
    currency: str = one_of([settings.DEFAULT_CURRENCY], default=settings.DEFAULT_CURRENCY)
    stock: StrictInt
    warranty_months: StrictInt = 12
    battery_health_min_pct: StrictInt = 80
    dispatch_days: StrictInt = 1


@router.get(
    "/seller/offers",
    auth=SellerKey(SellerApiKey.Scope.OFFERS_READ),
    response={200: list[OfferSchema], 401: Problem, 403: Problem},
    summary="The key's seller's own offers",
)
def seller_offers(request: HttpRequest) -> list[dict[str, object]]:
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    return [offer_payload(o) for o in selectors.offer_list(seller=key.seller)]


@router.post(
    "/seller/offers",
    auth=SellerKey(SellerApiKey.Scope.OFFERS_WRITE),
    response={201: OfferSchema, **BAD_INPUT, 401: Problem, 403: Problem, **NOT_FOUND},
    summary="Publish an offer (an approved seller only)",
)
def seller_offer_create(request: HttpRequest, payload: SellerOfferIn) -> Status[dict[str, object]]:
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    variant = catalog_selectors.variant_get(variant_id=payload.variant_id)
    if variant is None:
        raise HttpError(404, "No such product variant.")
    offer = services.offer_create(
        seller=key.seller,
        variant=variant,
        grade=payload.grade,
        price_minor=payload.price,
        stock=payload.stock,
        warranty_months=payload.warranty_months,
        battery_health_min_pct=payload.battery_health_min_pct,
        dispatch_days=payload.dispatch_days,
        currency=payload.currency,
    )
    return Status(201, offer_payload(offer))
