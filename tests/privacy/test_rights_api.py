"""Hardening 6 (PLAT-3): the app has the same privacy rights as the web, through /api/v1/.

The app signs in with allauth's app API and sends its ``X-Session-Token``; what hands data
out, files a request or erases needs a re-authentication through the same API minutes
ago, as the web pages do. Each test goes through the HTTP API only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import jsonschema
import pytest
import time_machine
from django.core import mail
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import User
from recommerce.privacy import purposes
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
    ErasureRecord,
    ExportArchive,
    PersonalConsent,
    ProcessingLimit,
)
from recommerce.privacy.registry import registry
from recommerce.privacy.selectors import processing_allowed
from recommerce.privacy.services import disclosure_record
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC_CHECK,
    BIOMETRIC_TEXT_VERSION,
    DOCUMENT_CHECK,
    recording_allowed,
)
from tests.accounts.conftest import PASSWORD
from tests.checkout.conftest import make_buyer

pytestmark = pytest.mark.django_db

API = "/api/v1/me/privacy"
APP_REAUTH = "/_allauth/app/v1/auth/reauthenticate"


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Any) -> None:
    """Cheap password hashing; exports written under the test's own folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


class App:
    """The mobile app: allauth's app sign-in, then its session token on every call."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        response = self.client.post(
            "/_allauth/app/v1/auth/login",
            {"email": user.email, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.token = response.json()["meta"]["session_token"]
        self.client.cookies.clear()  # the app keeps no cookie: only the token signs it in

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.generic(
            method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"X-Session-Token": self.token},
        )

    def reauthenticate(self) -> None:
        response = self.call("POST", APP_REAUTH, {"password": PASSWORD})
        assert response.status_code == 200, response.content
        self.client.cookies.clear()


def reauthenticated_app(user: User) -> App:
    app = App(user)
    app.reauthenticate()
    return app


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
        ("delete", "/limits/{purpose}"): {"204", "401", "403", "404"},
        ("get", "/consents"): {"200", "401", "403"},
        ("put", "/consents/recording"): {"200", "400", "401", "403", "422"},
        ("put", "/consents/biometric"): {"200", "400", "401", "403", "422"},
        ("get", "/disclosures"): {"200", "401", "403"},
        ("get", "/requests"): {"200", "401", "403"},
        ("get", "/requests/{reference}"): {"200", "401", "403", "404"},
        ("post", "/rectifications"): {"201", "400", "401", "403", "422"},
    }  # fmt: skip
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


# --- Download my data (RIGHT-1) ------------------------------------------------------------


def test_p_right_1_app_asks_follows_and_downloads_its_data_once(
    django_capture_on_commit_callbacks: Any,
):
    """Hardening 6: ask (202), follow until ready, download the ZIP once, then 410."""
    user = make_buyer("camille@example.com")
    app = reauthenticated_app(user)

    with django_capture_on_commit_callbacks(execute=True):
        asked = app.call("POST", f"{API}/exports")

    assert asked.status_code == 202
    assert asked.json()["status"] == "pending"
    assert asked.json()["download_url"] is None
    export_id = asked.json()["id"]
    followed = app.call("GET", f"{API}/exports/{export_id}").json()
    assert followed["status"] == "ready"
    assert followed["download_url"] == f"{API}/exports/{export_id}/download"
    assert [item["id"] for item in app.call("GET", f"{API}/exports").json()] == [export_id]
    file_name = ExportArchive.objects.get(pk=export_id).file_name
    assert storages["private"].exists(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        download = app.call("POST", followed["download_url"])

    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == 'attachment; filename="recommerce-data.zip"'
    assert download["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        document = json.loads(archive.read("data.json"))
    schema = Client().get(reverse("privacy:export-schema")).json()
    jsonschema.validate(document, schema)
    assert document["account_id"] == user.pk
    assert document["sections"]["accounts.user"]["records"][0]["email"] == "camille@example.com"
    assert not storages["private"].exists(file_name)

    again = app.call("POST", followed["download_url"])

    assert again.status_code == 410
    assert again.json() == {"detail": "This download was already used or is no longer available."}
    assert app.call("GET", f"{API}/exports/{export_id}").json()["status"] == "downloaded"


def test_p_right_1_one_export_at_a_time_and_none_before_it_is_ready():
    """Hardening 6: while one is prepared, another is refused (409), as is its download."""
    user = make_buyer()
    app = reauthenticated_app(user)
    first = app.call("POST", f"{API}/exports")  # its build waits for the commit

    second = app.call("POST", f"{API}/exports")
    early = app.call("POST", f"{API}/exports/{first.json()['id']}/download")

    assert second.status_code == 409
    assert second.json() == {"detail": "A copy of your data is already being prepared."}
    assert early.status_code == 409
    assert ExportArchive.objects.filter(user=user).count() == 1
    assert ExportArchive.objects.get(user=user).status == "pending"


def test_p_right_1_download_needs_a_fresh_reauthentication_and_spends_nothing_without(
    django_capture_on_commit_callbacks: Any,
):
    """Hardening 6: a session left open cannot take the data away: 401, still ready."""
    user = make_buyer()
    start = dt.datetime(2025, 3, 3, 11, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        app = reauthenticated_app(user)
        with django_capture_on_commit_callbacks(execute=True):
            export_id = app.call("POST", f"{API}/exports").json()["id"]
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        response = app.call("POST", f"{API}/exports/{export_id}/download")

    assert response.status_code == 401
    archive = ExportArchive.objects.get(pk=export_id)
    assert archive.status == "ready"
    assert storages["private"].exists(archive.file_name)


def test_p_right_1_anothers_export_is_out_of_reach(django_capture_on_commit_callbacks: Any):
    """Hardening 6: another person's export id answers 404 and is not spent."""
    owner = make_buyer()
    with django_capture_on_commit_callbacks(execute=True):
        export_id = reauthenticated_app(owner).call("POST", f"{API}/exports").json()["id"]
    intruder = reauthenticated_app(make_buyer())

    seen = intruder.call("GET", f"{API}/exports/{export_id}")
    taken = intruder.call("POST", f"{API}/exports/{export_id}/download")

    assert (seen.status_code, taken.status_code) == (404, 404)
    assert intruder.call("GET", f"{API}/exports").json() == []
    archive = ExportArchive.objects.get(pk=export_id)
    assert (archive.status, archive.downloaded_at) == ("ready", None)
    assert storages["private"].exists(archive.file_name)


