"""Builders for test data; they go through the services, as the application does."""

from __future__ import annotations

import itertools

from recommerce.accounts.models import Seller
from recommerce.accounts.services import seller_create
from recommerce.catalog import services as catalog_services
from recommerce.catalog.models import Brand, Category, DeviceModel, Variant
from recommerce.offers.models import Offer
from recommerce.offers.services import offer_create

_seq = itertools.count(1)


def category(name: str = "Smartphones", slug: str | None = None, **extra: object) -> Category:
    slug = slug or name.lower().replace(" ", "-")
    return Category.objects.get_or_create(slug=slug, defaults={"name": name, **extra})[0]


def brand(name: str = "Apple") -> Brand:
    return Brand.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]


def device_model(
    name: str = "iPhone 13",
    *,
    brand_name: str = "Apple",
    category_name: str = "Smartphones",
    release_year: int = 2021,
    **extra: object,
) -> DeviceModel:
    slug = f"{brand_name}-{name}".lower().replace(" ", "-")
    return DeviceModel.objects.create(
        name=name,
        slug=slug,
        brand=brand(brand_name),
        category=category(category_name),
        release_year=release_year,
        **extra,
    )


def variant(
    model: DeviceModel | None = None,
    *,
    storage_gb: int | None = 128,
    colour: str = "Blue",
    connectivity: str = "Unlocked",
    **extra: object,
) -> Variant:
    model = model or device_model()
    created = Variant.objects.create(
        device_model=model,
        sku=f"SKU-{next(_seq)}",
        storage_gb=storage_gb,
        colour=colour,
        connectivity=connectivity,
        **extra,
    )
    catalog_services.listings_rebuild(variant_ids=[created.pk])
    return created


def seller(
    name: str | None = None,
    *,
    rating_count: int = 0,
    rating_sum: int = 0,
    orders_shipped: int = 0,
    orders_late: int = 0,
    orders_defective: int = 0,
    country: str = "FR",
) -> Seller:
    from recommerce.accounts.services import seller_quality_refresh

    name = name or f"Refurb Lab {next(_seq)}"
    created = seller_create(name=name, legal_name=f"{name} SAS", country=country)
    created.rating_count = rating_count
    created.rating_sum = rating_sum
    created.orders_shipped = orders_shipped
    created.orders_late = orders_late
    created.orders_defective = orders_defective
    created.save()
    return seller_quality_refresh(seller=created)


def offer(
    variant_: Variant | None = None,
    *,
    seller_: Seller | None = None,
    grade: str = "excellent",
    price_minor: int = 45_000,
    stock: int = 3,
    dispatch_days: int = 1,
    **extra: object,
) -> Offer:
    return offer_create(
        seller=seller_ or seller(),
        variant=variant_ or variant(),
        grade=grade,
        price_minor=price_minor,
        stock=stock,
        dispatch_days=dispatch_days,
        **extra,  # type: ignore[arg-type]
    )
