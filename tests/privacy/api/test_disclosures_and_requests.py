"""Hardening 6 (SHARE-5, RIGHT-2, RIGHT-5): who received my data; my requests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from recommerce.privacy import purposes
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
)
from recommerce.privacy.services import disclosure_record
from tests.checkout.conftest import make_buyer
from tests.privacy.api.conftest import API, App, reauthenticated_app

pytestmark = pytest.mark.django_db


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
