"""Hardening 6 (CONSENT-5, CONSENT-6, CONSENT-7): restrictions, objections and consents."""

from __future__ import annotations

import pytest

from recommerce.privacy import purposes
from recommerce.privacy.models import (
    PersonalConsent,
    ProcessingLimit,
)
from recommerce.privacy.selectors import processing_allowed
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC_CHECK,
    BIOMETRIC_TEXT_VERSION,
    DOCUMENT_CHECK,
    recording_allowed,
)
from tests.checkout.conftest import make_buyer
from tests.privacy.api.conftest import API, App

pytestmark = pytest.mark.django_db


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
