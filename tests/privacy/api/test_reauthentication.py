"""Hardening 6 (PLAT-3): the app and the browser authenticate, and re-authenticate, as on the web.

What hands data out, files a request or erases needs a re-authentication minutes ago,
recorded in the session that authenticated the call; writes with the session cookie need
the CSRF token; the OpenAPI document lists every answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from recommerce.privacy.models import (
    DataRequest,
    ExportArchive,
    ProcessingLimit,
)
from tests.accounts.conftest import PASSWORD
from tests.checkout.conftest import make_buyer
from tests.privacy.api.conftest import API, APP_REAUTH, App, reauthenticated_app

pytestmark = pytest.mark.django_db


# --- Re-authentication, the same rule as the web (PLAT-3) ----------------------------------


def test_p_plat_3_app_needs_a_reauthentication_through_allauths_app_api():
    """Hardening 6: a sign-in alone does not hand data out; a re-authentication does.

    The 401 names allauth's flows and the app's re-authentication endpoint; the check reads
    the token's own session, where allauth's app API records the re-authentication.
    """
    # promise: RIGHT-4 (identity is verified before anything is disclosed)
    user = make_buyer()
    app = App(user)

    refused = app.call("POST", f"{API}/exports")

    assert refused.status_code == 401
    assert refused.json()["flows"] == ["reauthenticate", "reauthenticate_by_code"]
    assert refused.json()["reauthenticate_url"] == APP_REAUTH
    assert refused.json()["detail"].startswith("Confirm it is you")
    assert ExportArchive.objects.filter(user=user).count() == 0
    assert app.call("GET", "/api/v1/me").status_code == 200  # still signed in

    app.reauthenticate()
    accepted = app.call("POST", f"{API}/exports")

    assert accepted.status_code == 202
    assert ExportArchive.objects.filter(user=user).count() == 1


def test_p_plat_3_reauthentication_expires_like_on_the_web():
    """Hardening 6: after ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes) it is asked again."""
    user = make_buyer()
    start = dt.datetime(2025, 3, 3, 11, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        app = reauthenticated_app(user)
    with time_machine.travel(start + dt.timedelta(seconds=301), tick=False):
        response = app.call("POST", f"{API}/rectifications", {"details": "Invoice F-1 name."})

    assert response.status_code == 401
    assert DataRequest.objects.count() == 0


def test_p_plat_3_browser_session_reauthenticates_on_its_own_session():
    """Hardening 6: with the session cookie, the browser's re-authentication counts."""
    user = make_buyer()
    browser = Client()
    browser.force_login(user)

    refused = browser.post(f"{API}/exports", content_type="application/json")

    assert refused.status_code == 401
    assert refused.json()["reauthenticate_url"] == "/_allauth/browser/v1/auth/reauthenticate"
    assert ExportArchive.objects.count() == 0
    browser.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert browser.post(f"{API}/exports", content_type="application/json").status_code == 202


def test_p_plat_3_browser_writes_need_the_csrf_token():
    """Hardening 6: a session cookie without the CSRF token changes nothing (403)."""
    user = make_buyer()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    body = {"purpose": "marketing.email", "kind": "objection"}

    forged = browser.post(f"{API}/limits", body, content_type="application/json")

    assert forged.status_code == 403
    assert ProcessingLimit.objects.count() == 0
    browser.get(reverse("privacy:mine"))  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        f"{API}/limits", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 201
    assert ProcessingLimit.objects.filter(user=user, purpose="marketing.email").count() == 1


def test_p_plat_3_every_privacy_operation_refuses_anonymous_callers():
    """Hardening 6: no privacy right answers without a signed-in person."""
    operations = [
        ("GET", "exports"), ("POST", "exports"), ("GET", "exports/1"),
        ("POST", "exports/1/download"), ("GET", "erasure"), ("POST", "erasure"),
        ("GET", "limits"), ("POST", "limits"), ("DELETE", "limits/marketing.email"),
        ("GET", "consents"), ("PUT", "consents/recording"), ("PUT", "consents/biometric"),
        ("GET", "disclosures"), ("GET", "requests"), ("GET", "requests/DSR-25ABCDEF"),
        ("POST", "rectifications"),
    ]  # fmt: skip
    client = Client()
    for method, path in operations:
        response = client.generic(method, f"{API}/{path}", "{}", content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)


def test_p_plat_3_openapi_documents_every_answer_of_the_privacy_operations():
    """Hardening 6: each operation lists the answers it can give, with their shapes."""
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    expected = {
        ("get", "/exports"): {"200", "401", "403"},
        ("post", "/exports"): {"202", "401", "403", "409"},
        ("get", "/exports/{export_id}"): {"200", "401", "403", "404", "422"},
        ("post", "/exports/{export_id}/download"): {"200", "401", "403", "404", "409", "410",
                                                     "422"},
        ("get", "/erasure"): {"200", "401", "403"},
        ("post", "/erasure"): {"200", "202", "400", "401", "403", "409", "422"},
        ("get", "/limits"): {"200", "401", "403"},
        ("post", "/limits"): {"200", "201", "400", "401", "403", "422"},
        ("delete", "/limits/{purpose}"): {"204", "401", "403", "404", "422"},
        ("get", "/consents"): {"200", "401", "403"},
        ("put", "/consents/recording"): {"200", "400", "401", "403", "422"},
        ("put", "/consents/biometric"): {"200", "400", "401", "403", "422"},
        ("get", "/disclosures"): {"200", "401", "403"},
        ("get", "/requests"): {"200", "401", "403"},
        ("get", "/requests/{reference}"): {"200", "401", "403", "404", "422"},
        ("post", "/rectifications"): {"201", "400", "401", "403", "422"},
    }  # fmt: skip
    # Every operation also documents the platform's answers to an oversized body (413) and
    # to a body that is not JSON (415).
    expected = {operation: codes | {"413", "415"} for operation, codes in expected.items()}
    found = {
        (method, path.removeprefix(API)): set(operation["responses"])
        for path, item in paths.items()
        if path.startswith(API)
        for method, operation in item.items()
    }
    assert found == expected
    download = paths[f"{API}/exports/{{export_id}}/download"]["post"]["responses"]["200"]
    assert list(download["content"]) == ["application/zip"]
    security = paths[f"{API}/erasure"]["post"]["security"]
    assert security == [{"UserSessionToken": []}, {"SessionAuth": []}]
