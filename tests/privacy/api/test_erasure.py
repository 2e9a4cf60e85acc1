"""Hardening 6 (RIGHT-3): the app erases the account, with the web's confirmation and blockers."""

from __future__ import annotations

from typing import Any

import pytest

from recommerce.accounts.models import User
from recommerce.privacy.models import (
    DataRequest,
    ErasureRecord,
)
from recommerce.privacy.registry import registry
from recommerce.privacy.rights import erase
from tests.checkout.conftest import make_buyer
from tests.privacy.api.conftest import API, App, reauthenticated_app

pytestmark = pytest.mark.django_db


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


def test_p_right_3_an_erasure_that_fails_part_way_is_reported_failed_not_done(
    monkeypatch: pytest.MonkeyPatch,
):
    """Hardening 6: 202 ``failed``: nothing erased, the request open, the session kept."""

    def crash(holding: Any, **kwargs: Any) -> tuple[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(erase, "holding_erase", crash)
    user = make_buyer("camille@example.com")
    app = reauthenticated_app(user)

    response = app.call("POST", f"{API}/erasure", {"confirm": True})

    request = DataRequest.objects.get(kind="erasure")
    assert response.status_code == 202
    assert response.json()["state"] == "failed"
    assert response.json()["reference"] == request.reference
    _untouched(user)
    assert request.is_open
    record = ErasureRecord.objects.get(request_reference=request.reference)
    assert (record.status, record.error) == ("failed", "Data not erased: disk full")
    assert app.call("GET", "/api/v1/me").status_code == 200
