"""Hardening 2.5: a data export goes to its owner signed in, or to the holder of the emailed
one-time code; a link in anyone else's hands opens nothing and spends nothing (RIGHT-1,
SEC-2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from recommerce.accounts.models import User
from recommerce.privacy.models import ExportArchive
from recommerce.privacy.services.exports import export_request
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private(settings: Any, tmp_path: Path) -> Path:
    """Keep the archives out of the project's var/ folder; the test reads them there."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return root


@pytest.fixture
def owner() -> User:
    return make_user("ottilie.owner@example.test", full_name="Ottilie Owner")


@pytest.fixture
def ready(
    owner: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> tuple[ExportArchive, str]:
    """The owner's export, built and emailed; return it with the email's text."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        archive = export_request(user=owner)
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.READY
    (message,) = mail.outbox
    return archive, message.body


def link_in(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/privacy/export/[^/\s]+/)", body)
    assert found is not None, body
    return found.group(1)


def code_in(body: str) -> str:
    found = re.search(r"one-time code:\n(\w+)", body)
    assert found is not None, body
    return found.group(1)


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def untouched(archive: ExportArchive, private: Path) -> bool:
    """Tell whether the export is still there for its owner: not spent, file kept."""
    archive.refresh_from_db()
    return (
        archive.status == ExportArchive.Status.READY
        and archive.downloaded_at is None
        and (private / archive.file_name).is_file()
    )


def served_a_file(response: Any) -> bool:
    return response.get("Content-Type") == "application/zip" or response.content[:2] == b"PK"


def test_right_1_another_signed_in_person_with_the_link_gets_nothing(ready, private):
    """Hardening 2.5: a signed-in person other than the owner, holding the link, is refused;
    no file is served and the export is not consumed."""
    archive, body = ready
    other = client_of(make_user("mallory.other@example.test"))

    page = other.get(link_in(body))
    taken = other.post(link_in(body))

    assert page.status_code == 200
    assert "belongs to another account" in page.content.decode()
    assert taken.status_code == 400  # the code is missing
    assert not served_a_file(taken)
    assert untouched(archive, private)
    # Positive control: the same link works for its owner, signed in, without a code.
    assert served_a_file(client_of(archive.user).post(link_in(body)))


def test_right_1_another_person_with_a_wrong_code_is_refused_and_it_counts(ready, private):
    """Hardening 2.5: a wrong code serves nothing, spends nothing, and counts as a try."""
    archive, body = ready
    other = client_of(make_user("mallory.other@example.test"))

    taken = other.post(link_in(body), {"code": "WRONG12345"})

    assert taken.status_code == 403
    assert "not the one we emailed" in taken.content.decode()
    assert not served_a_file(taken)
    assert untouched(archive, private)
    assert archive.code_attempts == 1


def test_right_1_the_holder_of_the_emailed_code_downloads_once(ready, private):
    """Hardening 2.5: without a session, the link and the emailed one-time code open it once;
    the code does not work a second time."""
    archive, body = ready
    device = client_of(None)

    page = device.get(link_in(body))
    taken = device.post(link_in(body), {"code": code_in(body).lower()})

    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert taken.status_code == 200 and served_a_file(taken)
    assert taken["Content-Disposition"] == 'attachment; filename="recommerce-data.zip"'
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.DOWNLOADED
    again = device.post(link_in(body), {"code": code_in(body)})
    assert again.status_code == 410 and not served_a_file(again)


def test_right_1_the_link_alone_without_a_session_gets_nothing(ready, private):
    """Hardening 2.5: a leaked link (a forwarded email, a history) is not enough."""
    archive, body = ready

    taken = client_of(None).post(link_in(body), {"code": ""})

    assert taken.status_code == 400
    assert not served_a_file(taken)
    assert untouched(archive, private)


def test_right_1_after_five_wrong_codes_only_the_owner_signed_in_can_download(
    ready, owner, private
):
    """Hardening 2.5: guessing stops after five tries; the owner keeps the export."""
    archive, body = ready
    guesser = client_of(None)
    for _ in range(5):
        assert guesser.post(link_in(body), {"code": "AAAAAAAAAA"}).status_code == 403

    right_code = guesser.post(link_in(body), {"code": code_in(body)})

    assert right_code.status_code == 403
    assert "can no longer be used" in right_code.content.decode()
    assert untouched(archive, private)
    assert served_a_file(client_of(owner).post(link_in(body)))


def test_right_1_the_code_is_not_stored_in_clear(ready):
    """Hardening 2.5: only a keyed hash of the code is kept."""
    archive, body = ready
    archive.refresh_from_db()
    assert archive.code_hash and code_in(body) not in archive.code_hash
