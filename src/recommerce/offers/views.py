"""Product page (offers per grade) and public seller page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors as account_selectors
from recommerce.catalog import selectors as catalog_selectors
from recommerce.catalog.models import Variant, storage_label
from recommerce.catalog.views import nav_categories
from recommerce.offers import selectors
from recommerce.offers.grading import EVERY_GRADE_PROMISE, GRADE_DEFINITIONS, Grade
from recommerce.offers.selectors import GradeOffers


@dataclass(frozen=True)
class VariantOption:
    label: str
    url: str
    selected: bool
    price_from: int | None


@dataclass(frozen=True)
class OptionGroup:
    name: str
    options: list[VariantOption]


@dataclass(frozen=True)
class GradeTab:
    grade: str
    label: str
    definition: str
    offers: GradeOffers | None


# Attributes a shopper chooses between, with how each value reads on the page.
VARIANT_ATTRIBUTES: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("storage_gb", "Storage", storage_label),
    ("ram_gb", "Memory", lambda v: f"{v} GB RAM"),
    ("colour", "Colour", str),
    ("connectivity", "Connectivity", str),
    ("keyboard_layout", "Keyboard", str),
)


def _price_from(variant: Variant) -> int | None:
    try:
        return variant.listing.price_from
    except ObjectDoesNotExist:
        return None


def variant_options(variant: Variant, siblings: list[Variant]) -> list[OptionGroup]:
    """Group the sibling variants by attribute, for one selector per attribute.

    Each value links to the sibling that keeps as many of the current choices as possible,
    so changing the colour keeps the storage when that combination exists.
    """
    groups = []
    for attribute, name, label in VARIANT_ATTRIBUTES:
        values = list(
            dict.fromkeys(getattr(s, attribute) for s in siblings if getattr(s, attribute))
        )
        if len(values) < 2:
            continue
        others = [a for a, _, _ in VARIANT_ATTRIBUTES if a != attribute]
        options = []
        for value in values:
            matching = [s for s in siblings if getattr(s, attribute) == value]
            target = max(
                matching,
                key=lambda s: (
                    s.pk == variant.pk,
                    sum(getattr(s, a) == getattr(variant, a) for a in others),
                    _price_from(s) is not None,
                ),
            )
            options.append(
                VariantOption(
                    label=label(value),
                    url=target.get_absolute_url(),
                    selected=getattr(variant, attribute) == value,
                    price_from=_price_from(target),
                )
            )
        groups.append(OptionGroup(name=name, options=options))
    return groups


def product_page(request: HttpRequest, slug: str, variant_id: int) -> HttpResponse:
    variant = catalog_selectors.variant_get(variant_id=variant_id)
    if variant is None:
        raise Http404("No such product.")
    if variant.device_model.slug != slug:
        return redirect(variant.get_absolute_url(), permanent=True)
    grades = selectors.product_offers_by_grade(variant=variant)
    chosen = request.GET.get("grade", "")
    selected = next((g for g in grades if g.grade == chosen), grades[0] if grades else None)
    by_grade = {g.grade: g for g in grades}
    siblings = catalog_selectors.variant_siblings(device_model=variant.device_model)
    return render(
        request,
        "offers/product.html",
        {
            "variant": variant,
            "model": variant.device_model,
            "siblings": siblings,
            "variant_options": variant_options(variant, siblings),
            "variant_specs": [
                (name, label(getattr(variant, attribute)))
                for attribute, name, label in VARIANT_ATTRIBUTES
                if getattr(variant, attribute)
            ],
            "images": list(variant.device_model.images.all()),
            "grades": grades,
            "grade_tabs": [
                GradeTab(g.value, g.label, GRADE_DEFINITIONS[g], by_grade.get(g.value))
                for g in Grade
            ],
            "selected": selected,
            "grade_definitions": GRADE_DEFINITIONS,
            "grade_promise": EVERY_GRADE_PROMISE,
            "nav_categories": nav_categories(),
        },
    )


def seller_page(request: HttpRequest, slug: str) -> HttpResponse:
    seller = account_selectors.seller_get_by_slug(slug=slug)
    if seller is None:
        raise Http404("No such seller.")
    return render(
        request,
        "offers/seller.html",
        {
            "seller": seller,
            "summary": selectors.seller_offer_summary(seller=seller),
            "listings": selectors.seller_listings(seller=seller),
            "nav_categories": nav_categories(),
        },
    )
