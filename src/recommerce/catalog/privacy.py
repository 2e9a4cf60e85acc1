"""The catalog holds no personal data; each field is declared as such, by name.

Fields are listed one by one on purpose: a field added later stays unclassified, and so
fails the registry check, until someone decides what it holds.
"""

from __future__ import annotations

from recommerce.catalog.models import (
    Brand,
    Category,
    DeviceModel,
    Listing,
    ProductImage,
    SearchTerm,
    Variant,
)
from recommerce.privacy.registry import not_personal, registry

REASON = "product catalog data"

registry.register(
    Category,
    not_personal("id", "name", "slug", "parent", "description", "position", reason=REASON),
)
registry.register(Brand, not_personal("id", "name", "slug", reason=REASON))
registry.register(
    DeviceModel,
    not_personal(
        "id",
        "category",
        "brand",
        "name",
        "slug",
        "release_year",
        "description",
        "specs",
        "new_price_minor",
        "created_at",
        "updated_at",
        reason=REASON,
    ),
)
registry.register(
    Variant,
    not_personal(
        "id",
        "device_model",
        "sku",
        "storage_gb",
        "ram_gb",
        "colour",
        "connectivity",
        "keyboard_layout",
        reason=REASON,
    ),
)
registry.register(
    ProductImage,
    not_personal("id", "device_model", "image", "alt", "colour", "position", reason=REASON),
)
registry.register(
    Listing,
    not_personal(
        "variant",
        "device_model",
        "category",
        "brand",
        "title",
        "subtitle",
        "search_text",
        "model_slug",
        "image",
        "storage_gb",
        "release_year",
        "price_premium",
        "price_excellent",
        "price_good",
        "price_fair",
        "price_from",
        "offer_count",
        "popularity",
        reason=REASON,
    ),
)
registry.register(SearchTerm, not_personal("id", "term", "frequency", reason=REASON))
