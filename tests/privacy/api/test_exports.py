"""Hardening 6 (RIGHT-1): the app asks for a copy of its data, follows it, downloads it once."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import jsonschema
import pytest
import time_machine
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from recommerce.privacy.models import (
    ExportArchive,
)
from tests.checkout.conftest import make_buyer
from tests.privacy.api.conftest import API, reauthenticated_app

pytestmark = pytest.mark.django_db


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