def test_p_right_1_an_export_number_out_of_range_is_invalid_input():
    """Hardening 6: a number past the database's range is 422, never a server error."""
    app = reauthenticated_app(make_buyer())

    seen = app.call("GET", f"{API}/exports/{2**64}")
    taken = app.call("POST", f"{API}/exports/{2**64}/download")
    zero = app.call("GET", f"{API}/exports/0")

    assert (seen.status_code, taken.status_code, zero.status_code) == (422, 422, 422)
    assert seen.json()["detail"][0]["loc"] == ["path", "export_id"]


# --- Delete my account (RIGHT-3) -------------------------------------------------------------


def _untouched(user: User) -> None:
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active) == (
        "camille@example.com",
        "Camille Laurent",
        True,
    )


def test_p_right_3_erasure_without_a_reauthentication_erases_nothing():
    """Hardening 6: 401, no request, no erasure, and the app stays signed in."""
    # promise: RIGHT-4 (identity is verified before anything is erased)
    user = make_buyer("camille@example.com")
    app = App(user)

    response = app.call("POST", f"{API}/erasure", {"confirm": True})

    assert response.status_code == 401
    _untouched(user)
    assert DataRequest.objects.count() == 0
    assert ErasureRecord.objects.count() == 0
    assert app.call("GET", "/api/v1/me").status_code == 200


def test_p_right_3_erasure_needs_the_confirmation():
    """Hardening 6: without ``confirm: true`` the form's refusal comes back (400)."""
    user = make_buyer("camille@example.com")
    app = reauthenticated_app(user)

    unconfirmed = app.call("POST", f"{API}/erasure", {"confirm": False})
    missing = app.call("POST", f"{API}/erasure", {})
    loose = app.call("POST", f"{API}/erasure", {"confirm": 1})  # only JSON true confirms

    assert unconfirmed.status_code == 400
    assert unconfirmed.json()["detail"] == [
        {
            "loc": ["body", "confirm"],
            "msg": "Tick the box to confirm that you want your account erased.",
        }
    ]
    assert (missing.status_code, loose.status_code) == (422, 422)
    _untouched(user)
    assert ErasureRecord.objects.count() == 0


