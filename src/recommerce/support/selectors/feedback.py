"""Reads of feedback: review figures and lists, what a buyer may review, moderation, surveys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from recommerce.accounts.models import Seller, User
from recommerce.catalog.models import DeviceModel
from recommerce.orders.models import Order, OrderLine
from recommerce.support.models import Review, ReviewPhoto, ReviewReport, Survey


@dataclass(frozen=True, slots=True)
class RatingFigures:
    """How many published reviews, and their stars added up (integers only)."""

    count: int
    total: int

    @property
    def average_tenths(self) -> int:
        """Return the mean rating in tenths of a star, rounded half up: 45 for 4.5."""
        if not self.count:
            return 0
        return (self.total * 20 + self.count) // (2 * self.count)

    @property
    def average(self) -> str:
        """Return the mean rating with one decimal ("4.5"), or "" without reviews."""
        tenths = self.average_tenths
        return f"{tenths // 10}.{tenths % 10}" if self.count else ""


def _published() -> QuerySet[Review]:
    return Review.objects.filter(status=Review.Status.PUBLISHED)


def figures_of(reviews: QuerySet[Review]) -> RatingFigures:
    """Return the count and the stars added up of ``reviews``, in one query."""
    found = reviews.aggregate(count=Count("id"), total=Sum("rating"))
    return RatingFigures(count=found["count"], total=found["total"] or 0)


def _listed(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("device_model", "seller").prefetch_related("photos")


def device_model_review_figures(*, device_model: DeviceModel) -> RatingFigures:
    return figures_of(_published().filter(device_model=device_model))


def device_model_reviews(*, device_model: DeviceModel) -> QuerySet[Review]:
    """Return the device model's published reviews, newest first (paginate the result)."""
    return _listed(_published().filter(device_model=device_model))


def seller_review_figures(*, seller: Seller) -> RatingFigures:
    return figures_of(_published().filter(seller=seller))


def seller_reviews(*, seller: Seller, published_only: bool = True) -> QuerySet[Review]:
    """Return the seller's reviews, newest first: the public ones, or all for the seller."""
    found = _published() if published_only else Review.objects.all()
    return _listed(found.filter(seller=seller))


def reviews_public(
    *, device_model_slug: str = "", seller_id: int | None = None
) -> QuerySet[Review]:
    """Return published reviews, newest first, of one device model and/or one seller."""
    found = _published()
    if device_model_slug:
        found = found.filter(device_model__slug=device_model_slug)
    if seller_id is not None:
        found = found.filter(seller_id=seller_id)
    return _listed(found)


def review_published_get(*, review_id: int) -> Review | None:
    return _published().filter(pk=review_id).first()


def review_get(*, review_id: int) -> Review | None:
    return (
        Review.objects.select_related("author", "seller", "device_model")
        .filter(pk=review_id)
        .first()
    )


def reviews_reported_by(*, user: Any, review_ids: Iterable[int]) -> set[int]:
    """Return which of ``review_ids`` ``user`` has already reported (none when signed out)."""
    if not isinstance(user, User):
        return set()
    return set(
        ReviewReport.objects.filter(reporter=user, review_id__in=list(review_ids)).values_list(
            "review_id", flat=True
        )
    )


def review_photo_public(*, photo_id: int) -> ReviewPhoto | None:
    """Return a photo of a published review (a hidden review's photos are not served)."""
    return (
        ReviewPhoto.objects.filter(pk=photo_id, review__status=Review.Status.PUBLISHED)
        .select_related("review")
        .first()
    )


def buyer_reviewable_lines(*, user: User) -> QuerySet[OrderLine]:
    """Return the person's order lines that are delivered and not reviewed yet."""
    return (
        OrderLine.objects.filter(
            order__buyer=user, order__status=Order.Status.DELIVERED, review__isnull=True
        )
        .select_related("order", "order__seller", "variant__device_model")
        .order_by("-order__delivered_at", "id")
    )


def buyer_line_get(*, user: User, line_id: int) -> OrderLine | None:
    """Return one of the person's own order lines, or None (someone else's too)."""
    return (
        OrderLine.objects.filter(pk=line_id, order__buyer=user)
        .select_related("order", "order__seller", "variant__device_model")
        .first()
    )


def buyer_reviews(*, user: User) -> QuerySet[Review]:
    """Return the reviews the person wrote, hidden ones too (they were told why)."""
    return _listed(Review.objects.filter(author=user)).select_related("line")


def review_moderation_queue(*, status: str = Review.Status.PUBLISHED) -> QuerySet[Review]:
    """Return reviews for moderators: the most reported first, then the newest."""
    return (
        _listed(Review.objects.filter(status=status))
        .select_related("hidden_by")
        .prefetch_related("report_rows")
        .order_by("-reports", "-created_at", "-id")
    )


def survey_get_for(*, person: Any, token: str) -> Survey | None:
    """Return the survey behind ``token`` if it is ``person``'s, else None."""
    if not isinstance(person, User) or not token:
        return None
    return (
        Survey.objects.select_related("order", "claim").filter(token=token, person=person).first()
    )
