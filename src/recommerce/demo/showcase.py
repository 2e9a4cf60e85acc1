"""The product the README's purchase walks through, whose best offer is the demo seller's.

README.md (Demo logins) tells a new user to buy ``SHOWCASE``; the demo seller's login then
sees the order in "Seller orders". ``showcase_offer_set`` makes that true by construction:
the demo seller's offer of that grade gets stock, one-day dispatch and a price whose
effective price (offers.best) beats every other seller's, inside the grade's price band;
where no such price exists, the others are sold out.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommerce.accounts.models import Seller
from recommerce.catalog.models import GRADES, Variant
from recommerce.offers.best import effective_price, is_eligible
from recommerce.offers.models import Offer
from recommerce.offers.services import candidate_from_offer


@dataclass(frozen=True, slots=True)
class Showcase:
    model_slug: str
    title: str
    storage_gb: int
    colour: str
    grade: str

    @property
    def label(self) -> str:
        """Return how the README names it, e.g. "Apple iPhone 13, 128 GB, Midnight"."""
        return f"{self.title}, {self.storage_gb} GB, {self.colour}"


SHOWCASE = Showcase("apple-iphone-13", "Apple iPhone 13", 128, "Starlight", "excellent")
SHOWCASE_STOCK = 20  # the most any demo offer holds


def showcase_variant() -> Variant:
    return Variant.objects.get(
        device_model__slug=SHOWCASE.model_slug,
        storage_gb=SHOWCASE.storage_gb,
        colour=SHOWCASE.colour,
    )


def _winning_price(own: Offer, rivals: list[Offer], floor: int, top: int) -> int | None:
    """Return the highest price ending in 99, in (floor, top], that beats ``rivals``."""
    eligible = [c for c in map(candidate_from_offer, rivals) if is_eligible(c)]
    target = min((effective_price(c) for c in eligible), default=None)
    price = (top + 1) // 100 * 100 - 1
    while price > floor:
        own.price_minor = price
        if target is None or effective_price(candidate_from_offer(own)) < target:
            return price
        price -= 100
    return None


def showcase_offer_set(*, seller: Seller) -> Offer:
    """Give ``seller`` the best offer of the showcase's grade; return that offer."""
    variant = showcase_variant()
    offers = list(Offer.objects.filter(variant=variant).select_related("seller"))
    rank = GRADES.index(SHOWCASE.grade)
    same = [o for o in offers if o.grade == SHOWCASE.grade]
    better = [o.price_minor for o in offers if GRADES.index(o.grade) < rank]
    worse = [o.price_minor for o in offers if GRADES.index(o.grade) > rank]
    rivals = [o for o in same if o.seller_id != seller.pk]
    own = next((o for o in same if o.seller_id == seller.pk), None)
    if own is None:
        own = Offer(
            seller=seller, variant=variant, grade=SHOWCASE.grade, currency="EUR",
            warranty_months=12, battery_health_min_pct=100 if rank == 0 else 90,
        )  # fmt: skip
    own.seller = seller
    own.stock, own.dispatch_days, own.is_active = SHOWCASE_STOCK, 1, True
    floor = max(worse, default=0)
    in_band = [o.price_minor for o in same] or [floor + 10_000]
    top = min([max(in_band), *(price - 1 for price in better)])
    kept = own.price_minor if own.pk else min(in_band)
    if _winning_price(own, rivals, floor, top) is None:
        # No price of the band wins against these sellers: they are sold out instead.
        own.price_minor = kept
        Offer.objects.filter(pk__in=[o.pk for o in rivals]).update(stock=0)
    own.save()
    return own