def test_p_right_3_app_erases_the_account_and_its_session_ends(
    django_capture_on_commit_callbacks: Any,
):
    """Hardening 6: erased at once (200); the token no longer signs anyone in."""
    user = make_buyer("camille@example.com")
    app = reauthenticated_app(user)
    assert app.call("GET", f"{API}/erasure").json() == {"blockers": [], "open_request": None}

    with django_capture_on_commit_callbacks(execute=True):
        response = app.call("POST", f"{API}/erasure", {"confirm": True})

    request = DataRequest.objects.get(kind="erasure")
    assert response.status_code == 200
    assert response.json()["state"] == "erased"
    assert response.json()["reference"] == request.reference
    assert response.json()["blockers"] == []
    user.refresh_from_db()
    assert user.email.startswith("erased-")
    assert request.status == "completed"
    assert ErasureRecord.objects.get(request_reference=request.reference).status == "done"
    assert app.call("GET", "/api/v1/me").status_code == 401


def test_p_right_3_blocked_erasure_lists_its_blockers_and_erases_nothing(
    monkeypatch: pytest.MonkeyPatch,
):
    """Hardening 6: the same blockers as the web; 202 postponed, nothing erased, one open."""
    monkeypatch.setattr(
        registry, "erasure_blockers", [lambda user: ["An order is on its way to you."]]
    )
    user = make_buyer("camille@example.com")
    app = reauthenticated_app(user)
    check = app.call("GET", f"{API}/erasure").json()
    assert check == {"blockers": ["An order is on its way to you."], "open_request": None}

    response = app.call("POST", f"{API}/erasure", {"confirm": True})

    request = DataRequest.objects.get(kind="erasure")
    assert response.status_code == 202
    assert response.json() == {
        "state": "postponed",
        "detail": "Your account will be erased as soon as what is listed is settled; your "
        "request stays open until then.",
        "reference": request.reference,
        "blockers": ["An order is on its way to you."],
    }
    _untouched(user)
    assert request.status == "in_progress"
    assert ErasureRecord.objects.get().status == "postponed"
    assert app.call("GET", "/api/v1/me").status_code == 200
    again = app.call("POST", f"{API}/erasure", {"confirm": True})
    assert again.status_code == 409
    assert request.reference in again.json()["detail"]
    assert DataRequest.objects.filter(kind="erasure").count() == 1
    assert app.call("GET", f"{API}/erasure").json()["open_request"]["reference"] == (
        request.reference
    )


# --- Restrictions and objections (CONSENT-7) ---------------------------------------------------


def test_p_consent_7_app_objects_to_a_use_then_allows_it_again():
    """Hardening 6: 201 in force, 200 when already, 204 lifted, then 404."""
    user = make_buyer()
    app = App(user)
    body = {"purpose": "marketing.email", "kind": "objection", "reason": "Too many emails"}

    created = app.call("POST", f"{API}/limits", body)
    repeated = app.call("POST", f"{API}/limits", body)

    assert created.status_code == 201
    assert created.json()["purpose"] == "marketing.email"
    assert (created.json()["kind"], created.json()["reason"]) == ("objection", "Too many emails")
    assert repeated.status_code == 200
    assert ProcessingLimit.objects.filter(user=user, lifted_at__isnull=True).count() == 1
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is False
    listed = {item["code"]: item for item in app.call("GET", f"{API}/limits").json()}
    assert listed["marketing.email"]["limit"]["kind"] == "objection"
    assert listed["marketing.email"]["limitable"] is True
    assert listed["fraud.prevention"]["limitable"] is False
    assert listed["improvement.analytics"]["limit"] is None

    lifted = app.call("DELETE", f"{API}/limits/marketing.email")

    assert lifted.status_code == 204
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is True
    assert app.call("DELETE", f"{API}/limits/marketing.email").status_code == 404


