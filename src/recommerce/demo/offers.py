"""Generating sellers' offers for a variant: which sellers, which grades, at what price."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from recommerce.catalog.models import GRADES
from recommerce.demo import pricing
from recommerce.demo.catalog import VariantPlan
from recommerce.demo.data import BRANDS, CATEGORY_BY_SLUG, REFERENCE_YEAR
from recommerce.demo.sellers import SellerProfile
from recommerce.offers.models import Offer

CURRENCY = "EUR"
OUT_OF_STOCK_SHARE = 0.12


@dataclass(frozen=True, slots=True)
class SellerRef:
    seller_id: int
    profile: SellerProfile


@dataclass
class SellerPools:
    """Sellers able to offer a (category, brand), weighted by their size, built on demand."""

    sellers: list[SellerRef]
    _pools: dict[tuple[str, str], tuple[list[SellerRef], list[float]]] = field(default_factory=dict)

    def pool(self, category: str, brand: str) -> tuple[list[SellerRef], list[float]]:
        key = (category, brand)
        if key not in self._pools:
            found = [s for s in self.sellers if s.profile.sells(category, brand)]
            self._pools[key] = (found, list(itertools.accumulate(s.profile.size for s in found)))
        return self._pools[key]

    def pick(self, rng: random.Random, category: str, brand: str, count: int) -> list[SellerRef]:
        """Return up to ``count`` distinct sellers, bigger ones more often."""
        found, cumulative = self.pool(category, brand)
        if count >= len(found):
            return list(found)
        chosen: dict[int, SellerRef] = {}
        while len(chosen) < count:
            for ref in rng.choices(found, cum_weights=cumulative, k=count - len(chosen)):
                chosen.setdefault(ref.seller_id, ref)
        return list(chosen.values())


def grade_presence(age: int) -> dict[str, float]:
    """Return the chance that a variant of this age has offers in each grade.

    New devices are rarely sold in fair condition; old ones rarely reach premium.
    """
    return {
        "premium": 0.85 if age <= 2 else 0.6 if age <= 5 else 0.35,
        "excellent": 0.95,
        "good": 0.95,
        "fair": 0.5 if age <= 1 else 0.85,
    }


def variant_offers(
    rng: random.Random,
    plan: VariantPlan,
    pools: SellerPools,
    *,
    extra_seller_chances: tuple[float, ...],
) -> list[Offer]:
    """Return unsaved offers for one variant, with an in-stock offer in at least two grades."""
    model = plan.model
    age = max(0, REFERENCE_YEAR - model.year)
    reference = pricing.reference_price(
        launch_eur=plan.launch_eur,
        age_years=age,
        retention_pct=CATEGORY_BY_SLUG[model.category].yearly_retention_pct,
        brand_bp=BRANDS[model.brand],
    )
    bands = pricing.grade_bands(reference)
    presence = grade_presence(age)
    grades = [g for g in GRADES if rng.random() < presence[g]]
    for fallback in ("excellent", "good", "fair", "premium"):
        if len(grades) >= 2:
            break
        if fallback not in grades:
            grades.append(fallback)
    offers: list[Offer] = []
    anchors = set(rng.sample(grades, 2))
    for grade in GRADES:
        if grade not in grades:
            continue
        count = 1 + sum(rng.random() < chance for chance in extra_seller_chances)
        picked = pools.pick(rng, model.category, model.brand, count)
        grade_offers = [_offer(rng, plan, ref, grade, bands[grade]) for ref in picked]
        if grade in anchors and grade_offers and all(o.stock == 0 for o in grade_offers):
            grade_offers[0].stock = rng.randint(1, 5)
        offers += grade_offers
    return offers


def _offer(
    rng: random.Random, plan: VariantPlan, ref: SellerRef, grade: str, band: tuple[int, int]
) -> Offer:
    seller = ref.profile
    position = seller.price_level + rng.gauss(0, 0.15)
    price = pricing.price_minor(band, position, ends_in_99=rng.random() < 0.7)
    stock = 0 if rng.random() < OUT_OF_STOCK_SHARE else min(20, 1 + int(rng.expovariate(1 / 4)))
    warranty = 24 if grade == "premium" and rng.random() < 0.5 else seller.warranty_months
    if not plan.model.battery:
        battery = 100  # nothing to wear out
    else:
        battery = {
            "premium": 100,
            "excellent": seller.battery_excellent,
            "good": seller.battery_good,
            "fair": 80,
        }[grade]
    return Offer(
        seller_id=ref.seller_id,
        variant_id=plan.variant_id,
        grade=grade,
        price_minor=price,
        currency=CURRENCY,
        stock=stock,
        warranty_months=warranty,
        battery_health_min_pct=battery,
        dispatch_days=min(5, seller.dispatch_days + (1 if rng.random() < 0.15 else 0)),
    )
