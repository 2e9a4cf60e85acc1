"""The seller's offers on the web ("My offers"): list them, publish one, change one.

Open to the members of a seller whose role covers the catalogue (owner, catalog manager);
order managers and finance get a 403 page saying so. Every offer is read through the
member's own seller, so another seller's offer id answers 404 and changes nothing (SEC-2).
Publishing is refused by ``offer_create`` itself while the seller is not approved; the pages
also say why beforehand, with a link to the seller file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import SellerMembership
from recommerce.accounts.views.common import AuthedRequest, form_errors_from
from recommerce.catalog import selectors as catalog_selectors
from recommerce.catalog.models import Variant
from recommerce.offers import selectors, services
from recommerce.offers.forms import OfferCreateForm, OfferEditForm
from recommerce.offers.grading import MIN_BATTERY_HEALTH_PCT
from recommerce.platform.money import format_money

OFFER_ROLES = frozenset({SellerMembership.Role.OWNER, SellerMembership.Role.CATALOG})
PER_PAGE = 25
MAX_MATCHES = 50
MAX_QUERY_LENGTH = 100
# Words a seller types that name no model, brand or colour ("128 GB").
DUPLICATE_OFFER = (
    "You already have an offer for this product in this grade: change it from “My offers” instead."
)


def _variant_choices(text: str, chosen: str) -> tuple[QuerySet[Variant], int]:
    """Return the variants to offer in the select (first matches plus the one chosen)."""
    matches = catalog_selectors.variant_matches(text=text)
    ids = list(matches.values_list("pk", flat=True)[: MAX_MATCHES + 1])
    total = len(ids) if len(ids) <= MAX_MATCHES else matches.count()
    ids = ids[:MAX_MATCHES]
    if chosen.isdigit():
        ids.append(int(chosen))
    return catalog_selectors.variants_in_order(ids=ids), total


# --- Access -----------------------------------------------------------------------------------


def catalog_member(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in the seller's owner and catalog managers; hand the view their seller."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = account_selectors.seller_membership_for(user=request.user)
        if membership is None:
            raise Http404("You have no seller account.")
        if membership.role not in OFFER_ROLES:
            return render(
                request,
                "offers/seller/forbidden.html",
                {"membership": membership, "seller": membership.seller, "section": "offers"},
                status=403,
            )
        return view(request, membership, *args, **kwargs)

    return wrapped


def _context(membership: SellerMembership, **extra: Any) -> dict[str, Any]:
    return {"membership": membership, "seller": membership.seller, "section": "offers", **extra}


def _service_errors(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form, in words a seller understands."""
    if hasattr(error, "error_dict"):
        codes = {e.code for e in error.error_dict.get(NON_FIELD_ERRORS, [])}
        if "unique_together" in codes:
            form.add_error(None, DUPLICATE_OFFER)
            return
        if "price_minor" in error.error_dict:
            form.add_error("price", error.error_dict.pop("price_minor"))
    form_errors_from(form, error)


# --- Pages ------------------------------------------------------------------------------------


@catalog_member
def offer_list(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    offers = selectors.seller_offer_list(seller=membership.seller)
    page = Paginator(offers, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "offers/seller/list.html", _context(membership, page=page))


@catalog_member
def offer_new(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    seller = membership.seller
    # Not "q": the site header's search box would take it up as a storefront search.
    q = request.GET.get("find", "").strip()[:MAX_QUERY_LENGTH]
    data = request.POST if request.method == "POST" else None
    variants, total = _variant_choices(q, data.get("variant", "") if data else "")
    form = OfferCreateForm(
        data,
        variants=variants,
        initial={
            "warranty_months": seller.warranty_months,
            "battery_health_min_pct": MIN_BATTERY_HEALTH_PCT,
            "dispatch_days": 1,
            "stock": 1,
        },
    )
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            offer = services.offer_create(
                seller=seller,
                variant=values["variant"],
                grade=values["grade"],
                price_minor=values["price"],
                stock=values["stock"],
                warranty_months=values["warranty_months"],
                battery_health_min_pct=values["battery_health_min_pct"],
                dispatch_days=values["dispatch_days"],
                currency=settings.DEFAULT_CURRENCY,
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(
                request,
                f"Your offer is published: {offer.variant}, {offer.get_grade_display()}, "
                f"{format_money(offer.price_minor, offer.currency)}.",
            )
            return redirect("offers:seller_offers")
    return render(
        request,
        "offers/seller/new.html",
        _context(membership, form=form, q=q, match_count=total, max_matches=MAX_MATCHES),
        status=400 if form.errors else 200,
    )


@catalog_member
def offer_edit(request: AuthedRequest, membership: SellerMembership, offer_id: int) -> HttpResponse:
    offer = selectors.seller_offer_get(seller=membership.seller, offer_id=offer_id)
    if offer is None:
        raise Http404("No such offer.")
    form = OfferEditForm.for_offer(offer, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(
                offer=offer,
                price_minor=form.cleaned_data["price"],
                stock=form.cleaned_data["stock"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            offer.refresh_from_db()
            _service_errors(form, error)
        else:
            messages.success(request, f"Your offer of {offer.variant} is saved.")
            return redirect("offers:seller_offers")
    return render(
        request,
        "offers/seller/edit.html",
        _context(membership, offer=offer, form=form),
        status=400 if form.errors else 200,
    )
