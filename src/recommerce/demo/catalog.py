"""Writing the generated catalog: categories, brands, device models, pictures, variants."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from recommerce.catalog.models import Brand, Category, DeviceModel, ProductImage, Variant
from recommerce.demo import images, pricing
from recommerce.demo.data import (
    BRAND_DEMAND,
    BRANDS,
    CATEGORIES,
    CATEGORY_BY_SLUG,
    REFERENCE_YEAR,
    ModelSpec,
)

BATCH = 2000
# How much of a model's attention each option position gets: the base configuration and
# the first colours sell best.
STORAGE_SHARE = (1.0, 0.6, 0.35, 0.2, 0.12)
RAM_SHARE = (1.0, 0.55, 0.3)
COLOUR_SHARE = (1.0, 0.75, 0.55, 0.45, 0.35, 0.3, 0.25)
CONNECTIVITY_SHARE = (1.0, 0.35)
LAYOUT_SHARE = (1.0, 0.8, 0.65, 0.35, 0.3, 0.3, 0.2, 0.15, 0.15)


@dataclass(frozen=True, slots=True)
class Options:
    """Which of a model's options a size includes."""

    max_storages: int
    max_rams: int
    max_colours: int
    layouts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VariantPlan:
    """What offer generation needs to know about one inserted variant."""

    variant_id: int
    model: ModelSpec
    launch_eur: int
    popularity: int


@dataclass(frozen=True, slots=True)
class VariantOption:
    storage_gb: int | None
    ram_gb: int | None
    colour: str
    connectivity: str
    layout: str
    share: float  # of the model's popularity


def variant_options(model: ModelSpec, options: Options) -> list[VariantOption]:
    """Return every option combination of ``model`` that ``options`` includes."""
    storages: Sequence[int | None] = model.storages[: options.max_storages] or (None,)
    rams: Sequence[int | None] = model.rams[: options.max_rams] or (None,)
    colours: Sequence[str] = model.colours[: options.max_colours] or ("",)
    links: Sequence[str] = model.connectivity or ("",)
    layouts: Sequence[str] = options.layouts if model.keyboard else ("",)
    found = []
    for (s, storage), (r, ram), (c, colour), (k, link), (i, layout) in itertools.product(
        enumerate(storages), enumerate(rams), enumerate(colours), enumerate(links),
        enumerate(layouts),
    ):  # fmt: skip
        share = (
            _at(STORAGE_SHARE, s) * _at(RAM_SHARE, r) * _at(COLOUR_SHARE, c)
            * _at(CONNECTIVITY_SHARE, k) * _at(LAYOUT_SHARE, i)
        )  # fmt: skip
        found.append(VariantOption(storage, ram, colour, link, layout, share))
    return found


def variant_count(model: ModelSpec, options: Options) -> int:
    """Return how many variants ``model`` gets with ``options``."""
    return (
        max(1, len(model.storages[: options.max_storages]))
        * max(1, len(model.rams[: options.max_rams]))
        * max(1, len(model.colours[: options.max_colours]))
        * max(1, len(model.connectivity))
        * (len(options.layouts) if model.keyboard else 1)
    )


def _at(shares: tuple[float, ...], index: int) -> float:
    return shares[min(index, len(shares) - 1)]


