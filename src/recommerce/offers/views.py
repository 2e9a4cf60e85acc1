"""Product page (offers per grade) and public seller page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors as account_selectors
from recommerce.catalog import selectors as catalog_selectors
from recommerce.catalog.models import Variant
from recommerce.catalog.search.engine import listings_version
from recommerce.offers import selectors
from recommerce.offers.grading import EVERY_GRADE_PROMISE, GRADE_DEFINITIONS, Grade
from recommerce.offers.selectors import GradeOffers


@dataclass(frozen=True)
class GradeTab:
    grade: str
    label: str
    definition: str
    offers: GradeOffers | None


class ProductPage:
    """What a product page shows, read on first use: on a cached page nothing is read."""

    def __init__(self, variant: Variant, chosen_grade: str) -> None:
        self.variant = variant
        self.chosen_grade = chosen_grade

    @cached_property
    def grades(self) -> list[GradeOffers]:
        return selectors.product_offers_by_grade(variant=self.variant)

    @cached_property
    def catalog_part(self) -> catalog_selectors.VariantPage:
        return catalog_selectors.variant_page(variant=self.variant)

    @cached_property
    def selected(self) -> GradeOffers | None:
        chosen = next((g for g in self.grades if g.grade == self.chosen_grade), None)
        return chosen or (self.grades[0] if self.grades else None)

    @cached_property
    def grade_tabs(self) -> list[GradeTab]:
        by_grade = {g.grade: g for g in self.grades}
        return [
            GradeTab(g.value, g.label, GRADE_DEFINITIONS[g], by_grade.get(g.value)) for g in Grade
        ]


# A page reflects every offer change at once, in every process (listings_version); this is
# only how long an unchanged page stays.
PRODUCT_PAGE_SECONDS = 300


def product_page(request: HttpRequest, slug: str, variant_id: int) -> HttpResponse:
    variant = catalog_selectors.variant_get_cached(variant_id=variant_id)
    if variant is None:
        raise Http404("No such product.")
    if variant.device_model.slug != slug:
        return redirect(variant.get_absolute_url(), permanent=True)
    chosen = request.GET.get("grade", "")
    page = ProductPage(variant, chosen if chosen in Grade.values else "")
    # The template calls these only when its cached fragment is missing.
    return render(
        request,
        "offers/product.html",
        {
            "variant": variant,
            "model": variant.device_model,
            "page_seconds": PRODUCT_PAGE_SECONDS,
            "page_version": listings_version(),
            "chosen_grade": page.chosen_grade,
            "grade_tabs": lambda: page.grade_tabs,
            "selected": lambda: page.selected,
            "variant_options": lambda: page.catalog_part.options,
            "variant_specs": lambda: page.catalog_part.attributes,
            "images": lambda: page.catalog_part.images,
            "grade_definitions": GRADE_DEFINITIONS,
            "grade_promise": EVERY_GRADE_PROMISE,
        },
    )


SELLER_PAGE_SIZE = 24


def seller_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a seller: its record and its own offers at its own prices, a page at a time."""
    seller = account_selectors.seller_get_by_slug(slug=slug)
    if seller is None:
        raise Http404("No such seller.")
    page = Paginator(selectors.seller_public_offers(seller=seller), SELLER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "offers/seller.html",
        {
            "seller": seller,
            "summary": selectors.seller_offer_summary(seller=seller),
            "page": page,
        },
    )
