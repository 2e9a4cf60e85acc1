"""The reviews API: public lists, a buyer's writes with idempotent replays, the seller's list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from recommerce.accounts.models import SellerApiKey
from recommerce.orders.models import Order
from recommerce.support.models import Review, ReviewReport
from recommerce.support.services import feedback as services
from tests.orders.conftest import make_order, seller_key
from tests.support.feedback_fixtures import Feedback, feedback_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, body, content_type="application/json", **headers)


def test_a_buyer_posts_a_review_once_whatever_the_retries(feedback: Feedback) -> None:
    line = feedback.line()
    client = signed_in(feedback.buyer)
    body = {"line": line.pk, "rating": 5, "text": "Works perfectly."}
    answers = [post(client, "/api/v1/reviews", body, HTTP_IDEMPOTENCY_KEY="r-1") for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert {a.json()["id"] for a in answers} == {Review.objects.get().pk}
    first = answers[0].json()
    assert (first["author"], first["rating"], first["verified_purchase"]) == ("Alice M.", 5, True)
    assert first["device_model"] == line.variant.device_model.slug
    assert (
        post(
            client, "/api/v1/reviews", {**body, "rating": 1}, HTTP_IDEMPOTENCY_KEY="r-1"
        ).status_code
        == 422
    )
    again = post(client, "/api/v1/reviews", body)
    assert again.status_code == 400
    assert again.json() == {
        "detail": [
            {
                "loc": ["body"],
                "msg": f"You have already reviewed {line.title}: one review per item.",
            }
        ]
    }
    assert Review.objects.count() == 1


def test_others_and_undelivered_lines_write_nothing(feedback: Feedback) -> None:
    line = feedback.line()
    other = signed_in(feedback.other_buyer)
    assert post(other, "/api/v1/reviews", {"line": line.pk, "rating": 5}).status_code == 404
    assert post(Client(), "/api/v1/reviews", {"line": line.pk, "rating": 5}).status_code == 401
    shipped = make_order(feedback.buyer, feedback.side, status=Order.Status.SHIPPED)
    refused = post(
        signed_in(feedback.buyer), "/api/v1/reviews", {"line": shipped.lines.get().pk, "rating": 5}
    )
    assert refused.status_code == 400
    assert refused.json()["detail"][0]["msg"] == (
        f"You can review this item once order {shipped.number} is delivered."
    )
    bad = post(signed_in(feedback.buyer), "/api/v1/reviews", {"line": line.pk, "rating": 7})
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": [{"loc": ["body", "rating"], "msg": "Choose a rating from 1 to 5 stars."}]
    }
    assert Review.objects.count() == 0


def test_public_list_with_figures_and_pages(feedback: Feedback) -> None:
    line = feedback.line()
    services.review_create(line=line, actor=feedback.buyer, rating=5)
    services.review_create(
        line=feedback.line(feedback.other_buyer), actor=feedback.other_buyer, rating=4
    )
    hidden = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=1)
    services.review_hide(review=hidden, actor=feedback.moderator, reason="Spam")
    slug = line.variant.device_model.slug
    listing = Client().get(f"/api/v1/reviews?device_model={slug}&per_page=1")
    assert listing.status_code == 200
    data = listing.json()
    assert (data["count"], data["average"], data["pages"], data["page"]) == (2, "4.5", 2, 1)
    assert [r["rating"] for r in data["results"]] == [4]
    by_seller = Client().get(f"/api/v1/reviews?seller={feedback.side.seller.pk}").json()
    assert [r["rating"] for r in by_seller["results"]] == [4, 5]
    assert Client().get("/api/v1/reviews?device_model=no-such-model").json()["count"] == 0
    assert Client().get("/api/v1/reviews?per_page=500").status_code == 422


def test_report_once_with_idempotent_replay(feedback: Feedback) -> None:
    review = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=2)
    client = signed_in(feedback.other_buyer)
    url = f"/api/v1/reviews/{review.pk}/report"
    answers = [
        post(client, url, {"reason": "Fake"}, HTTP_IDEMPOTENCY_KEY="rep-1") for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1].json() == {"review": review.pk, "reported": True}
    second = post(client, url, {"reason": "Fake"})
    assert second.status_code == 400
    review.refresh_from_db()
    assert review.reports == 1
    assert ReviewReport.objects.count() == 1
    assert post(client, "/api/v1/reviews/999999/report", {"reason": "x"}).status_code == 404
    assert post(Client(), url, {"reason": "Fake"}).status_code == 401


def test_the_seller_reads_its_reviews_with_a_key(feedback: Feedback) -> None:
    review = services.review_create(line=feedback.line(), actor=feedback.buyer, rating=3)
    services.review_hide(review=review, actor=feedback.moderator, reason="Personal data")
    secret = seller_key(feedback.side.seller, feedback.side.owner, SellerApiKey.Scope.ORDERS_READ)
    answer = Client().get("/api/v1/seller/reviews", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    [row] = answer.json()["results"]
    assert (row["status"], row["hidden_reason"], row["order_number"]) == (
        "hidden",
        "Personal data",
        review.line.order.number,
    )
    assert Client().get("/api/v1/seller/reviews").status_code == 401
    no_scope = seller_key(feedback.side.seller, feedback.side.owner, "offers:write")
    forbidden = Client().get("/api/v1/seller/reviews", HTTP_AUTHORIZATION=f"Bearer {no_scope}")
    assert forbidden.status_code == 403
