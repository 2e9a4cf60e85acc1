"""Review figures and the latest reviews, for pages of other apps (product, seller).

Templates are not imports: the catalog's and the offers' pages load this library, so the
layer order (support above them) holds. Each tag reads the reviews itself; the product
page calls it outside its cached fragment, so a new or hidden review shows at once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Paginator
from django.db.models import QuerySet

from recommerce.accounts.models import Seller
from recommerce.catalog.models import DeviceModel
from recommerce.support.models import Review
from recommerce.support.selectors import feedback as selectors

register = template.Library()
PER_PAGE = 5
PAGE_PARAMETER = "reviews"


def _block(
    context: template.Context,
    *,
    about: str,
    anchor: str,
    own_container: bool,
    figures: selectors.RatingFigures,
    reviews: QuerySet[Review],
) -> dict[str, Any]:
    request = context.get("request")
    number = request.GET.get(PAGE_PARAMETER) if request is not None else None
    page = Paginator(reviews, PER_PAGE).get_page(number)
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "about": about,
        "anchor": anchor,
        "own_container": own_container,
        "figures": figures,
        "page": page,
        "page_parameter": PAGE_PARAMETER,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "signed_in": signed_in,
        "reported": selectors.reviews_reported_by(
            user=user, review_ids=[review.pk for review in page.object_list]
        )
        if signed_in
        else set(),
        "next": request.get_full_path() if request is not None else "",
    }


@register.inclusion_tag("support/feedback/_public_reviews.html", takes_context=True)
def device_model_reviews(context: template.Context, device_model: DeviceModel) -> dict[str, Any]:
    """Show the device model's rating, review count and latest published reviews."""
    return _block(
        context,
        about=str(device_model),
        anchor="reviews",
        # Called after the product page's own container closes.
        own_container=True,
        figures=selectors.device_model_review_figures(device_model=device_model),
        reviews=selectors.device_model_reviews(device_model=device_model),
    )


@register.inclusion_tag("support/feedback/_public_reviews.html", takes_context=True)
def seller_reviews(context: template.Context, seller: Seller) -> dict[str, Any]:
    """Show the seller's rating, review count and latest published reviews."""
    return _block(
        context,
        about=seller.name,
        anchor="reviews",
        own_container=False,
        figures=selectors.seller_review_figures(seller=seller),
        reviews=selectors.seller_reviews(seller=seller),
    )


@register.inclusion_tag("support/feedback/_stars.html")
def review_stars(rating: int) -> dict[str, Any]:
    """Show a rating as five stars, read out as "Rated 4 out of 5"."""
    return {"rating": rating, "stars": "★" * rating + "☆" * (5 - rating)}
