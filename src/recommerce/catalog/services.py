"""Writes for the catalog: listings (search documents) and the search vocabulary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from django.db import connection, transaction

from recommerce.catalog.models import (
    GRADES,
    Listing,
    SearchTerm,
    Variant,
    images_for_colour,
    storage_label,
)
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
        images = images_for_colour(list(variant.device_model.images.all()), variant.colour)
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


def listing_market_lock(*, variant_id: int) -> None:
    """Hold the variant's listing row until the transaction ends.

    Refreshes of one variant's market then run one after another, and each reads the
    offers only once the previous one has committed: without it, a refresh that read the
    offers before another sold out its best offer could write that offer back as the best.
    """
    list(Listing.objects.select_for_update().filter(variant_id=variant_id).values_list("pk"))


def listing_market_update(
    *, variant_id: int, prices_by_grade: Mapping[str, int | None], offer_count: int
) -> None:
    """Store the best price of each grade and the number of offers of one variant.

    Called by the offers app whenever an offer of the variant changes.
    """
    values = _market_values(prices_by_grade, offer_count)
    Listing.objects.filter(variant_id=variant_id).update(**values)
    listings_changed()


MARKET_FIELDS = (*(f"price_{g}" for g in GRADES), "price_from", "offer_count")


def _update_from_values(columns: Sequence[str], rows: list[tuple[int | None, ...]]) -> None:
    """Set integer ``columns`` of many listings in one statement: (variant_id, *values) rows.

    ``UPDATE ... FROM (VALUES ...)`` runs on SQLite 3.33+ and PostgreSQL alike, and costs one
    statement per batch instead of the long CASE expressions of ``bulk_update``.
    """
    if not rows:
        return
    width = len(columns) + 1
    placeholders = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
    assignments = ", ".join(
        f"{column} = CAST(v.column{i} AS INTEGER)" for i, column in enumerate(columns, 2)
    )
    # Column names come from MARKET_FIELDS / the code, never from input; values are bound.
    sql = (
        f"UPDATE catalog_listing SET {assignments} FROM (VALUES {placeholders}) AS v "  # noqa: S608
        "WHERE catalog_listing.variant_id = CAST(v.column1 AS INTEGER)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _update_in_batches(
    columns: Sequence[str], rows: Iterable[tuple[int | None, ...]], batch_size: int
) -> int:
    # SQLite allows 32,766 bound parameters per statement.
    batch_size = min(batch_size, 30_000 // (len(columns) + 1))
    count = 0
    batch: list[tuple[int | None, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            _update_from_values(columns, batch)
            count += len(batch)
            batch = []
    _update_from_values(columns, batch)
    listings_changed()
    return count + len(batch)


@transaction.atomic
def listings_market_bulk_update(
    rows: Iterable[tuple[int, Mapping[str, int | None], int]], *, batch_size: int = 2000
) -> int:
    """Apply many market updates at once: ``(variant_id, prices_by_grade, offer_count)``."""

    def values() -> Iterable[tuple[int | None, ...]]:
        for variant_id, prices, offer_count in rows:
            market = _market_values(prices, offer_count)
            yield (variant_id, *(market[field] for field in MARKET_FIELDS))

    return _update_in_batches(MARKET_FIELDS, values(), batch_size)


@transaction.atomic
def listings_popularity_set(popularity: Mapping[int, int], *, batch_size: int = 5000) -> int:
    """Store how popular each listed variant is (variant id -> score, higher first)."""
    return _update_in_batches(("popularity",), popularity.items(), batch_size)


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
