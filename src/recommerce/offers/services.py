"""Writes for offers; every change refreshes the variant's market summary in the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import Seller
from recommerce.catalog import services as catalog_services
from recommerce.catalog.models import Variant
from recommerce.offers.best import Candidate, best_offers_by_grade
from recommerce.offers.grading import MIN_BATTERY_HEALTH_PCT, MIN_WARRANTY_MONTHS
from recommerce.offers.models import Offer


def candidate_from_offer(offer: Offer) -> Candidate:
    return Candidate(
        offer_id=offer.pk,
        grade=offer.grade,
        price_minor=offer.price_minor,
        stock=offer.stock,
        seller_quality_bp=offer.seller.quality_bp,
        dispatch_days=offer.dispatch_days,
        is_active=offer.is_active and offer.seller.status == Seller.Status.ACTIVE,
    )


def market_summary(candidates: Iterable[Candidate]) -> tuple[dict[str, int | None], int]:
    """Return each grade's best-offer price and the number of eligible offers."""
    choices = best_offers_by_grade(candidates)
    prices: dict[str, int | None] = {g: c.best.price_minor for g, c in choices.items()}
    return prices, sum(c.other_count + 1 for c in choices.values())


def variant_market_refresh(*, variant_id: int) -> None:
    """Recompute the best price per grade of one variant and store it on its listing."""
    offers = Offer.objects.filter(variant_id=variant_id).select_related("seller")
    prices, count = market_summary(candidate_from_offer(o) for o in offers)
    catalog_services.listing_market_update(
        variant_id=variant_id, prices_by_grade=prices, offer_count=count
    )


@transaction.atomic
def offer_create(
    *,
    seller: Seller,
    variant: Variant,
    grade: str,
    price_minor: int,
    stock: int,
    warranty_months: int = MIN_WARRANTY_MONTHS,
    battery_health_min_pct: int = MIN_BATTERY_HEALTH_PCT,
    dispatch_days: int = 1,
    currency: str = "EUR",
) -> Offer:
    """Publish a seller's offer; raises ValidationError on a rule it breaks.

    Only an approved (active) seller publishes: a file still in onboarding or suspended
    cannot put offers on the storefront.
    """
    if seller.status != Seller.Status.ACTIVE:
        raise ValidationError("Your seller account must be approved before you can publish offers.")
    offer = Offer(
        seller=seller,
        variant=variant,
        grade=grade,
        price_minor=price_minor,
        stock=stock,
        warranty_months=warranty_months,
        battery_health_min_pct=battery_health_min_pct,
        dispatch_days=dispatch_days,
        currency=currency,
    )
    offer.full_clean()
    offer.save()
    variant_market_refresh(variant_id=variant.pk)
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    price_minor: int | None = None,
    stock: int | None = None,
    is_active: bool | None = None,
    dispatch_days: int | None = None,
) -> Offer:
    """Change an offer's price, stock, availability or dispatch time."""
    changes = {
        "price_minor": price_minor,
        "stock": stock,
        "is_active": is_active,
        "dispatch_days": dispatch_days,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(offer, name, value)
    offer.full_clean()
    offer.save()
    variant_market_refresh(variant_id=offer.variant_id)
    return offer


def markets_refresh_all(*, batch_size: int = 5000) -> int:
    """Recompute every listing's market summary in one pass (after bulk loads)."""

    def rows() -> Iterable[tuple[int, dict[str, int | None], int]]:
        current: int | None = None
        group: list[Candidate] = []
        values = Offer.objects.order_by("variant_id").values_list(
            "id",
            "variant_id",
            "grade",
            "price_minor",
            "stock",
            "seller__quality_bp",
            "dispatch_days",
            "is_active",
        )
        for oid, vid, grade, price, stock, quality, days, active in values.iterator(
            chunk_size=batch_size
        ):
            if vid != current and current is not None:
                yield (current, *market_summary(group))
                group = []
            current = vid
            group.append(Candidate(oid, grade, price, stock, quality, days, active))
        if current is not None:
            yield (current, *market_summary(group))

    return catalog_services.listings_market_bulk_update(rows(), batch_size=batch_size)