def model_popularity(models: Sequence[ModelSpec], rng: random.Random) -> list[int]:
    """Return a Zipf-like popularity per model: newer, dearer and sought-after brands first."""
    medians: dict[str, float] = {}
    for slug in CATEGORY_BY_SLUG:
        prices = sorted(m.price for m in models if m.category == slug)
        medians[slug] = prices[len(prices) // 2] if prices else 1.0
    scores = []
    for model in models:
        age = max(0, REFERENCE_YEAR - model.year)
        flagship = min(1.4, max(0.7, (model.price / medians[model.category]) ** 0.3))
        score = (
            CATEGORY_BY_SLUG[model.category].demand * BRAND_DEMAND.get(model.brand, 1.0)
            * 0.78**age * flagship * rng.uniform(0.8, 1.25)
        )  # fmt: skip
        scores.append(score)
    ranks = sorted(range(len(models)), key=lambda i: -scores[i])
    popularity = [0] * len(models)
    for rank, index in enumerate(ranks):
        popularity[index] = round(30_000 / (rank + 1) ** 0.95) + 5
    return popularity


def _description(model: ModelSpec) -> str:
    specs = "; ".join(f"{name.lower()}: {value}" for name, value in model.specs)
    return (
        f"The {model.brand} {model.name}, released in {model.year}. {specs.capitalize()}. "
        "Refurbished, tested and graded, with a warranty of at least 12 months."
    )


def categories_create() -> dict[str, Category]:
    """Create the nine top-level categories."""
    Category.objects.bulk_create(
        Category(name=c.name, slug=c.slug, description=c.description, position=i)
        for i, c in enumerate(CATEGORIES)
    )
    return {c.slug: c for c in Category.objects.all()}


def brands_create(names: Iterable[str]) -> dict[str, Brand]:
    """Create the brands in ``names`` (each once)."""
    unique = sorted(set(names))
    unknown = [n for n in unique if n not in BRANDS]
    if unknown:
        raise ValueError(f"Brands missing from the reference data: {unknown}")
    Brand.objects.bulk_create(Brand(name=n, slug=slugify(n)) for n in unique)
    return {b.name: b for b in Brand.objects.all()}


def models_create(
    models: Sequence[ModelSpec],
    *,
    options: Options,
    shared_images: bool,
    rng: random.Random,
    on_model: Callable[[int], None] = lambda n: None,
) -> tuple[list[VariantPlan], int]:
    """Insert device models with their pictures and variants; return the plans and image count."""
    categories = categories_create()
    brands = brands_create(m.brand for m in models)
    popularity = model_popularity(models, rng)
    plans: list[VariantPlan] = []
    image_count = 0
    shared: dict[str, str] = {}
    slugs = _unique_slugs(models)
    for start in range(0, len(models), BATCH // 4):
        chunk = list(enumerate(models[start : start + BATCH // 4], start))
        rows = DeviceModel.objects.bulk_create(
            [
                DeviceModel(
                    category=categories[m.category], brand=brands[m.brand], name=m.name,
                    slug=slugs[i], release_year=m.year, description=_description(m),
                    specs=dict(m.specs), new_price_minor=m.price * 100,
                )
                for i, m in chunk
            ]
        )  # fmt: skip
        pictures: list[ProductImage] = []
        variants: list[Variant] = []
        meta: list[tuple[ModelSpec, int, int]] = []
        for (index, spec), row in zip(chunk, rows, strict=True):
            for position, colour in enumerate(spec.colours[:2] or ("",)):
                if shared_images:
                    name, svg = images.shared_picture(
                        category=spec.category,
                        category_name=categories[spec.category].name,
                        colour=colour,
                    )
                    if name not in shared:
                        shared[name] = images.store_svg(name, svg)
                    stored = shared[name]
                else:
                    stored = images.model_picture(
                        slug=row.slug, position=position, category=spec.category,
                        title=f"{spec.brand} {spec.name}", brand=spec.brand, colour=colour,
                    )  # fmt: skip
                alt = f"{spec.brand} {spec.name}" + (f" in {colour}" if colour else "")
                pictures.append(
                    ProductImage(
                        device_model=row,
                        image=stored,
                        alt=alt[:200],
                        colour=colour,
                        position=position,
                    )
                )
            info = CATEGORY_BY_SLUG[spec.category]
            for number, option in enumerate(variant_options(spec, options)):
                variants.append(
                    Variant(
                        device_model=row, sku=f"RC{index:05d}-{number:03d}",
                        storage_gb=option.storage_gb, ram_gb=option.ram_gb, colour=option.colour,
                        connectivity=option.connectivity, keyboard_layout=option.layout,
                    )
                )  # fmt: skip
                launch = pricing.variant_launch_price(
                    spec, storage_gb=option.storage_gb, ram_gb=option.ram_gb,
                    connectivity=option.connectivity, storage_step=info.storage_step,
                    ram_step=info.ram_step, cellular_step=info.cellular_step,
                )  # fmt: skip
                weight = popularity[index] * option.share * rng.uniform(0.85, 1.15)
                meta.append((spec, launch, max(1, math.floor(weight))))
        ProductImage.objects.bulk_create(pictures, batch_size=BATCH)
        image_count += len(pictures)
        created = Variant.objects.bulk_create(variants, batch_size=BATCH)
        plans += [
            VariantPlan(variant.pk, spec, launch, pop)
            for variant, (spec, launch, pop) in zip(created, meta, strict=True)
        ]
        on_model(len(chunk))
    return plans, image_count


def _unique_slugs(models: Sequence[ModelSpec]) -> list[str]:
    """Return a slug per model, numbering the rare names that slugify alike."""
    seen: set[str] = set()
    slugs = []
    for model in models:
        base = slugify(f"{model.brand} {model.name}")[:150]
        slug, n = base, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        slugs.append(slug)
    return slugs