@pytest.mark.parametrize("code", ["fraud.prevention", "security.authentication"])
def test_p_consent_7_fraud_prevention_and_account_security_cannot_be_switched_off(code: str):
    """Hardening 6: the service's rule, with its reason, and nothing stopped."""
    user = make_buyer()

    response = App(user).call("POST", f"{API}/limits", {"purpose": code, "kind": "objection"})

    assert response.status_code == 400
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", "purpose"]
    assert problem["msg"].endswith(
        "and protects every account; it cannot be stopped by a restriction or an objection."
    )
    assert ProcessingLimit.objects.count() == 0
    assert processing_allowed(user=user, purpose=purposes.BY_CODE[code]) is True


def test_p_consent_7_a_legal_obligation_or_an_unknown_use_cannot_be_limited():
    """Hardening 6: the law's uses answer 400; an undeclared one is invalid input (422)."""
    app = App(make_buyer())

    legal = app.call("POST", f"{API}/limits", {"purpose": "legal.accounting", "kind": "objection"})
    unknown = app.call("POST", f"{API}/limits", {"purpose": "made.up", "kind": "objection"})
    bad_kind = app.call("POST", f"{API}/limits", {"purpose": "marketing.email", "kind": "stop"})

    assert legal.status_code == 400
    assert "rests on legal obligation" in legal.json()["detail"][0]["msg"]
    assert (unknown.status_code, bad_kind.status_code) == (422, 422)
    assert ProcessingLimit.objects.count() == 0


# --- Call recording and biometric consent (CONSENT-5, CONSENT-6) -------------------------------


def test_p_consent_6_app_objects_to_call_recording_then_allows_it():
    """Hardening 6: the objection is recorded as given through the API, and lifted."""
    user = make_buyer()
    app = App(user)
    assert app.call("GET", f"{API}/consents").json()["recording_objected"] is False

    objected = app.call("PUT", f"{API}/consents/recording", {"objected": True})

    assert objected.status_code == 200
    assert objected.json()["recording_objected"] is True
    assert objected.json()["recording_objected_since"] is not None
    assert recording_allowed(user=user) is False
    row = PersonalConsent.objects.get(user=user)
    assert (row.kind, row.given, row.method, row.recorded_by) == (
        "recording_objection",
        True,
        "api",
        None,
    )

    allowed = app.call("PUT", f"{API}/consents/recording", {"objected": False})

    assert allowed.json()["recording_objected"] is False
    assert recording_allowed(user=user) is True


def test_p_consent_5_biometric_consent_only_to_the_current_text_and_never_the_only_way():
    """Hardening 6: another text version is refused (400); a document check always stays."""
    user = make_buyer()
    app = App(user)

    stale = app.call("PUT", f"{API}/consents/biometric", {"given": True, "text_version": "2020"})

    assert stale.status_code == 400
    assert stale.json()["detail"][0]["loc"] == ["body", "text_version"]
    assert PersonalConsent.objects.count() == 0
    current = app.call("GET", f"{API}/consents").json()
    assert current["identity_check_methods"] == [DOCUMENT_CHECK]
    assert current["biometric_text_version"] == BIOMETRIC_TEXT_VERSION

    given = app.call(
        "PUT", f"{API}/consents/biometric", {"given": True, "text_version": BIOMETRIC_TEXT_VERSION}
    )

    assert given.status_code == 200
    assert given.json()["biometric_given"] is True
    assert given.json()["identity_check_methods"] == [DOCUMENT_CHECK, BIOMETRIC_CHECK]
    withdrawn = app.call("PUT", f"{API}/consents/biometric", {"given": False})
    assert withdrawn.json()["biometric_given"] is False
    assert withdrawn.json()["identity_check_methods"] == [DOCUMENT_CHECK]


# --- Who received my data (SHARE-5) -----------------------------------------------------------


