"""Marketing through the API: preferences and newsletter sign-up follow the same rules."""

from __future__ import annotations

import pytest
from django.core import mail

from recommerce.marketing.models import MarketingPreference, NewsletterSubscription
from recommerce.privacy import purposes
from recommerce.privacy.services.limits import processing_limit_set
from tests.marketing.conftest import make_user, subscriber

pytestmark = pytest.mark.django_db


def test_preferences_need_a_signed_in_person(client):
    assert client.get("/api/v1/me/marketing").status_code == 401
    response = client.put("/api/v1/me/marketing", {}, content_type="application/json")
    assert response.status_code == 401


def test_consent_4_preferences_read_and_change_through_the_api(client):
    person = make_user("max@example.com")
    subscriber("max@example.com", topics=("tips",), user=person)
    processing_limit_set(user=person, purpose=purposes.MARKETING_EMAIL, kind="objection")
    client.force_login(person)
    assert client.get("/api/v1/me/marketing").json() == {
        "email": True,
        "sms": False,
        "topics": ["tips"],
        "limited": True,
    }
    changed = client.put(
        "/api/v1/me/marketing",
        {"email": False, "sms": False, "topics": []},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json() == {"email": False, "sms": False, "topics": [], "limited": True}
    assert NewsletterSubscription.objects.get().status == "unsubscribed"

    missing_topic = client.put(
        "/api/v1/me/marketing",
        {"email": True, "sms": False, "topics": []},
        content_type="application/json",
    )
    assert missing_topic.status_code == 400
    assert missing_topic.json() == {
        "detail": [{"loc": ["body", "topics"], "msg": "Choose at least one topic, or no channel."}]
    }
    bad_topic = client.put(
        "/api/v1/me/marketing",
        {"email": True, "sms": False, "topics": ["spam"]},
        content_type="application/json",
    )
    assert bad_topic.status_code == 422
    assert MarketingPreference.objects.get(user=person).email is False


def test_consent_4_newsletter_sign_up_through_the_api_waits_for_the_link(
    client, django_capture_on_commit_callbacks
):
    body = {"email": "app@example.com", "country": "fr", "topics": ["offers"], "consent": True}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/marketing/newsletter", body, content_type="application/json"
        )
    assert response.status_code == 202
    sub = NewsletterSubscription.objects.get()
    assert (sub.email, sub.country, sub.status, sub.source) == (
        "app@example.com",
        "FR",
        "pending",
        "api",
    )
    assert [m.subject for m in mail.outbox] == ["Recommerce: confirm your newsletter subscription"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"email": "a@example.com", "country": "FR", "topics": ["offers"], "consent": False},
         400, "consent"),
        ({"email": "a@example.com", "country": "ZZ", "topics": ["offers"], "consent": True},
         400, "country"),
        ({"email": "nope", "country": "FR", "topics": ["offers"], "consent": True}, 400, "email"),
        ({"email": "a@example.com", "country": "FR", "topics": [], "consent": True}, 422, None),
        ({"email": "a@example.com", "country": "FR", "topics": ["x"], "consent": True}, 422, None),
    ],
)  # fmt: skip
def test_bad_sign_ups_are_refused_clearly(client, body, status, field):
    response = client.post("/api/v1/marketing/newsletter", body, content_type="application/json")
    assert response.status_code == status
    if field:
        assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]
    assert not NewsletterSubscription.objects.exists()
    assert mail.outbox == []
