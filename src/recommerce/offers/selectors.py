"""Reads for offers: what a product page and a seller page show."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from recommerce.accounts.models import Seller
from recommerce.catalog.models import Variant
from recommerce.offers.best import rank_offers
from recommerce.offers.grading import GRADE_ORDER
from recommerce.offers.models import Offer
from recommerce.offers.services import candidate_from_offer


@dataclass(frozen=True)
class GradeOffers:
    """One grade on a product page: its best offer and the rest, best first."""

    grade: str
    label: str
    offers: list[Offer]

    @property
    def best(self) -> Offer:
        return self.offers[0]

    @property
    def other_count(self) -> int:
        return len(self.offers) - 1


# What a product page reads of an offer and its seller: never the seller's bank details.
OFFER_PAGE_FIELDS = (
    "variant_id", "grade", "price_minor", "currency", "stock", "warranty_months",
    "battery_health_min_pct", "dispatch_days", "is_active", "seller__name", "seller__slug",
    "seller__status", "seller__quality_bp", "seller__rating_count", "seller__rating_sum",
    "seller__country",
)  # fmt: skip


def product_offers_by_grade(*, variant: Variant) -> list[GradeOffers]:
    """Return the grades that have an eligible offer, in grade order, offers ranked."""
    found = Offer.objects.filter(variant=variant).select_related("seller").only(*OFFER_PAGE_FIELDS)
    offers = {o.pk: o for o in found}
    ranked = rank_offers(candidate_from_offer(o) for o in offers.values())
    grades: dict[str, list[Offer]] = {}
    for candidate in ranked:
        grades.setdefault(candidate.grade, []).append(offers[candidate.offer_id])
    labels = dict(Offer._meta.get_field("grade").choices or [])
    return [
        GradeOffers(grade=g, label=str(labels[g]), offers=grades[g])
        for g in GRADE_ORDER
        if g in grades
    ]


def offer_list(*, variant_id: int | None = None, seller: Seller | None = None) -> QuerySet[Offer]:
    offers = Offer.objects.filter(is_active=True, stock__gt=0).select_related(
        "seller", "variant__device_model__brand"
    )
    if variant_id is not None:
        offers = offers.filter(variant_id=variant_id)
    if seller is not None:
        offers = offers.filter(seller=seller)
    return offers.order_by("variant_id", "grade", "price_minor", "id")


def seller_offer_summary(*, seller: Seller) -> dict[str, int]:
    offers = Offer.objects.filter(seller=seller, is_active=True, stock__gt=0)
    return {"offers": offers.count(), "units": sum(offers.values_list("stock", flat=True))}


def seller_public_offers(*, seller: Seller) -> QuerySet[Offer]:
    """Return the seller's offers a buyer can order, at the seller's own prices.

    Most popular devices first, then grade order, for the seller's public page (paginated
    there); each offer comes with its variant, model and brand, and the listing's picture.
    """
    grade_rank = Case(
        *(When(grade=grade, then=Value(rank)) for rank, grade in enumerate(GRADE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Offer.objects.filter(seller=seller, is_active=True, stock__gt=0)
        .select_related("variant__device_model__brand", "variant__listing")
        .alias(grade_rank=grade_rank)
        .order_by("-variant__listing__popularity", "variant_id", "grade_rank", "pk")
    )


def seller_offer_list(*, seller: Seller) -> QuerySet[Offer]:
    """Return every offer of the seller, on sale or not, by product then grade order."""
    grade_rank = Case(
        *(When(grade=grade, then=Value(rank)) for rank, grade in enumerate(GRADE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Offer.objects.filter(seller=seller)
        .select_related("variant__device_model__brand")
        .alias(grade_rank=grade_rank)
        .order_by(
            "variant__device_model__brand__name",
            "variant__device_model__name",
            "variant__storage_gb",
            "variant__colour",
            "variant_id",
            "grade_rank",
            "pk",
        )
    )


def seller_offer_get(*, seller: Seller, offer_id: int) -> Offer | None:
    """Return the seller's own offer with that id, or None (never another seller's)."""
    return (
        Offer.objects.select_related("variant__device_model__brand", "seller")
        .filter(seller=seller, pk=offer_id)
        .first()
    )
