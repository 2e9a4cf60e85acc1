"""Reads for the catalog."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from recommerce.catalog.models import Brand, Category, DeviceModel, Listing, Variant


def category_list_top() -> QuerySet[Category]:
    """Return top-level categories with how many listings with offers each holds."""
    return Category.objects.filter(parent__isnull=True).annotate(
        listing_count=Count(
            "device_models__variants__listing",
            filter=Q(device_models__variants__listing__price_from__isnull=False),
        )
    )


def category_get(*, slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.all()


def variant_get(*, variant_id: int) -> Variant | None:
    return (
        Variant.objects.select_related("device_model__brand", "device_model__category")
        .filter(pk=variant_id)
        .first()
    )


def variant_siblings(*, device_model: DeviceModel) -> list[Variant]:
    """Return every variant of the device model, for the product page's selectors."""
    return list(Variant.objects.filter(device_model=device_model).select_related("listing"))


def listings_popular(*, limit: int = 8) -> list[Listing]:
    return list(
        Listing.objects.filter(price_from__isnull=False).order_by("-popularity", "variant_id")[
            :limit
        ]
    )
