"""After-sales API: reviews of purchases.

Published reviews are public; a buyer writes and reports with their session; a seller
reads its own reviews with an API key (``orders:read``). Writes take an
``Idempotency-Key`` header: a retry replays the first answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from recommerce.accounts.api_auth import PERSON, SellerKey, request_person
from recommerce.accounts.models import SellerApiKey
from recommerce.platform.api import (
    BAD_INPUT,
    DENIED,
    NOT_FOUND,
    IdempotencyKey,
    InvalidInput,
    MultiLineText,
    Problem,
    RowId,
    idempotent_response,
)
from recommerce.support.models import Review
from recommerce.support.selectors import feedback as selectors
from recommerce.support.services import feedback as services

router = Router()
PER_PAGE_MAX = 50
ORDERS_READ = SellerApiKey.Scope.ORDERS_READ.value
REFUSED: dict[int, Any] = {400: Problem | InvalidInput, 422: InvalidInput, 409: Problem}


class ReviewOut(Schema):
    id: int
    device_model: str = Field(description="The device model's slug")
    seller: int = Field(description="The seller's id")
    seller_name: str
    author: str = Field(description="First name and initial")
    verified_purchase: bool = True
    rating: int
    text: str
    photos: list[str] = Field(description="Addresses of the photos")
    created_at: dt.datetime


class SellerReviewOut(ReviewOut):
    status: str
    hidden_reason: str
    order_number: str


class ReviewPage(Schema):
    count: int
    average: str = Field(description='Mean rating with one decimal, "" without reviews')
    page: int
    pages: int
    per_page: int
    results: list[ReviewOut]


class SellerReviewPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    results: list[SellerReviewOut]


class ReviewListParams(Schema):
    device_model: str = Field("", description="A device model's slug")
    seller: int | None = Field(None, ge=1, le=2**63 - 1, description="A seller's id")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(20, ge=1, le=PER_PAGE_MAX)


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(20, ge=1, le=PER_PAGE_MAX)


class ReviewIn(Schema):
    line: int = Field(ge=1, le=2**63 - 1, description="The id of a delivered order line of yours")
    rating: int = Field(description="1 to 5 stars")
    text: MultiLineText = Field("", description="At most 2000 characters")


class ReportIn(Schema):
    reason: str = Field(description="What is wrong with the review (at most 200 characters)")


class ReportOut(Schema):
    review: int
    reported: bool


def review_payload(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "device_model": review.device_model.slug,
        "seller": review.seller_id,
        "seller_name": review.seller.name,
        "author": review.author_display,
        "verified_purchase": True,
        "rating": review.rating,
        "text": review.text,
        "photos": [
            reverse("support:review-photo", args=[photo.pk]) for photo in review.photos.all()
        ]
        if review.status == Review.Status.PUBLISHED
        else [],
        "created_at": review.created_at,
    }


def _page(reviews: QuerySet[Review], page: int, per_page: int) -> tuple[Any, dict[str, Any]]:
    paginator = Paginator(reviews, per_page)
    found = paginator.get_page(page)
    return found, {
        "count": paginator.count,
        "page": found.number,
        "pages": paginator.num_pages,
        "per_page": per_page,
    }


@router.get(
    "/reviews",
    auth=None,
    response={200: ReviewPage, **BAD_INPUT},
    summary="Published reviews of a device model and/or a seller, newest first",
)
def review_list(request: HttpRequest, params: Query[ReviewListParams]) -> dict[str, Any]:
    reviews = selectors.reviews_public(
        device_model_slug=params.device_model, seller_id=params.seller
    )
    figures = selectors.figures_of(reviews)
    page, meta = _page(reviews, params.page, params.per_page)
    return {
        **meta,
        "average": figures.average,
        "results": [review_payload(r) for r in page.object_list],
    }


@router.post(
    "/reviews",
    auth=PERSON,
    response={201: ReviewOut, **REFUSED, **NOT_FOUND, **DENIED},
    summary="Review one delivered item of my orders (once per order line)",
)
def review_create(
    request: HttpRequest, payload: ReviewIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    line = selectors.buyer_line_get(user=user, line_id=payload.line)
    if line is None:
        raise HttpError(404, "No such item in your orders.")

    def call() -> tuple[int, Any]:
        review = services.review_create(
            line=line, actor=user, rating=payload.rating, text=payload.text
        )
        return 201, ReviewOut.model_validate(review_payload(review)).model_dump(mode="json")

    return idempotent_response(
        actor=f"user:{user.pk}",
        key=idempotency_key,
        operation="review.create",
        body=payload.dict(),
        call=call,
    )


@router.post(
    "/reviews/{review_id}/report",
    auth=PERSON,
    response={200: ReportOut, **REFUSED, **NOT_FOUND, **DENIED},
    summary="Report a published review to moderation (once per person)",
)
def review_report(
    request: HttpRequest, review_id: RowId, payload: ReportIn, idempotency_key: IdempotencyKey = ""
) -> Status[Any]:
    user = request_person(request)
    review = selectors.review_published_get(review_id=review_id)
    if review is None:
        raise HttpError(404, "No such review.")

    def call() -> tuple[int, Any]:
        services.review_report(review=review, actor=user, reason=payload.reason)
        return 200, {"review": review.pk, "reported": True}

    return idempotent_response(
        actor=f"user:{user.pk}",
        key=idempotency_key,
        operation=f"review.report:{review_id}",
        body=payload.dict(),
        call=call,
    )


@router.get(
    "/seller/reviews",
    auth=SellerKey(ORDERS_READ),
    response={200: SellerReviewPage, **BAD_INPUT, 401: Problem, 403: Problem},
    summary="The key's seller's reviews, hidden ones with the moderation's reason",
)
def seller_review_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    reviews = selectors.seller_reviews(seller=key.seller, published_only=False).select_related(
        "line__order"
    )
    page, meta = _page(reviews, params.page, params.per_page)
    return {
        **meta,
        "results": [
            {
                **review_payload(r),
                "status": r.status,
                "hidden_reason": r.hidden_reason,
                "order_number": r.line.order.number,
            }
            for r in page.object_list
        ],
    }
