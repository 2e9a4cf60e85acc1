"""Reads for the catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet

from recommerce.catalog.models import (
    Brand,
    Category,
    DeviceModel,
    Listing,
    ProductImage,
    Variant,
    images_for_colour,
    storage_label,
)

NAV_CACHE_KEY = "catalog:nav-categories"
NAV_CACHE_SECONDS = 300


def category_list_top() -> QuerySet[Category]:
    """Return top-level categories with how many listings with offers each holds."""
    return Category.objects.filter(parent__isnull=True).annotate(
        listing_count=Count(
            "device_models__variants__listing",
            filter=Q(device_models__variants__listing__price_from__isnull=False),
        )
    )


def category_list_nav() -> list[dict[str, str]]:
    """Return the top-level categories for the header and footer menus.

    Cached briefly: every page shows them and they rarely change.
    """
    found = cache.get(NAV_CACHE_KEY)
    if found is None:
        found = [
            {"slug": slug, "name": name}
            for slug, name in Category.objects.filter(parent__isnull=True).values_list(
                "slug", "name"
            )
        ]
        cache.set(NAV_CACHE_KEY, found, NAV_CACHE_SECONDS)
    return list(found)


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


def variant_images(*, variant: Variant) -> list[ProductImage]:
    """Return the model's pictures, those of the variant's colour first."""
    return images_for_colour(list(variant.device_model.images.all()), variant.colour)


def variant_siblings(*, device_model: DeviceModel) -> list[Variant]:
    """Return every variant of the device model, for the product page's selectors."""
    siblings = list(Variant.objects.filter(device_model=device_model).select_related("listing"))
    for sibling in siblings:
        sibling.device_model = device_model  # their URLs need it; spare a query each
    return siblings


def listings_popular(*, limit: int = 8) -> list[Listing]:
    return list(
        Listing.objects.filter(price_from__isnull=False).order_by("-popularity", "variant_id")[
            :limit
        ]
    )


@dataclass(frozen=True)
class VariantOption:
    label: str
    url: str
    selected: bool
    price_from: int | None


@dataclass(frozen=True)
class OptionGroup:
    name: str
    options: list[VariantOption]


# Attributes a shopper chooses between, with how each value reads on the page.
VARIANT_ATTRIBUTES: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("storage_gb", "Storage", storage_label),
    ("ram_gb", "Memory", lambda v: f"{v} GB RAM"),
    ("colour", "Colour", str),
    ("connectivity", "Connectivity", str),
    ("keyboard_layout", "Keyboard", str),
)


def _price_from(variant: Variant) -> int | None:
    try:
        return variant.listing.price_from
    except ObjectDoesNotExist:
        return None


def variant_attributes(variant: Variant) -> list[tuple[str, str]]:
    """Return the variant's own attributes as (name, value) pairs for display."""
    return [
        (name, label(getattr(variant, attribute)))
        for attribute, name, label in VARIANT_ATTRIBUTES
        if getattr(variant, attribute)
    ]


def variant_option_groups(variant: Variant, siblings: list[Variant]) -> list[OptionGroup]:
    """Group the sibling variants by attribute, for one selector per attribute.

    Each value links to the sibling that keeps as many of the current choices as possible,
    so changing the colour keeps the storage when that combination exists.
    """
    groups = []
    for attribute, name, label in VARIANT_ATTRIBUTES:
        values = list(
            dict.fromkeys(getattr(s, attribute) for s in siblings if getattr(s, attribute))
        )
        if len(values) < 2:
            continue
        others = [a for a, _, _ in VARIANT_ATTRIBUTES if a != attribute]
        options = []
        for value in values:
            matching = [s for s in siblings if getattr(s, attribute) == value]
            target = max(
                matching,
                key=lambda s: (
                    s.pk == variant.pk,
                    sum(getattr(s, a) == getattr(variant, a) for a in others),
                    _price_from(s) is not None,
                ),
            )
            options.append(
                VariantOption(
                    label=label(value),
                    url=target.get_absolute_url(),
                    selected=getattr(variant, attribute) == value,
                    price_from=_price_from(target),
                )
            )
        groups.append(OptionGroup(name=name, options=options))
    return groups
