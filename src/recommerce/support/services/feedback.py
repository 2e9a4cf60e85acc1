"""Writes of feedback: buyers' reviews of what they bought, their moderation, surveys.

A review is a verified purchase: only the order's buyer writes it, once per order line,
once the order is delivered. The seller's rating (``Seller.rating_count`` /
``rating_sum``) is counted again from the published reviews after every change, so a
hidden review stops counting and a restored one counts again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import NoReverseMatch, reverse

from recommerce.accounts.models import User
from recommerce.accounts.services.ratings import seller_rating_set
from recommerce.orders.models import Order, OrderLine
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.text import unsafe_character, unsafe_text_message
from recommerce.platform.versions import version_bump
from recommerce.privacy import purposes
from recommerce.privacy.rights.values import ERASED_DOMAIN
from recommerce.privacy.selectors import people_allowed
from recommerce.support.files import CheckedFile, attachment_check
from recommerce.support.models import Claim, Review, ReviewPhoto, ReviewReport, Survey

TEXT_MAX = 2000
REASON_MAX = 200
PHOTOS_MAX = 3
SURVEY_WINDOW = dt.timedelta(days=7)
MODERATE_PERMISSION = "support.moderate_review"
# Moved by every change a public page shows (the cached review blocks are keyed on it).
REVIEWS_VERSION = "support-reviews"

Photo = tuple[str, bytes | IO[bytes]]
"""A photo as uploaded: the name the person's device gave it, and its bytes or file."""


# --- Helpers ---------------------------------------------------------------------------------


def author_display_of(full_name: str) -> str:
    """Return how a review names its author: "Alice M." from "Alice Martin"."""
    words = full_name.split()
    if not words:
        return "A buyer"
    first = words[0][:30]
    return f"{first} {words[-1][0].upper()}." if len(words) > 1 else first


def _clean_text(value: str, *, field: str, limit: int, multiline: bool, what: str) -> str:
    text = value.strip()
    if len(text) > limit:
        raise ValidationError({field: f"Keep {what} to {limit} characters (it has {len(text)})."})
    char = unsafe_character(text, multiline=multiline)
    if char is not None:
        raise ValidationError({field: unsafe_text_message(char)})
    return text


