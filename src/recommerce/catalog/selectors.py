"""Reads for the catalog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from recommerce.catalog.models import (
    Brand,
    Category,
    DeviceModel,
    Listing,
    ProductImage,
    Variant,
    images_for_colour,
    product_url,
    storage_label,
    variant_label,
)
from recommerce.catalog.search.engine import listings_version

NAV_CACHE_KEY = "catalog:nav-categories:2"
NAV_CACHE_SECONDS = 300


def category_list_top() -> list[Category]:
    """Return top-level categories, each with ``listing_count``: its listings with offers.

    The counts, read from the listings' own category column, are cached until listings
    change (or a minute passes, where the cache is per process).
    """
    key = f"catalog:category-counts:{listings_version()}"
    counts: dict[int, int] | None = cache.get(key)
    if counts is None:
        rows = (
            Listing.objects.filter(price_from__isnull=False)
            .values_list("category_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        counts = dict(rows)
        cache.set(key, counts, 60)
    categories = list(Category.objects.filter(parent__isnull=True))
    for category in categories:
        category.listing_count = counts.get(category.pk, 0)  # type: ignore[attr-defined]
    return categories


def category_list_nav() -> list[dict[str, str]]:
    """Return the top-level categories for the header and footer menus.

    Cached briefly: every page shows them and they rarely change.
    """
    found = cache.get(NAV_CACHE_KEY)
    if found is None:
        found = [
            {"slug": slug, "name": name, "url": reverse("catalog:category", args=[slug])}
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
    found = Variant.objects.select_related("device_model__brand", "device_model__category")
    return next(iter(found.filter(pk=variant_id)), None)


VARIANT_SECONDS = 300


def variant_get_cached(*, variant_id: int) -> Variant | None:
    """Return the variant with its model, brand and category, from the cache when it can.

    Product pages ask for it on every view; it changes with the catalog, so it is kept
    until listings change (and a few minutes at most where the cache is per process).
    """
    key = f"catalog:variant:{variant_id}:{listings_version()}"
    variant: Variant | None = cache.get(key)
    if variant is None:
        variant = variant_get(variant_id=variant_id)
        if variant is not None:
            cache.set(key, variant, VARIANT_SECONDS)
    return variant


def variant_images(*, variant: Variant) -> list[ProductImage]:
    """Return the model's pictures, those of the variant's colour first."""
    return images_for_colour(list(variant.device_model.images.all()), variant.colour)


@dataclass(frozen=True, slots=True)
class Sibling:
    """A variant of the same model, as the product page's selectors need it."""

    pk: int
    storage_gb: int | None
    ram_gb: int | None
    colour: str
    connectivity: str
    keyboard_layout: str
    price_from: int | None
    model_slug: str

    @property
    def label(self) -> str:
        return variant_label(self)

    def get_absolute_url(self) -> str:
        return product_url(self.model_slug, self.pk)


def variant_siblings(*, device_model: DeviceModel) -> list[Sibling]:
    """Return every variant of the device model (itself included), for the selectors.

    Laptops can have a hundred variants (storage x memory x colour x keyboard), so plain
    rows are read rather than model instances.
    """
    rows = (
        Variant.objects.filter(device_model=device_model)
        .order_by("storage_gb", "ram_gb", "colour", "id")
        .values_list(
            "id", "storage_gb", "ram_gb", "colour", "connectivity", "keyboard_layout",
            "listing__price_from",
        )
    )  # fmt: skip
    return [Sibling(*row, model_slug=device_model.slug) for row in rows]


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


def variant_attributes(variant: Variant) -> list[tuple[str, str]]:
    """Return the variant's own attributes as (name, value) pairs for display."""
    return [
        (name, label(getattr(variant, attribute)))
        for attribute, name, label in VARIANT_ATTRIBUTES
        if getattr(variant, attribute)
    ]


def variant_option_groups(variant: Variant, siblings: list[Sibling]) -> list[OptionGroup]:
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
                    s.price_from is not None,
                ),
            )
            options.append(
                VariantOption(
                    label=label(value),
                    url=target.get_absolute_url(),
                    selected=getattr(variant, attribute) == value,
                    price_from=target.price_from,
                )
            )
        groups.append(OptionGroup(name=name, options=options))
    return groups


@dataclass(frozen=True)
class VariantPage:
    """The catalog's part of a product page: pictures, option selectors, attributes."""

    images: list[ProductImage]
    options: list[OptionGroup]
    attributes: list[tuple[str, str]]


MODEL_PARTS_SECONDS = 300


def variant_page(*, variant: Variant) -> VariantPage:
    """Return the catalog's part of the variant's product page.

    What it is made of belongs to the device model (its variants with their prices, its
    pictures), so it is read once per model and cached until listings change (a few
    minutes at most where the cache is per process); every variant of the model shares it.
    """
    model = variant.device_model
    key = f"catalog:model-parts:{model.pk}:{listings_version()}"
    parts: tuple[list[Sibling], list[ProductImage]] | None = cache.get(key)
    if parts is None:
        parts = (variant_siblings(device_model=model), list(model.images.all()))
        cache.set(key, parts, MODEL_PARTS_SECONDS)
    siblings, pictures = parts
    return VariantPage(
        images=images_for_colour(pictures, variant.colour),
        options=variant_option_groups(variant, siblings),
        attributes=variant_attributes(variant),
    )


def variants_in_order(*, ids: list[int]) -> QuerySet[Variant]:
    """Return these variants with their model and brand, by brand, model, storage, colour."""
    return (
        Variant.objects.filter(pk__in=ids)
        .select_related("device_model__brand")
        .order_by("device_model__brand__name", "device_model__name", "storage_gb", "colour", "pk")
    )


# Storage units a seller may type after a number ("128 gb"); the number alone matches.
UNIT_WORDS = frozenset({"gb", "go", "tb", "to"})


def variant_matches(*, text: str) -> QuerySet[Variant]:
    """Return the catalog variants whose brand, model, storage or colour match every word.

    Unlike the storefront search, this finds variants nobody offers yet: a seller may be
    the first to sell one.
    """
    words = [w for w in text.split() if w.casefold() not in UNIT_WORDS][:8]
    if not words:
        return Variant.objects.none()
    found = Variant.objects.all()
    for word in words:
        match = (
            Q(device_model__name__icontains=word)
            | Q(device_model__brand__name__icontains=word)
            | Q(colour__icontains=word)
            | Q(connectivity__icontains=word)
            | Q(sku__iexact=word)
        )
        digits = word.casefold().removesuffix("gb").removesuffix("go")
        if digits.isdigit() and len(digits) <= 6:
            match |= Q(storage_gb=int(digits))
        found = found.filter(match)
    return found.select_related("device_model__brand").order_by(
        "device_model__brand__name", "device_model__name", "storage_gb", "colour", "pk"
    )
