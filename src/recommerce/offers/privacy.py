"""Offers hold no personal data: a seller is a company."""

from __future__ import annotations

from recommerce.offers.models import Offer
from recommerce.privacy.registry import not_personal, registry

registry.register(
    Offer,
    not_personal(
        "id",
        "seller",
        "variant",
        "grade",
        "price_minor",
        "currency",
        "stock",
        "warranty_months",
        "battery_health_min_pct",
        "dispatch_days",
        "is_active",
        "created_at",
        "updated_at",
        reason="a company's commercial offer",
    ),
)