def _int_in(value: Any, low: int, high: int, *, field: str, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({field: message})
    return int(value)


def _reachable(person: User | None) -> bool:
    """Tell whether ``person`` still has an account an email may reach (not erased)."""
    return (
        person is not None
        and person.is_active
        and bool(person.email)
        and not person.email.endswith(f"@{ERASED_DOMAIN}")
    )


def _url(name: str, fallback: str, **kwargs: Any) -> str:
    try:
        path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        # The pages' addresses are fixed; mail still goes out where the URLs are not mounted.
        path = fallback.format(**kwargs)
    return f"{settings.SITE_URL}{path}"


def _mail_after_commit(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    transaction.on_commit(
        partial(send_templated, to=[to], subject=subject, template=template, context=context)
    )


def _is_moderator(actor: Any) -> bool:
    return isinstance(actor, User) and actor.is_active and actor.has_perm(MODERATE_PERMISSION)


def seller_rating_recount(*, seller_id: int) -> None:
    """Count the seller's published reviews into its rating (and quality score).

    Called after every change of what is published, so it also retires the cached blocks.
    """
    version_bump(REVIEWS_VERSION)
    figures = Review.objects.filter(seller_id=seller_id, status=Review.Status.PUBLISHED).aggregate(
        count=Count("id"), total=Sum("rating")
    )
    seller_rating_set(
        seller_id=seller_id, rating_count=figures["count"], rating_sum=figures["total"] or 0
    )


# --- Reviews ---------------------------------------------------------------------------------


def _checked_photos(photos: Sequence[Photo]) -> list[CheckedFile]:
    if len(photos) > PHOTOS_MAX:
        raise ValidationError({"photos": f"Add at most {PHOTOS_MAX} photos."})
    checked = []
    for name, content in photos:
        try:
            found = attachment_check(name=name, content=content, allow_video=False)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        if not found.content_type.startswith("image/"):
            raise ValidationError({"photos": f"{found.safe_name}: add photos (JPEG or PNG) only."})
        checked.append(found)
    return checked


@transaction.atomic
def review_create(
    *,
    line: OrderLine,
    actor: Any,
    rating: int,
    text: str = "",
    photos: Sequence[Photo] = (),
) -> Review:
    """Publish the buyer's review of one delivered order line (a verified purchase).

    Only the order's buyer, only once the order is delivered, once per line: a second
    review is refused, not stored. The seller's rating is counted again.
    """
    line = (
        OrderLine.objects.select_for_update(of=("self",))
        .select_related("order__seller", "variant__device_model")
        .get(pk=line.pk)
    )
    order = line.order
    if not isinstance(actor, User) or order.buyer_id is None or order.buyer_id != actor.pk:
        raise PermissionError("Only the buyer of this order can review it.")
    if order.status != Order.Status.DELIVERED:
        raise ValidationError(f"You can review this item once order {order.number} is delivered.")
    if Review.objects.filter(line=line).exists():
        raise ValidationError(f"You have already reviewed {line.title}: one review per item.")
    rating = _int_in(rating, 1, 5, field="rating", message="Choose a rating from 1 to 5 stars.")
    text = _clean_text(text, field="text", limit=TEXT_MAX, multiline=True, what="your review")
    checked = _checked_photos(photos)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                line=line,
                author=actor,
                author_display=author_display_of(actor.full_name),
                seller=order.seller,
                device_model=line.variant.device_model,
                rating=rating,
                text=text,
                created_at=clock.now(),
            )
    except IntegrityError as error:
        # Two submissions at once: the line's unique review decides, the second is refused.
        raise ValidationError(
            f"You have already reviewed {line.title}: one review per item."
        ) from error
    for found in checked:
        # The re-encoded image, without the camera's metadata (place, device).
        photo = ReviewPhoto(review=review, content_type=found.content_type, size=found.size)
        photo.file.save(
            f"{secrets.token_hex(12)}.{found.extension}", ContentFile(found.content), save=False
        )
        photo.save()
    seller_rating_recount(seller_id=order.seller_id)
    return review


@transaction.atomic
def review_report(*, review: Review, actor: Any, reason: str) -> ReviewReport:
    """Report a published review to moderation: a signed-in person, once per review."""
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionError("Sign in to report a review.")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.PUBLISHED:
        raise ValidationError("This review is no longer shown.")
    if review.author_id == actor.pk:
        raise ValidationError("You cannot report your own review.")
    if ReviewReport.objects.filter(review=review, reporter=actor).exists():
        raise ValidationError("You have already reported this review; moderation will look at it.")
    reason = _clean_text(
        reason, field="reason", limit=REASON_MAX, multiline=False, what="the reason"
    )
    if not reason:
        raise ValidationError({"reason": "Say what is wrong with this review."})
    report = ReviewReport.objects.create(
        review=review, reporter=actor, reason=reason, created_at=clock.now()
    )
    Review.objects.filter(pk=review.pk).update(reports=F("reports") + 1)
    return report


@transaction.atomic
def review_hide(*, review: Review, actor: Any, reason: str) -> Review:
    """Hide a review with a reason (moderators); its author is told why."""
    if not _is_moderator(actor):
        raise PermissionError("Hiding a review needs the review moderation permission.")
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("author").get(pk=review.pk)
    )
    if review.status == Review.Status.HIDDEN:
        raise ValidationError("This review is already hidden.")
    reason = _clean_text(
        reason, field="reason", limit=REASON_MAX, multiline=False, what="the reason"
    )
    if not reason:
        raise ValidationError({"reason": "Give the reason: the author is told."})
    review.status = Review.Status.HIDDEN
    review.hidden_reason = reason
    review.hidden_by = actor
    review.hidden_at = clock.now()
    review.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at"])
    seller_rating_recount(seller_id=review.seller_id)
    if _reachable(review.author):
        assert review.author is not None
        _mail_after_commit(
            to=review.author.email,
            subject="Your review is no longer shown",
            template="support/emails/review_hidden",
            context={
                "review": review,
                "reason": reason,
                "url": _url("support:reviews", "/account/support/reviews/"),
            },
        )
    return review


@transaction.atomic
def review_restore(*, review: Review, actor: Any) -> Review:
    """Show a hidden review again (moderators); its author is told."""
    if not _is_moderator(actor):
        raise PermissionError("Restoring a review needs the review moderation permission.")
    review = (
        Review.objects.select_for_update(of=("self",)).select_related("author").get(pk=review.pk)
    )
    if review.status == Review.Status.PUBLISHED:
        raise ValidationError("This review is already shown.")
    review.status = Review.Status.PUBLISHED
    review.hidden_reason = ""
    review.hidden_by = None
    review.hidden_at = None
    # The reports were weighed when it was restored; they no longer put it first in the queue.
    review.reports = 0
    review.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at", "reports"])
    seller_rating_recount(seller_id=review.seller_id)
    if _reachable(review.author):
        assert review.author is not None
        _mail_after_commit(
            to=review.author.email,
            subject="Your review is shown again",
            template="support/emails/review_restored",
            context={
                "review": review,
                "url": _url("support:reviews", "/account/support/reviews/"),
            },
        )
    return review


