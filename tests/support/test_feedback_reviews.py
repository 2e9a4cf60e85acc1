"""Reviews: verified purchases only, once per line, figures from reviews, moderation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from recommerce.accounts.models import Seller
from recommerce.orders.models import Order
from recommerce.support.models import Review, ReviewPhoto, ReviewReport
from recommerce.support.selectors import feedback as selectors
from recommerce.support.services import feedback as services
from tests.accounts.conftest import media_root  # noqa: F401  (fixture)
from tests.orders.conftest import make_order
from tests.support.feedback_fixtures import (  # noqa: F401  (fixture)
    Feedback,
    feedback_world,
    png_bytes,
)

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def seller_figures(seller: Seller) -> tuple[int, int]:
    seller.refresh_from_db()
    return seller.rating_count, seller.rating_sum


# --- Who may review, and when ----------------------------------------------------------------


def test_the_buyer_reviews_a_delivered_line_once(feedback: Feedback) -> None:
    line = feedback.line()
    review = services.review_create(line=line, actor=feedback.buyer, rating=4, text="Like new.")
    assert (review.author_display, review.rating, review.text) == ("Alice M.", 4, "Like new.")
    assert review.seller == feedback.side.seller
    assert review.device_model == line.variant.device_model
    assert review.status == Review.Status.PUBLISHED
    with pytest.raises(ValidationError) as refused:
        services.review_create(line=line, actor=feedback.buyer, rating=1, text="Changed my mind")
    assert refused.value.messages == [
        f"You have already reviewed {line.title}: one review per item."
    ]
    assert list(Review.objects.values_list("rating", flat=True)) == [4]
    assert seller_figures(feedback.side.seller) == (1, 4)


def test_an_order_not_delivered_cannot_be_reviewed(feedback: Feedback) -> None:
    order = make_order(feedback.buyer, feedback.side, status=Order.Status.SHIPPED)
    with pytest.raises(ValidationError) as refused:
        services.review_create(line=order.lines.get(), actor=feedback.buyer, rating=5)
    assert refused.value.messages == [
        f"You can review this item once order {order.number} is delivered."
    ]
    assert Review.objects.count() == 0
    assert seller_figures(feedback.side.seller) == (0, 0)


def test_only_the_buyer_may_review(feedback: Feedback) -> None:
    line = feedback.line()
    for someone in (feedback.other_buyer, feedback.side.owner, feedback.moderator):
        with pytest.raises(PermissionError, match=r"Only the buyer of this order can review it\."):
            services.review_create(line=line, actor=someone, rating=5, text="Great")
    assert Review.objects.count() == 0
    assert seller_figures(feedback.side.seller) == (0, 0)


@pytest.mark.parametrize(
    ("rating", "text", "field", "message"),
    [
        (0, "", "rating", "Choose a rating from 1 to 5 stars."),
        (6, "", "rating", "Choose a rating from 1 to 5 stars."),
        (True, "", "rating", "Choose a rating from 1 to 5 stars."),
        (5, "x" * 2001, "text", "Keep your review to 2000 characters (it has 2001)."),
        (
            5,
            "Evil\u202etext",
            "text",
            "Remove the invisible control or formatting character U+202E RIGHT-TO-LEFT "
            "OVERRIDE: this field takes plain text.",
        ),
    ],
)
def test_bad_ratings_and_texts_are_refused(
    feedback: Feedback, rating: Any, text: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.review_create(line=feedback.line(), actor=feedback.buyer, rating=rating, text=text)
    assert refused.value.message_dict == {field: [message]}
    assert Review.objects.count() == 0


def test_author_display_is_first_name_and_initial() -> None:
    assert services.author_display_of("Alice Marie Martin") == "Alice M."
    assert services.author_display_of("  alice  ") == "alice"
    assert services.author_display_of("") == "A buyer"


def test_photos_are_checked_and_at_most_three(feedback: Feedback, media_root: Any) -> None:  # noqa: F811
    line = feedback.line()
    with pytest.raises(ValidationError) as refused:
        services.review_create(
            line=line, actor=feedback.buyer, rating=5, photos=[("a.png", png_bytes())] * 4
        )
    assert refused.value.message_dict == {"photos": ["Add at most 3 photos."]}
    with pytest.raises(ValidationError) as refused:
        services.review_create(
            line=line, actor=feedback.buyer, rating=5, photos=[("doc.pdf", b"%PDF-1.4\n%%EOF")]
        )
    assert list(refused.value.message_dict) == ["photos"]
    assert Review.objects.count() == 0
    review = services.review_create(
        line=line, actor=feedback.buyer, rating=5, photos=[("me.png", png_bytes())]
    )
    photo = ReviewPhoto.objects.get(review=review)
    assert photo.content_type == "image/png"
    public = Client().get(f"/account/support/reviews/photos/{photo.pk}/")
    assert public.status_code == 200
    assert public["Content-Type"] == "image/png"
    assert b"".join(public.streaming_content).startswith(b"\x89PNG")
    services.review_hide(review=review, actor=feedback.moderator, reason="Off-topic")
    assert Client().get(f"/account/support/reviews/photos/{photo.pk}/").status_code == 404


# --- Figures ---------------------------------------------------------------------------------


def test_figures_come_from_published_reviews_and_hidden_ones_leave_them(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    seller = feedback.side.seller
    Seller.objects.filter(pk=seller.pk).update(rating_count=900, rating_sum=4000)  # seeded
    first = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=5)
    services.review_create(
        line=feedback.line(feedback.other_buyer), actor=feedback.other_buyer, rating=4
    )
    assert seller_figures(seller) == (2, 9)
    model = first.device_model
    figures = selectors.device_model_review_figures(device_model=model)
    assert (figures.count, figures.total, figures.average) == (2, 9, "4.5")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_hide(review=first, actor=feedback.moderator, reason="Not about the device")
    assert seller_figures(seller) == (1, 4)
    figures = selectors.device_model_review_figures(device_model=model)
    assert (figures.count, figures.average) == (1, "4.0")
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "Recommerce: Your review is no longer shown"
    assert "The reason given by our moderation team: Not about the device" in email.body
    first.refresh_from_db()
    assert (first.status, first.hidden_reason, first.hidden_by) == (
        Review.Status.HIDDEN,
        "Not about the device",
        feedback.moderator,
    )
    services.review_restore(review=first, actor=feedback.moderator)
    assert seller_figures(seller) == (2, 9)


def test_average_rounds_half_up_from_integers() -> None:
    assert selectors.RatingFigures(count=3, total=13).average == "4.3"
    assert selectors.RatingFigures(count=4, total=17).average == "4.3"  # 4.25
    assert selectors.RatingFigures(count=0, total=0).average == ""


def test_only_moderators_hide_and_restore(feedback: Feedback) -> None:
    review = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=2)
    for someone in (feedback.plain_staff, feedback.side.owner, feedback.buyer):
        with pytest.raises(PermissionError):
            services.review_hide(review=review, actor=someone, reason="No")
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    assert seller_figures(feedback.side.seller) == (1, 2)
    with pytest.raises(ValidationError) as refused:
        services.review_hide(review=review, actor=feedback.moderator, reason="  ")
    assert refused.value.message_dict == {"reason": ["Give the reason: the author is told."]}


# --- Reports ---------------------------------------------------------------------------------


def test_a_signed_in_person_reports_once(feedback: Feedback) -> None:
    review = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=1)
    services.review_report(review=review, actor=feedback.other_buyer, reason="Insults the seller")
    with pytest.raises(ValidationError) as refused:
        services.review_report(review=review, actor=feedback.other_buyer, reason="Again")
    assert refused.value.messages == [
        "You have already reported this review; moderation will look at it."
    ]
    with pytest.raises(ValidationError, match=r"You cannot report your own review\."):
        services.review_report(review=review, actor=feedback.buyer, reason="Oops")
    review.refresh_from_db()
    assert review.reports == 1
    assert list(ReviewReport.objects.values_list("reason", flat=True)) == ["Insults the seller"]


def test_the_moderation_queue_puts_reported_reviews_first(feedback: Feedback) -> None:
    quiet = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=5)
    loud = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=1)
    newest = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=3)
    services.review_report(review=loud, actor=feedback.other_buyer, reason="Spam")
    assert list(selectors.review_moderation_queue()) == [loud, newest, quiet]
    page = signed_in(feedback.moderator).get("/staff/support/reviews/")
    assert page.status_code == 200
    assert "Reported 1 time" in page.content.decode()
    assert signed_in(feedback.plain_staff).get("/staff/support/reviews/").status_code == 403
    assert signed_in(feedback.buyer).get("/staff/support/reviews/").status_code == 404


# --- Pages -----------------------------------------------------------------------------------


def test_the_product_and_seller_pages_show_figures_and_verified_purchases(
    feedback: Feedback,
) -> None:
    line = feedback.line()
    services.review_create(line=line, actor=feedback.buyer, rating=5, text="Battery as promised.")
    services.review_create(
        line=feedback.line(feedback.other_buyer), actor=feedback.other_buyer, rating=4
    )
    product = Client().get(line.variant.get_absolute_url())
    assert product.status_code == 200
    html = product.content.decode()
    assert "4.5 (2 reviews)" in html
    assert html.count("Verified purchase") == 2
    assert "Alice M." in html and "Bob D." in html
    assert "Battery as promised." in html
    report_link = f"/account/support/reviews/{Review.objects.get(line=line).pk}/report/"
    assert report_link not in html  # signed out: no report button
    signed = signed_in(feedback.other_buyer).get(line.variant.get_absolute_url())
    assert report_link in signed.content.decode()
    form = signed_in(feedback.other_buyer).get(report_link)
    assert form.status_code == 200 and "Send the report" in form.content.decode()
    seller_page = Client().get(feedback.side.seller.get_absolute_url())
    assert seller_page.status_code == 200
    assert "4.5 (2 reviews)" in seller_page.content.decode()


def test_the_review_form_writes_for_the_buyer_only(feedback: Feedback) -> None:
    line = feedback.line()
    url = f"/account/support/reviews/new/{line.pk}/"
    page = signed_in(feedback.buyer).get(url)
    assert page.status_code == 200
    assert 'type="radio" name="rating"' in page.content.decode()
    assert signed_in(feedback.other_buyer).post(url, {"rating": "5"}).status_code == 404
    assert Client().post(url, {"rating": "5"}).status_code == 302  # to sign in
    assert Review.objects.count() == 0
    bad = signed_in(feedback.buyer).post(url, {"rating": "9", "text": "Fine"})
    assert bad.status_code == 400
    assert Review.objects.count() == 0
    done = signed_in(feedback.buyer).post(url, {"rating": "4", "text": "Fine"})
    assert done.status_code == 302
    assert list(Review.objects.values_list("rating", "text")) == [(4, "Fine")]
    again = signed_in(feedback.buyer).get(url)
    assert "You have already reviewed this item" in again.content.decode()


def test_report_and_moderation_pages(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    review = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=1)
    reporter = signed_in(feedback.other_buyer)
    answer = reporter.post(
        f"/account/support/reviews/{review.pk}/report/",
        {"reason": "Not a review", "next": "https://elsewhere.example/"},
    )
    assert answer.status_code == 302 and answer["Location"] == "/account/support/reviews/"
    review.refresh_from_db()
    assert review.reports == 1
    staff = signed_in(feedback.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/staff/support/reviews/{review.pk}/hide/", {"reason": "Not a review"})
    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    assert len(mail.outbox) == 1
    mine = signed_in(feedback.buyer).get("/account/support/reviews/").content.decode()
    assert "Hidden by moderation" in mine and "Not a review" in mine
    staff.post(f"/staff/support/reviews/{review.pk}/restore/")
    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    seller_page = signed_in(feedback.side.owner).get("/account/seller/support/reviews/")
    assert seller_page.status_code == 200
    assert "1.0 (1 review)" in seller_page.content.decode()
