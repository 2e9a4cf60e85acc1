"""Hardening 3.2: the API reads JSON bodies only, of a bounded size, and never fails on them.

A wrong content type answers 415, an oversized body 413, both with a ``{"detail"}``
problem; an empty body is fine whatever its type, for operations that take no body.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from recommerce.privacy.models import ConsentRecord
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db
NO_BOUNDARY = "multipart/form-data"


def _browser(user) -> tuple[Client, dict[str, str]]:
    """A signed-in browser whose CSRF check runs, as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    return client, {"X-CSRFToken": token}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/me/seller/submit",
        "/api/v1/checkouts/CK-NOPE/pay",
        "/api/v1/checkouts/CK-NOPE/confirm",
        "/api/v1/orders/NOPE/cancel",
        "/api/v1/me/company/invitations",
        "/api/v1/cart/accept-changes",
    ],
)
def test_multipart_without_a_boundary_is_never_a_server_error(url):
    """Hardening 3.2: these answered 500; an empty body of any type is read as no body."""
    client, headers = _browser(make_user("ada@example.com"))
    response = client.post(url, data=b"", content_type=NO_BOUNDARY, headers=headers)
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")


def test_an_empty_body_of_any_type_reaches_a_body_less_operation():
    """Hardening 3.2: operations without a body keep accepting empty ones."""
    client, headers = _browser(make_user("ada@example.com"))
    for content_type in (NO_BOUNDARY, "text/plain", "application/json"):
        response = client.post(
            "/api/v1/cart/accept-changes", data=b"", content_type=content_type, headers=headers
        )
        assert response.status_code == 200, (content_type, response.content)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", json.dumps({"full_name": "Text Body"})),
        ("application/xml", "<profile><full_name>Xml Body</full_name></profile>"),
        (
            f"{NO_BOUNDARY}; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
        ),
        ("application/x-www-form-urlencoded", "full_name=Form+Body"),
        ("application/json; charset=latin-1", json.dumps({"full_name": "Latin Body"})),
    ],
)
def test_a_body_that_is_not_json_answers_415_and_changes_nothing(client, content_type, body):
    """Hardening 3.2: text and XML bodies were parsed as JSON; now 415 with a problem."""
    user = make_user("ada@example.com", full_name="Ada Lovelace")
    client.force_login(user)
    response = client.patch("/api/v1/me", data=body, content_type=content_type)
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"


def test_an_oversized_consent_answers_413_and_records_nothing(client, settings):
    """Hardening 3.2: a 1.3 MB ``PUT /consent`` was accepted; past the limit it is 413."""
    body = json.dumps({"categories": ["analytics"] + ["x" * 100] * 13_000})
    assert len(body) > 1_300_000
    response = client.put("/api/v1/consent", data=body, content_type="application/json")
    assert response.status_code == 413
    assert str(settings.API_MAX_BODY_BYTES) in response.json()["detail"]
    assert not ConsentRecord.objects.exists()


def test_the_limit_is_a_setting(client, settings):
    """Hardening 3.2: ``API_MAX_BODY_BYTES`` decides; a body just within it is read."""
    settings.API_MAX_BODY_BYTES = 40
    fits = json.dumps({"categories": ["analytics"]})
    assert len(fits) <= 40
    assert (
        client.put("/api/v1/consent", data=fits, content_type="application/json").status_code == 200
    )
    bigger = json.dumps({"categories": ["analytics", "marketing", "personalisation"]})
    assert (
        client.put("/api/v1/consent", data=bigger, content_type="application/json").status_code
        == 413
    )


def test_a_json_body_that_is_not_an_object_is_refused(client):
    """Hardening 3.2: ``[null, null]`` was read as an empty profile change (200)."""
    user = make_user("ada@example.com", full_name="Ada Lovelace")
    client.force_login(user)
    for body in ("[null, null]", '"text"', "12", "{not json"):
        response = client.patch("/api/v1/me", data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert isinstance(response.json()["detail"], str)