# --- Surveys ---------------------------------------------------------------------------------


def _survey_offer(*, person: User, trigger: str, order: Order | None, claim: Claim | None) -> bool:
    """Create one survey and email its link; False when another run offered it first."""
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                person=person,
                trigger=trigger,
                order=order,
                claim=claim,
                token=secrets.token_urlsafe(32),
                offered_at=clock.now(),
            )
            _mail_after_commit(
                to=person.email,
                subject="How did it go?",
                template=f"support/emails/survey_{trigger}",
                context={
                    "survey": survey,
                    "order": order,
                    "claim": claim,
                    "name": person.full_name.split()[0] if person.full_name.split() else "",
                    "url": _url(
                        "support:survey", "/account/support/surveys/{token}/", token=survey.token
                    ),
                },
            )
    except IntegrityError:
        return False
    return True


def surveys_offer_due() -> int:
    """Offer a satisfaction survey after each delivery and each closed claim of the last 7 days.

    Once per delivered order and once per closed claim. Nobody who objected to surveys
    (CONSENT-7, ``purposes.SURVEYS``) is asked, nor anyone without an account or erased:
    for them no survey is written and no email sent. Return how many were offered.
    """
    now = clock.now()
    since = now - SURVEY_WINDOW
    orders = list(
        Order.objects.filter(
            status=Order.Status.DELIVERED,
            delivered_at__gte=since,
            delivered_at__lte=now,
            buyer__isnull=False,
        )
        .exclude(surveys__trigger=Survey.Trigger.DELIVERY)
        .select_related("buyer")
    )
    claims = list(
        Claim.objects.filter(
            status=Claim.Status.CLOSED,
            closed_at__gte=since,
            closed_at__lte=now,
            buyer__isnull=False,
        )
        .exclude(surveys__trigger=Survey.Trigger.CLAIM_CLOSED)
        .select_related("buyer", "order")
    )
    people = {o.buyer_id for o in orders} | {c.buyer_id for c in claims}
    allowed = people_allowed(
        user_ids=[pk for pk in people if pk is not None], purpose=purposes.SURVEYS
    )
    offered = 0
    for order in orders:
        if order.buyer_id in allowed and _reachable(order.buyer):
            assert order.buyer is not None
            offered += _survey_offer(
                person=order.buyer, trigger=Survey.Trigger.DELIVERY, order=order, claim=None
            )
    for claim in claims:
        if claim.buyer_id in allowed and _reachable(claim.buyer):
            assert claim.buyer is not None
            offered += _survey_offer(
                person=claim.buyer,
                trigger=Survey.Trigger.CLAIM_CLOSED,
                order=claim.order,
                claim=claim,
            )
    return offered


@transaction.atomic
def survey_answer(
    *,
    token: str,
    nps: int,
    satisfaction: int,
    easy: bool | None,
    comment: str = "",
    person: Any = None,
) -> Survey:
    """Record the answers of a survey, once; with ``person``, only if the survey is theirs.

    The answers are kept for the registry's period (two years from the offer).
    """
    survey = Survey.objects.select_for_update().filter(token=token).first()
    if survey is None or (person is not None and survey.person_id != getattr(person, "pk", None)):
        raise PermissionError("This survey link is not yours or no longer valid.")
    if survey.answered_at is not None:
        raise ValidationError("This survey is already answered. Thank you!")
    errors: dict[str, str] = {}
    for field, value, low, high, message in (
        ("nps", nps, 0, 10, "Choose a number from 0 to 10."),
        ("satisfaction", satisfaction, 1, 5, "Choose how satisfied you are, from 1 to 5."),
    ):
        try:
            _int_in(value, low, high, field=field, message=message)
        except ValidationError:
            errors[field] = message
    if easy is not None and not isinstance(easy, bool):
        errors["easy"] = "Answer yes or no, or leave it."
    if errors:
        raise ValidationError(errors)
    survey.comment = _clean_text(
        comment, field="comment", limit=TEXT_MAX, multiline=True, what="your comment"
    )
    survey.nps, survey.satisfaction, survey.easy = nps, satisfaction, easy
    survey.answered_at = clock.now()
    survey.save(update_fields=["nps", "satisfaction", "easy", "comment", "answered_at"])
    return survey
