"""Writes for offers; every change refreshes the variant's market summary in the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

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


@transaction.atomic
def variant_market_refresh(*, variant_id: int) -> None:
    """Recompute the best price per grade of one variant and store it on its listing.

    Called after every change to one of its offers, whatever made it (a sale, a checkout's
    reservation, a seller's edit, the API): an offer without stock never stays the best.
    """
    catalog_services.listing_market_lock(variant_id=variant_id)
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
    if currency != settings.DEFAULT_CURRENCY:
        # Carts, checkout and payouts run in the marketplace's one currency.
        raise ValidationError({"currency": f"Offers are priced in {settings.DEFAULT_CURRENCY}."})
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


def offer_stock_take(*, offer_id: int, quantity: int) -> bool:
    """Take ``quantity`` units of an active offer's stock, or nothing if fewer are left.

    One conditional UPDATE, so concurrent buyers can never take more than the stock on
    any database: the row either still has the units when the update runs, or it is not
    changed. The listing's best offers are refreshed when the offer sells out.
    """
    if quantity <= 0:
        raise ValueError("A quantity to take is positive.")
    if not Offer.objects.filter(pk=offer_id, seller__status=Seller.Status.ACTIVE).exists():
        return False
    # Only the row's own columns in the condition: a join would make Django update through
    # a subquery, which PostgreSQL does not re-check after waiting on a concurrent buyer.
    taken = Offer.objects.filter(pk=offer_id, is_active=True, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken and _sold_out(offer_id):
        variant_market_refresh(variant_id=_variant_id(offer_id))
    return bool(taken)


def offer_stock_return(*, offer_id: int, quantity: int) -> None:
    """Put units back in stock (an expired reservation, a cancelled order)."""
    if quantity <= 0:
        raise ValueError("A quantity to return is positive.")
    Offer.objects.filter(pk=offer_id).update(stock=F("stock") + quantity)
    if Offer.objects.filter(pk=offer_id, stock=quantity).exists():
        # It was sold out: it is on the market again.
        variant_market_refresh(variant_id=_variant_id(offer_id))


def _sold_out(offer_id: int) -> bool:
    return Offer.objects.filter(pk=offer_id, stock=0).exists()


def _variant_id(offer_id: int) -> int:
    return Offer.objects.values_list("variant_id", flat=True).get(pk=offer_id)
