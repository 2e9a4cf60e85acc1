"""A seller's customer rating and answer time, as counted from its buyers' reviews and
messages (both live above accounts in the layer order and are counted there)."""

from __future__ import annotations

from django.db import transaction

from recommerce.accounts.models import Seller
from recommerce.accounts.services.sellers import seller_quality_refresh


@transaction.atomic
def seller_rating_set(*, seller_id: int, rating_count: int, rating_sum: int) -> Seller:
    """Store the seller's rating figures and rescore its quality.

    The figures are counted by the caller from the published reviews (reviews live above
    accounts in the layer order), never seeded or incremented here, so a hidden or
    restored review moves them back exactly.
    """
    if rating_count < 0 or rating_sum < 0 or rating_sum > 5 * rating_count:
        raise ValueError("A rating is 1 to 5 stars per review.")
    seller = Seller.objects.select_for_update().get(pk=seller_id)
    seller.rating_count = rating_count
    seller.rating_sum = rating_sum
    seller.save(update_fields=["rating_count", "rating_sum", "updated_at"])
    return seller_quality_refresh(seller=seller)


@transaction.atomic
def seller_answer_time_set(*, seller_id: int, median_minutes: int | None) -> Seller:
    """Store the seller's median answer time (None: nobody to answer) and rescore it."""
    if median_minutes is not None and median_minutes < 0:
        raise ValueError("An answer time cannot be negative.")
    seller = Seller.objects.select_for_update().get(pk=seller_id)
    if seller.answer_median_minutes == median_minutes:
        return seller
    seller.answer_median_minutes = median_minutes
    seller.save(update_fields=["answer_median_minutes", "updated_at"])
    return seller_quality_refresh(seller=seller)
