"""Categories, brands, device models, their variants, images and the search listing."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from django.db import models
from django.urls import get_script_prefix, reverse

from recommerce.platform.models import TimeStampedModel

GRADES = ("premium", "excellent", "good", "fair")


class Category(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", kwargs={"slug": self.slug})


class Brand(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeviceModel(TimeStampedModel):
    """A device as its manufacturer names it, e.g. "iPhone 13" or "ThinkPad T14 Gen 3"."""

    category = models.ForeignKey(Category, related_name="device_models", on_delete=models.PROTECT)
    brand = models.ForeignKey(Brand, related_name="device_models", on_delete=models.PROTECT)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=160, unique=True)
    release_year = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    specs = models.JSONField(default=dict, blank=True, help_text="Specification name -> value")
    new_price_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="Launch price when new, in minor units"
    )

    class Meta:
        ordering = ["brand__name", "name"]

    def __str__(self) -> str:
        return f"{self.brand.name} {self.name}"


class Variant(models.Model):
    """One sellable configuration of a device model."""

    device_model = models.ForeignKey(DeviceModel, related_name="variants", on_delete=models.CASCADE)
    sku = models.CharField(max_length=64, unique=True)
    storage_gb = models.PositiveIntegerField(null=True, blank=True)
    ram_gb = models.PositiveSmallIntegerField(null=True, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    connectivity = models.CharField(max_length=40, blank=True)
    keyboard_layout = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["device_model_id", "storage_gb", "colour", "id"]

    def __str__(self) -> str:
        return f"{self.device_model} {self.label}"

    def get_absolute_url(self) -> str:
        return product_url(self.device_model.slug, self.pk)

    @property
    def label(self) -> str:
        """Return the variant's distinguishing attributes, e.g. "128 GB · Blue · Unlocked"."""
        return variant_label(self)


class VariantAttributes(Protocol):
    @property
    def storage_gb(self) -> int | None: ...
    @property
    def ram_gb(self) -> int | None: ...
    @property
    def colour(self) -> str: ...
    @property
    def connectivity(self) -> str: ...
    @property
    def keyboard_layout(self) -> str: ...


def variant_label(variant: VariantAttributes) -> str:
    parts = []
    if variant.storage_gb:
        parts.append(storage_label(variant.storage_gb))
    if variant.ram_gb:
        parts.append(f"{variant.ram_gb} GB RAM")
    parts += [p for p in (variant.colour, variant.connectivity, variant.keyboard_layout) if p]
    return " · ".join(parts)


@lru_cache(maxsize=1)
def _product_path_pattern() -> str:
    path = reverse("offers:product", kwargs={"slug": "SLUG", "variant_id": 999_999_999})
    return path.removeprefix(get_script_prefix())


def product_url(slug: str, variant_id: int) -> str:
    """Return a product page's URL, as ``reverse`` would, without resolving it each time.

    Listing pages build dozens of these; the route is resolved once and filled in.
    """
    # The id goes in first, so a slug that happens to contain the placeholder digits is safe.
    path = _product_path_pattern().replace("999999999", str(variant_id), 1)
    path = path.replace("SLUG", slug, 1)
    return get_script_prefix() + path


def storage_label(gb: int) -> str:
    return f"{gb // 1024} TB" if gb >= 1024 and gb % 1024 == 0 else f"{gb} GB"


class ProductImage(models.Model):
    device_model = models.ForeignKey(DeviceModel, related_name="images", on_delete=models.CASCADE)
    image = models.FileField(upload_to="catalog/")
    alt = models.CharField(max_length=200)
    colour = models.CharField(
        max_length=40, blank=True, help_text="The colour it shows; blank when it suits any"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


def images_for_colour(images: list[ProductImage], colour: str) -> list[ProductImage]:
    """Order a model's pictures for one variant: its colour first, then neutral ones."""
    wanted = colour.casefold()

    def rank(image: ProductImage) -> int:
        shown = image.colour.casefold()
        return 0 if shown and shown == wanted else 1 if not shown else 2

    return sorted(images, key=lambda image: (rank(image), image.position, image.pk or 0))


class Listing(models.Model):
    """The search document of one variant, with the market summary offers keep up to date.

    Denormalised so browsing, faceting and search read one table. ``price_<grade>`` is the
    price of that grade's best offer (None when no offer is in stock); the offers app writes
    them through ``catalog.services.listing_market_update``.
    """

    variant = models.OneToOneField(
        Variant, primary_key=True, related_name="listing", on_delete=models.CASCADE
    )
    device_model = models.ForeignKey(DeviceModel, related_name="+", on_delete=models.CASCADE)
    category = models.ForeignKey(Category, related_name="+", on_delete=models.PROTECT)
    brand = models.ForeignKey(Brand, related_name="+", on_delete=models.PROTECT)
    title = models.CharField(max_length=255)
    subtitle = models.CharField(max_length=255, blank=True)
    search_text = models.TextField(blank=True)
    model_slug = models.SlugField(max_length=160)
    image = models.CharField(max_length=255, blank=True)
    storage_gb = models.PositiveIntegerField(null=True, blank=True)
    release_year = models.PositiveSmallIntegerField()
    price_premium = models.PositiveIntegerField(null=True, blank=True)
    price_excellent = models.PositiveIntegerField(null=True, blank=True)
    price_good = models.PositiveIntegerField(null=True, blank=True)
    price_fair = models.PositiveIntegerField(null=True, blank=True)
    price_from = models.PositiveIntegerField(null=True, blank=True)
    offer_count = models.PositiveIntegerField(default=0)
    popularity = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["category", "popularity"]),
            models.Index(fields=["category", "price_from"]),
            models.Index(fields=["brand", "popularity"]),
            models.Index(fields=["popularity"]),
            models.Index(fields=["price_from"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return product_url(self.model_slug, self.variant_id)

    def grade_prices(self) -> dict[str, int | None]:
        return {grade: getattr(self, f"price_{grade}") for grade in GRADES}

    # Set by the search on the listings it returns: the grades a shopper filtered on, and
    # the lowest price among them, which is also the price the results are sorted by.
    shown_grades: tuple[str, ...] = ()
    shown_price_minor: int | None = None

    @property
    def shown_price(self) -> int | None:
        """Return the price a card shows: the filtered grades' lowest, else ``price_from``."""
        if self.shown_grades and self.shown_price_minor is not None:
            return self.shown_price_minor
        return self.price_from

    @property
    def shown_grades_label(self) -> str:
        """Return the filtered grades as a card names them ("Excellent or Good"), or ""."""
        return " or ".join(grade.capitalize() for grade in self.shown_grades)


class SearchTerm(models.Model):
    """A word that occurs in listings, used to correct typos in queries."""

    term = models.CharField(max_length=64, unique=True)
    frequency = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term
