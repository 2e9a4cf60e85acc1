"""Review figures and the latest reviews, for pages of other apps (product, seller).

Templates are not imports: the offers app's pages load this library, so the layer order
(support above them) holds. The block is a cached fragment keyed on the reviews' version
(``REVIEWS_VERSION``, moved by every review written, hidden or restored), so a repeat view
reads nothing from the database and a change shows at once. Nothing personal to the
viewer is inside it: signed-in people get a "Report" link to a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import template
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from recommerce.accounts.models import Seller
from recommerce.catalog.models import DeviceModel
from recommerce.platform.versions import version_get
from recommerce.support.models import Review
from recommerce.support.selectors import feedback as selectors
from recommerce.support.services.feedback import REVIEWS_VERSION

register = template.Library()
PER_PAGE = 5
PAGE_PARAMETER = "reviews"


class ReviewsBlock:
    """What a block of reviews shows, read on first use: on a cached fragment nothing is."""

    def __init__(
        self,
        *,
        kind: str,
        subject_id: int,
        about: str,
        own_container: bool,
        figures: Callable[[], selectors.RatingFigures],
        reviews: Callable[[], QuerySet[Review]],
        request: Any,
    ) -> None:
        self.kind, self.subject_id, self.about = kind, subject_id, about
        self.own_container = own_container
        self._figures, self._reviews = figures, reviews
        raw = request.GET.get(PAGE_PARAMETER, "1") if request is not None else "1"
        self.page_number = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
        user = getattr(request, "user", None)
        self.signed_in = bool(user is not None and user.is_authenticated)
        self.next = request.path if request is not None else ""
        self.version = version_get(REVIEWS_VERSION)

    @cached_property
    def figures(self) -> selectors.RatingFigures:
        return self._figures()

    @cached_property
    def page(self) -> Page[Review]:
        return Paginator(self._reviews(), PER_PAGE).get_page(self.page_number)


@register.inclusion_tag("support/feedback/_public_reviews.html", takes_context=True)
def device_model_reviews(context: template.Context, device_model: DeviceModel) -> dict[str, Any]:
    """Show the device model's rating, review count and latest published reviews."""
    block = ReviewsBlock(
        kind="model",
        subject_id=device_model.pk,
        about=str(device_model),
        # Called after the product page's own container closes.
        own_container=True,
        figures=lambda: selectors.device_model_review_figures(device_model=device_model),
        reviews=lambda: selectors.device_model_reviews(device_model=device_model),
        request=context.get("request"),
    )
    return {"block": block, "request": context.get("request")}


@register.inclusion_tag("support/feedback/_public_reviews.html", takes_context=True)
def seller_reviews(context: template.Context, seller: Seller) -> dict[str, Any]:
    """Show the seller's rating, review count and latest published reviews."""
    block = ReviewsBlock(
        kind="seller",
        subject_id=seller.pk,
        about=seller.name,
        own_container=False,
        figures=lambda: selectors.seller_review_figures(seller=seller),
        reviews=lambda: selectors.seller_reviews(seller=seller),
        request=context.get("request"),
    )
    return {"block": block, "request": context.get("request")}


@register.inclusion_tag("support/feedback/_stars.html")
def review_stars(rating: int) -> dict[str, Any]:
    """Show a rating as five stars, read out as "Rated 4 out of 5"."""
    return {"rating": rating, "stars": "★" * rating + "☆" * (5 - rating)}
