"""Cookie choices through the app's API: GET and PUT /api/v1/consent (CONSENT-1, CONSENT-2)."""

from __future__ import annotations

import pytest
from django.test import Client

from recommerce.privacy.consent import COOKIE_NAME
from recommerce.privacy.consent.cookie import cookie_parse, cookie_value
from recommerce.privacy.models import ConsentRecord
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

UNDECIDED_ANSWER = {
    "decided": False,
    "categories": [],
    "notice_version": "",
    "current_notice_version": "",
    "ask_again": True,
    "gpc": False,
    "allowed": {"necessary": True, "preferences": False, "analytics": False,
                "advertising": False},
}  # fmt: skip


def app_token(client, email: str) -> str:
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def put(client, categories, **extra):
    return client.put(
        "/api/v1/consent", {"categories": categories}, content_type="application/json", **extra
    )


def test_consent_1_api_get_is_undecided_without_a_choice(client):
    response = client.get("/api/v1/consent")
    assert response.status_code == 200
    assert response.json() == UNDECIDED_ANSWER


def test_consent_1_api_get_reads_the_cookie(client):
    client.cookies[COOKIE_NAME] = cookie_value(categories=["analytics"], version="", browser_id="b")
    body = client.get("/api/v1/consent", headers={"Sec-GPC": "1"}).json()
    assert body["decided"] is True
    assert body["categories"] == ["analytics"]
    assert body["ask_again"] is False
    assert body["gpc"] is True
    assert body["allowed"]["analytics"] is True


def test_consent_1_consent_2_api_put_records_and_returns_the_choice(client):
    response = put(client, ["advertising", "necessary", "analytics", "analytics"])
    assert response.status_code == 200
    assert response.json() == {
        "decided": True,
        "categories": ["analytics", "advertising"],
        "notice_version": "",
        "current_notice_version": "",
        "ask_again": False,
        "gpc": False,
        "allowed": {"necessary": True, "preferences": False, "analytics": True,
                    "advertising": True},
    }  # fmt: skip
    record = ConsentRecord.objects.get()
    assert (record.user, record.method) == (None, "api")
    assert record.categories == ["analytics", "advertising"]
    assert cookie_parse(response.cookies[COOKIE_NAME].value).choice.categories == {
        "analytics",
        "advertising",
    }


def test_consent_1_api_put_refuses_unknown_categories_with_422(client):
    response = put(client, ["analytics", "tracking"])
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "payload", "categories"],
                "msg": "Unknown cookie category 'tracking'; choose from preferences, analytics, "
                "advertising.",
            }
        ]
    }
    assert ConsentRecord.objects.count() == 0
    assert COOKIE_NAME not in response.cookies
    not_a_list = client.put(
        "/api/v1/consent", {"categories": "all"}, content_type="application/json"
    )
    assert not_a_list.status_code == 422
    assert ConsentRecord.objects.count() == 0


def test_consent_1_app_user_reads_and_saves_through_the_session_token(client):
    person = make_user("app@example.com")
    token = app_token(client, "app@example.com")
    app = Client()
    headers = {"X-Session-Token": token}
    assert app.get("/api/v1/consent", headers=headers).json()["decided"] is False
    assert put(app, ["preferences"], headers=headers).status_code == 200
    record = ConsentRecord.objects.get()
    assert (record.user, record.method, record.categories) == (person, "api", ["preferences"])
    # Another device of the same person reads the latest record, not its own cookie.
    other_device = Client()
    body = other_device.get("/api/v1/consent", headers=headers).json()
    assert (body["decided"], body["categories"]) == (True, ["preferences"])


def test_consent_1_api_bad_session_token_is_refused(client):
    response = client.get("/api/v1/consent", headers={"X-Session-Token": "nope"})
    assert response.status_code == 401
    assert put(client, ["analytics"], headers={"X-Session-Token": "nope"}).status_code == 401
    assert ConsentRecord.objects.count() == 0


def test_consent_1_api_put_with_the_session_cookie_needs_the_csrf_token():
    person = make_user("web@example.com")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = put(browser, ["analytics"])
    assert response.status_code == 403
    assert ConsentRecord.objects.count() == 0
    browser.get("/privacy/cookies/")
    token = browser.cookies["csrftoken"].value
    assert put(browser, ["analytics"], headers={"X-CSRFToken": token}).status_code == 200
    assert ConsentRecord.objects.get().user == person
