"""Whatever arrives at a marketing page, the answer is a clear 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from recommerce.marketing.services import unsubscribe_token
from tests.marketing.conftest import SECRET, staff_with, subscriber

pytestmark = pytest.mark.django_db

JUNK = ["", "a", "u0", "s-1", "u1:", ":", "%2F..%2F", "\u00e9\u00e8", "u" + "9" * 40, "x" * 2000]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_links_never_answer_500(junk):
    client = Client(raise_request_exception=False)
    for prefix in ("/marketing/unsubscribe/", "/marketing/newsletter/confirm/"):
        for send in (client.get, client.post, client.head):
            response = send(f"{prefix}{junk}/")
            assert 400 <= response.status_code < 500, (prefix, junk, response.status_code)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=nope", b"--broken"),
        ("application/x-www-form-urlencoded", b"List-Unsubscribe=One-Click&" + b"a=1&" * 5000),
        ("application/json", b"{not json"),
    ],
)
def test_odd_bodies_on_the_one_click_endpoint_never_answer_500(content_type, body):
    token = unsubscribe_token(user_id=None, subscription_id=subscriber("a@example.com").pk)
    client = Client(raise_request_exception=False)
    response = client.post(f"/marketing/unsubscribe/{token}/", body, content_type=content_type)
    assert response.status_code < 500


def test_odd_inbound_posts_never_answer_500():
    client = Client(raise_request_exception=False)
    headers = {"X-Inbound-Secret": SECRET}
    for body in (b"\x00" * 100, b"From: \r\n\r\n", b"From: =?utf-8?q?broken <a@b>\r\n\r\n"):
        response = client.post(
            "/marketing/inbound-email/", body, content_type="message/rfc822", headers=headers
        )
        assert 400 <= response.status_code < 500
    non_ascii_secret = client.post(
        "/marketing/inbound-email/",
        b"From: a@example.com\r\n\r\n",
        content_type="message/rfc822",
        headers={"X-Inbound-Secret": "s\u00e9cret"},
    )
    assert non_ascii_secret.status_code == 403


def test_odd_staff_form_posts_never_answer_500():
    client = Client(raise_request_exception=False)
    client.force_login(staff_with("marketing.send_campaign", "marketing.export_audience"))
    for path, data in (
        ("/staff/marketing/", {"subject": "x" * 500, "body": "b", "topic": "offers"}),
        ("/staff/marketing/audiences/", {"partner": ["a", "b"]}),
        ("/marketing/newsletter/", {"email": ["a@b.c", "d@e.f"], "topics": "offers"}),
    ):
        assert client.post(path, data).status_code == 400
