"""The demo data set and the load-test generator behind ``recommerce seed``.

``dataset_seed(size=...)`` fills an empty database: the reference catalog (and, for the
load-test sizes, models generated from real series), refurbishers with a track record,
their offers, placeholder pictures, the demo logins, then the search listings, the market
summaries, popularity and the search vocabulary. The same seed always gives the same data.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from recommerce.accounts.models import Seller
from recommerce.catalog import services as catalog_services
from recommerce.catalog.models import Brand, Category, DeviceModel, Listing
from recommerce.demo.aftersales import DEMO_SUPPORT_EMAIL, demo_aftersales_create
from recommerce.demo.catalog import Options, VariantPlan, models_create, variant_count
from recommerce.demo.data import LAYOUTS, ModelSpec, reference_models
from recommerce.demo.data.series import generated_models
from recommerce.demo.mail import demo_undelivered_email_create
from recommerce.demo.offers import SellerPools, SellerRef, variant_offers
from recommerce.demo.orders import demo_held_order_create, demo_orders_create
from recommerce.demo.people import (
    DEMO_BUYER_EMAIL,
    DEMO_DPO_EMAIL,
    DEMO_SELLER_NAME,
    demo_people_create,
)
from recommerce.demo.privacy import (
    demo_notice_publish,
    demo_privacy_history_create,
    demo_privacy_requests_create,
)
from recommerce.demo.sellers import SellerProfile, seller_profiles
from recommerce.demo.showcase import SHOWCASE, showcase_offer_set
from recommerce.demo.timeline import JOINED_DAYS_AGO, OPENED_DAYS_AGO, days_ago, travel
from recommerce.offers import services as offer_services
from recommerce.offers.models import Offer

DEFAULT_SEED = 2025
OFFER_BATCH = 5000


@dataclass(frozen=True, slots=True)
class SizePlan:
    """How big a data set is."""

    name: str
    sellers: int
    variant_target: int  # 0: the reference catalog alone
    options: Options
    extra_seller_chances: tuple[float, ...]  # per grade, beyond the first seller
    shared_images: bool


SIZES: dict[str, SizePlan] = {
    "demo": SizePlan("demo", 30, 0, Options(2, 2, 2, LAYOUTS[:2]), (0.45, 0.12), False),
    "s": SizePlan("s", 60, 0, Options(3, 1, 2, LAYOUTS[:2]), (1.0, 0.7, 0.35, 0.1), False),
    "m": SizePlan("m", 200, 20_000, Options(9, 9, 9, LAYOUTS[:3]), (1.0, 0.7, 0.35, 0.1), True),
    "l": SizePlan("l", 500, 100_000, Options(9, 9, 9, LAYOUTS), (1.0, 0.7, 0.35, 0.1), True),
}


@dataclass
class SeedReport:
    """What a seed wrote and how long each step took."""

    size: str
    random_seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def catalog_model_count() -> int:
    """Return how many device models the catalog holds (0 for an empty database)."""
    return DeviceModel.objects.count()


def plan_models(plan: SizePlan) -> list[ModelSpec]:
    """Return the device models of a size: the reference catalog, then generated ones."""
    models = reference_models()
    total = sum(variant_count(m, plan.options) for m in models)
    if total < plan.variant_target:
        for model in generated_models({(m.brand, m.name) for m in models}):
            models.append(model)
            total += variant_count(model, plan.options)
            if total >= plan.variant_target:
                break
        else:
            raise ValueError(f"The generator cannot reach {plan.variant_target} variants.")
    return models


def dataset_seed(
    *, size: str = "demo", random_seed: int = DEFAULT_SEED, progress: bool = False
) -> SeedReport:
    """Fill an empty database with the demo or a load-test data set and return a report.

    Raises ValueError for an unknown size or when the catalog already has device models.
    """
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}; choose from {', '.join(SIZES)}.")
    existing = catalog_model_count()
    if existing:
        raise ValueError(f"The catalog already has {existing} device models.")
    plan = SIZES[size]
    rng = random.Random(random_seed)
    report = SeedReport(size=size, random_seed=random_seed)
    demo = size == "demo"
    # The demo's shops open and its people join before the buyer's orders (see timeline).
    opened = travel(days_ago(OPENED_DAYS_AGO, hour=9)) if demo else nullcontext()
    with transaction.atomic():
        with opened:
            with _step(report, "catalog"):
                models = plan_models(plan)
                with _bar(progress, len(models), "Device models", "model") as bar:
                    variants, image_count = models_create(
                        models, options=plan.options, shared_images=plan.shared_images,
                        rng=rng, on_model=bar.update,
                    )  # fmt: skip
            with _step(report, "sellers"):
                sellers = sellers_create(seller_profiles(plan.sellers, rng))
            with _step(report, "offers"):
                offer_count = offers_create(variants, sellers, plan, rng, progress=progress)
                if demo:  # the README's purchase reaches the demo seller
                    showcase_offer_set(seller=Seller.objects.get(name=DEMO_SELLER_NAME))
        users = 0
        if demo:  # the published logins exist only with the demo data set
            with _step(report, "users"):
                users = demo_people_join()
        with _step(report, "listings"):
            catalog_services.listings_rebuild()
        with _step(report, "markets"):
            offer_services.markets_refresh_all()
        with _step(report, "popularity"):
            catalog_services.listings_popularity_set({v.variant_id: v.popularity for v in variants})
        with _step(report, "search terms"):
            terms = catalog_services.search_terms_rebuild()
        if demo:
            with _step(report, "privacy notice"):
                demo_notice_publish(dpo_email=DEMO_DPO_EMAIL)
            with _step(report, "privacy requests"):
                demo_privacy_requests_create(buyer_email=DEMO_BUYER_EMAIL, dpo_email=DEMO_DPO_EMAIL)
            with _step(report, "answered privacy requests"):
                demo_privacy_history_create(dpo_email=DEMO_DPO_EMAIL)
    placed = 0
    if demo:
        # After the commit: each step of the history commits at its own moment, so what
        # follows a commit (emails, the seller's disclosure record) carries that moment too.
        # Should it fail, `seed --if-empty` places the history on the next run.
        with _step(report, "orders"):
            placed = demo_history_create()
        with _step(report, "an order held for review"):
            placed += demo_held_order_create(seller_name=DEMO_SELLER_NAME)
        with _step(report, "an email the mail server refused"):
            demo_undelivered_email_create()
    report.counts = {
        "categories": Category.objects.count(),
        "brands": Brand.objects.count(),
        "device models": len(models),
        "variants": len(variants),
        "images": image_count,
        "sellers": len(sellers),
        "offers": offer_count,
        "listings with offers": Listing.objects.filter(price_from__isnull=False).count(),
        "users": users,
        "search terms": terms,
        "orders": placed,
    }
    return report


def demo_history_create() -> int:
    """Place the demo buyer's past orders unless there are some; return how many were placed.

    Then the after-sales (``aftersales``): claims at each stage and reviews. The README's
    purchase (``showcase``) is kept out of the history, so its stock is whole.
    """
    kept = Offer.objects.filter(
        variant__device_model__slug=SHOWCASE.model_slug,
        variant__storage_gb=SHOWCASE.storage_gb,
        variant__colour=SHOWCASE.colour,
        grade=SHOWCASE.grade,
        seller__name=DEMO_SELLER_NAME,
    ).values_list("pk", flat=True)
    placed = demo_orders_create(
        buyer_email=DEMO_BUYER_EMAIL, seller_name=DEMO_SELLER_NAME, keep_offer_ids=list(kept)
    )
    return placed + demo_aftersales_create(
        buyer_email=DEMO_BUYER_EMAIL, seller_name=DEMO_SELLER_NAME,
        staff_email=DEMO_SUPPORT_EMAIL, keep_offer_ids=list(kept),
    )  # fmt: skip


def demo_people_join() -> int:
    """Create the demo logins on their day of the timeline; return how many were created."""
    with travel(days_ago(JOINED_DAYS_AGO, hour=10)):
        return demo_people_create()


def sellers_create(profiles: list[SellerProfile]) -> list[SellerRef]:
    """Insert the sellers with their track record and quality score."""
    rows = Seller.objects.bulk_create(
        [
            Seller(
                name=p.name, slug=slugify(p.name), legal_name=p.legal_name, country=p.country,
                city=p.city, description=p.description, rating_count=p.rating_count,
                rating_sum=p.rating_sum, orders_shipped=p.orders_shipped,
                orders_late=p.orders_late, orders_defective=p.orders_defective,
                quality_bp=p.quality_bp, status=Seller.Status.ACTIVE,
            )
            for p in profiles
        ]
    )  # fmt: skip
    return [SellerRef(row.pk, p) for row, p in zip(rows, profiles, strict=True)]


def offers_create(
    variants: list[VariantPlan],
    sellers: list[SellerRef],
    plan: SizePlan,
    rng: random.Random,
    *,
    progress: bool = False,
) -> int:
    """Insert offers for every variant in batches; return how many."""
    pools = SellerPools(sellers)
    batch: list[Offer] = []
    count = 0
    with _bar(progress, len(variants), "Offers", "variant") as bar:
        for variant in variants:
            batch += variant_offers(
                rng, variant, pools, extra_seller_chances=plan.extra_seller_chances
            )
            if len(batch) >= OFFER_BATCH:
                Offer.objects.bulk_create(batch)
                count += len(batch)
                batch = []
            bar.update(1)
        Offer.objects.bulk_create(batch)
    return count + len(batch)


@contextmanager
def _step(report: SeedReport, name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report.seconds[name] = time.perf_counter() - started


@contextmanager
def _bar(enabled: bool, total: int, label: str, unit: str) -> Iterator[tqdm]:
    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, disable=not enabled,
              mininterval=0.5, dynamic_ncols=True) as bar:  # fmt: skip
        yield bar
