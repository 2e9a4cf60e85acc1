"""Product page (offers per grade) and public seller page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors as account_selectors
from recommerce.catalog import selectors as catalog_selectors
from recommerce.offers import selectors
from recommerce.offers.grading import EVERY_GRADE_PROMISE, GRADE_DEFINITIONS, Grade
from recommerce.offers.selectors import GradeOffers


@dataclass(frozen=True)
class GradeTab:
    grade: str
    label: str
    definition: str
    offers: GradeOffers | None


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
    catalog_part = catalog_selectors.variant_page(variant=variant)
    return render(
        request,
        "offers/product.html",
        {
            "variant": variant,
            "model": variant.device_model,
            "variant_options": catalog_part.options,
            "variant_specs": catalog_part.attributes,
            "images": catalog_part.images,
            "grades": grades,
            "grade_tabs": [
                GradeTab(g.value, g.label, GRADE_DEFINITIONS[g], by_grade.get(g.value))
                for g in Grade
            ],
            "selected": selected,
            "grade_definitions": GRADE_DEFINITIONS,
            "grade_promise": EVERY_GRADE_PROMISE,
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
        },
    )