def test_p_share_5_app_lists_who_received_my_data_and_nobody_elses():
    """Hardening 6: the disclosure log of my data, fields named, never values."""
    user = make_buyer()
    other = make_buyer()
    disclosure_record(
        subject=user,
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        recipient="Colis Express",
        fields=["full_name", "delivery_address"],
        purpose=purposes.SERVICE_ORDERS,
        reference="R-1001",
    )
    disclosure_record(
        subject=other,
        recipient_kind=Disclosure.RecipientKind.SELLER,
        recipient="Someone Else's Seller",
        fields=["full_name"],
        purpose=purposes.SERVICE_ORDERS,
        reference="R-2002",
    )

    response = App(user).call("GET", f"{API}/disclosures")

    assert response.status_code == 200
    (row,) = response.json()
    created_at = row.pop("created_at")
    assert row == {
        "recipient": "Colis Express",
        "recipient_kind": "carrier",
        "recipient_kind_label": "Carrier",
        "fields": ["delivery_address", "full_name"],
        "purpose": "service.orders",
        "purpose_label": purposes.SERVICE_ORDERS.description,
        "legal_basis": "performance of a contract",
        "reference": "R-1001",
    }
    recorded = Disclosure.objects.get(subject=user).created_at
    # JSON carries milliseconds.
    assert dt.datetime.fromisoformat(created_at) == recorded.replace(
        microsecond=recorded.microsecond // 1000 * 1000
    )


# --- My requests (RIGHT-2, RIGHT-5) -------------------------------------------------------------


def test_p_right_5_app_follows_its_requests_with_deadlines_and_steps():
    """Hardening 6: list and detail, the legal dates, the steps; not another's (404)."""
    user = make_buyer("camille@example.com")
    with time_machine.travel(dt.datetime(2025, 1, 31, 11, 0, tzinfo=dt.UTC), tick=False):
        app = reauthenticated_app(user)
        mail.outbox.clear()
        created = app.call(
            "POST", f"{API}/rectifications", {"details": "The name on invoice F-12 is misspelt."}
        )
        reference = created.json()["reference"]
        listed = app.call("GET", f"{API}/requests").json()
        detail = app.call("GET", f"{API}/requests/{reference}")
        intruder = App(make_buyer())
        foreign = intruder.call("GET", f"{API}/requests/{reference}")
        foreign_list = intruder.call("GET", f"{API}/requests").json()

    assert created.status_code == 201
    assert len(mail.outbox) == 1  # the acknowledgement, as from the web page
    assert [item["reference"] for item in listed] == [reference]
    assert detail.status_code == 200
    body = detail.json()
    assert (body["kind"], body["status"], body["jurisdiction"]) == (
        "rectification",
        "verified",
        "gdpr",
    )
    assert body["details"] == "The name on invoice F-12 is misspelt."
    # GDPR: one calendar month, clamped to the end of February.
    assert (body["due_on"], body["answer_by"], body["acknowledge_by"]) == (
        "2025-02-28",
        "2025-02-28",
        None,
    )
    assert body["is_open"] is True
    assert body["steps"] == [
        {"action": "received", "at": "2025-01-31T11:00:00Z"},
        {"action": "identity verified", "at": "2025-01-31T11:00:00Z"},
    ]
    assert foreign.status_code == 404
    assert foreign_list == []


def test_p_right_5_us_requests_show_the_ccpa_dates():
    """Hardening 6: a US account's request is answered under the CCPA's deadlines."""
    user = make_buyer(country="US")
    with time_machine.travel(dt.datetime(2025, 3, 7, 17, 0, tzinfo=dt.UTC), tick=False):
        app = reauthenticated_app(user)
        body = app.call("POST", f"{API}/rectifications", {"details": "Old phone."}).json()

    assert body["jurisdiction"] == "ccpa"
    assert (body["acknowledge_by"], body["due_on"]) == ("2025-03-21", "2025-04-21")


def test_p_right_2_rectification_needs_a_reauthentication_and_details():
    """Hardening 6: no re-authentication (401) or no details (400): no request recorded."""
    user = make_buyer()
    app = App(user)

    unauthenticated = app.call("POST", f"{API}/rectifications", {"details": "Fix F-12."})
    app.reauthenticate()
    empty = app.call("POST", f"{API}/rectifications", {"details": ""})

    assert unauthenticated.status_code == 401
    assert empty.status_code == 400
    assert empty.json()["detail"] == [
        {"loc": ["body", "details"], "msg": "Tell us which data is wrong and what it should say."}
    ]
    assert DataRequest.objects.count() == 0
