"""Writes for the catalog: listings (search documents) and the search vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import transaction

from recommerce.catalog.models import GRADES, Listing, SearchTerm, Variant, storage_label
from recommerce.catalog.search.engine import listings_changed
from recommerce.catalog.text import words

# Extra words a shopper may type for a category, so "phone" finds smartphones.
CATEGORY_SYNONYMS: dict[str, str] = {
    "smartphones": "phone mobile cellphone smartphone",
    "laptops": "laptop notebook computer",
    "tablets": "tablet",
    "smartwatches": "watch smartwatch",
    "consoles": "console gaming",
    "audio": "headphones earbuds speaker",
    "desktops": "desktop computer pc",
    "cameras": "camera photo",
    "e-readers": "ereader reader ebook",
}


def _listing_texts(variant: Variant) -> tuple[str, str, str]:
    model = variant.device_model
    title = f"{model.brand.name} {model.name}"
    subtitle = variant.label
    extra = [
        model.category.name,
        CATEGORY_SYNONYMS.get(model.category.slug, ""),
        str(model.release_year),
    ]
    if variant.storage_gb:
        extra += [storage_label(variant.storage_gb).replace(" ", ""), f"{variant.storage_gb}gb"]
    search_text = " ".join(words(" ".join([title, subtitle, *extra])))
    return title, subtitle, search_text


def listing_for_variant(variant: Variant, *, image: str = "", popularity: int = 0) -> Listing:
    """Build (without saving) the listing of ``variant``; its device model must be loaded."""
    title, subtitle, search_text = _listing_texts(variant)
    model = variant.device_model
    return Listing(
        variant=variant,
        device_model_id=model.pk,
        category_id=model.category_id,
        brand_id=model.brand_id,
        title=title,
        subtitle=subtitle,
        search_text=search_text,
        model_slug=model.slug,
        image=image,
        storage_gb=variant.storage_gb,
        release_year=model.release_year,
        popularity=popularity,
    )


@transaction.atomic
def listings_rebuild(*, variant_ids: Iterable[int] | None = None, batch_size: int = 2000) -> int:
    """Create or refresh the text part of the listings, keeping prices and popularity."""
    variants = Variant.objects.select_related(
        "device_model__brand", "device_model__category"
    ).prefetch_related("device_model__images")
    if variant_ids is not None:
        variants = variants.filter(pk__in=list(variant_ids))
    existing = {
        row["variant_id"]: row
        for row in Listing.objects.filter(variant__in=variants).values("variant_id", "popularity")
    }
    to_create: list[Listing] = []
    to_update: list[Listing] = []
    for variant in variants.iterator(chunk_size=batch_size):
        images = list(variant.device_model.images.all())
        image = images[0].image.name if images else ""
        known = existing.get(variant.pk)
        listing = listing_for_variant(
            variant, image=image, popularity=known["popularity"] if known else 0
        )
        (to_update if known else to_create).append(listing)
    Listing.objects.bulk_create(to_create, batch_size=batch_size)
    Listing.objects.bulk_update(
        to_update,
        [
            "title",
            "subtitle",
            "search_text",
            "model_slug",
            "image",
            "storage_gb",
            "release_year",
            "category",
            "brand",
        ],
        batch_size=batch_size,
    )
    listings_changed()
    return len(to_create) + len(to_update)


def listing_market_update(
    *, variant_id: int, prices_by_grade: Mapping[str, int | None], offer_count: int
) -> None:
    """Store the best price of each grade and the number of offers of one variant.

    Called by the offers app whenever an offer of the variant changes.
    """
    values = _market_values(prices_by_grade, offer_count)
    Listing.objects.filter(variant_id=variant_id).update(**values)
    listings_changed()


def listings_market_bulk_update(
    rows: Iterable[tuple[int, Mapping[str, int | None], int]], *, batch_size: int = 2000
) -> int:
    """Apply many market updates at once: ``(variant_id, prices_by_grade, offer_count)``."""
    fields = [f"price_{g}" for g in GRADES] + ["price_from", "offer_count"]
    batch: list[Listing] = []
    count = 0
    for variant_id, prices, offer_count in rows:
        batch.append(Listing(variant_id=variant_id, **_market_values(prices, offer_count)))
        if len(batch) >= batch_size:
            Listing.objects.bulk_update(batch, fields, batch_size=batch_size)
            count += len(batch)
            batch = []
    if batch:
        Listing.objects.bulk_update(batch, fields, batch_size=batch_size)
        count += len(batch)
    listings_changed()
    return count


def _market_values(
    prices_by_grade: Mapping[str, int | None], offer_count: int
) -> dict[str, int | None]:
    unknown = set(prices_by_grade) - set(GRADES)
    if unknown:
        raise ValueError(f"Unknown grades: {sorted(unknown)}")
    values: dict[str, int | None] = {f"price_{g}": prices_by_grade.get(g) for g in GRADES}
    present = [p for p in values.values() if p is not None]
    values["price_from"] = min(present) if present else None
    values["offer_count"] = offer_count
    return values


@transaction.atomic
def search_terms_rebuild() -> int:
    """Rebuild the vocabulary used to correct typos from the words of every listing."""
    counts: Counter[str] = Counter()
    for text in Listing.objects.values_list("search_text", flat=True).iterator(chunk_size=5000):
        counts.update(text.split())
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t[:64], frequency=n) for t, n in counts.items()], batch_size=5000
    )
    return len(counts)
