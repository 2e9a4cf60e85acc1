"""Writes for accounts: sellers and their track record."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from recommerce.accounts.models import Seller
from recommerce.accounts.quality import seller_quality_bp


def seller_quality_refresh(*, seller: Seller) -> Seller:
    """Recompute the stored quality score from the seller's track record."""
    seller.quality_bp = seller_quality_bp(
        rating_count=seller.rating_count,
        rating_sum=seller.rating_sum,
        orders_shipped=seller.orders_shipped,
        orders_late=seller.orders_late,
        orders_defective=seller.orders_defective,
    )
    seller.save(update_fields=["quality_bp", "updated_at"])
    return seller


@transaction.atomic
def seller_create(
    *,
    name: str,
    legal_name: str,
    country: str,
    city: str = "",
    description: str = "",
    slug: str | None = None,
) -> Seller:
    """Create an active seller with an empty track record."""
    seller = Seller(
        name=name,
        slug=slug or slugify(name),
        legal_name=legal_name,
        country=country.upper(),
        city=city,
        description=description,
    )
    seller.full_clean()
    seller.save()
    return seller_quality_refresh(seller=seller)
