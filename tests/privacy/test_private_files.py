"""Hardening 2.1: no URL under /media/ reaches a private file, however the path is spelt;
Django serves no raw media folder, only the public pictures it knows (SEC-1, SEC-2)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver

from recommerce.accounts import roles
from recommerce.accounts.models import SellerDocument, User
from recommerce.accounts.services.sellers import seller_document_add, seller_onboarding_start
from recommerce.privacy.models import StaffAccess
from tests.accounts.conftest import make_staff, make_user
from tests.storage import throwaway_storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\nGerant: Yolande Kbis-Secret, 4 rue du Coffre\n%%EOF\n"
SECRET = b"Yolande Kbis-Secret"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'


@pytest.fixture(autouse=True)
def roots(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    dirs = throwaway_storage(settings, tmp_path)
    for pattern in get_resolver().url_patterns:
        # A media route binding its folder at import (a raw directory view) serves this one.
        if "document_root" in getattr(pattern, "default_args", {}):
            monkeypatch.setitem(pattern.default_args, "document_root", str(dirs["media"]))
    assert settings.DEBUG is False
    return dirs


@pytest.fixture
def owner() -> User:
    return make_user("yolande.owner@example.test", full_name="Yolande Owner")


@pytest.fixture
def document(owner: User) -> SellerDocument:
    seller = seller_onboarding_start(
        user=owner, name="Coffre Phones", legal_name="Coffre Phones SAS", country="FR"
    )
    upload = SimpleUploadedFile("kbis.pdf", PDF, content_type="application/pdf")
    return seller_document_add(seller=seller, actor=owner, kind="registration", upload=upload)


def tricks(document: SellerDocument) -> list[str]:
    """Every spelling of the document's path, in the old layout (under media/private/) and
    the new (its storage name), that a server or file system might normalise."""
    tail = f"sellers/{document.seller_id}/{document.token}.pdf"
    name = document.file.name
    return [
        f"/media//private/{tail}",
        f"/media/private/{tail}",
        f"/media/private%2F{tail.replace('/', '%2F')}",
        f"/media/catalog/../private/{tail}",
        f"/media/catalog/%2e%2e/private/{tail}",
        f"/media/catalog/%2E%2E/private/{tail}",
        f"/media/catalog/..%2Fprivate/{tail}",
        f"/media/PRIVATE/{tail}",
        f"/media/Private/{tail}",
        f"/MEDIA//private/{tail}",
        f"/media/{name}",
        f"/media//{name}",
        f"/media/catalog/../{name}",
        f"/media/%2e%2e/private/{name}",
        f"/media/./private/{tail}",
        f"/media/catalog/./../private/{tail}",
    ]


def body_of(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("who", ["anonymous", "another person"])
def test_p_sec_2_no_path_trick_under_media_reaches_a_sellers_document(document, who):
    """Hardening 2.1: `//`, `%2F`, `..`, `%2e%2e` and case all answer 404 with nothing."""
    client = Client()
    if who != "anonymous":
        client.force_login(make_user("mallory@example.test"))
    served = []
    for url in tricks(document):
        response = client.get(url)
        body = body_of(response)
        if response.status_code != 404 or SECRET in body or PDF[:8] in body:
            served.append(f"{url}: {response.status_code}")
    assert not served, "\n".join(served)


def test_p_sec_2_a_plain_copy_left_under_media_is_not_served_either(document, roots):
    """Hardening 2.1: even a document left in clear where the old layout kept it is out of
    reach: Django serves no media folder but the public pictures."""
    tail = f"private/sellers/{document.seller_id}/{document.token}.pdf"
    left = roots["media"] / tail
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(PDF)
    for url in (f"/media//{tail}", f"/media/{tail}", f"/media/catalog/../{tail}"):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert SECRET not in body_of(response)


@pytest.mark.parametrize(
    "name",
    [
        "notes/staff.txt",
        "catalog/notes.txt",
        "catalog/page.html",
        "catalog/.hidden.svg",
        "catalog/seed/UPPER.svg",
        "export.zip",
    ],
)
def test_p_sec_1_no_raw_media_folder_is_served(roots, name):
    """Hardening 2.1: a file under MEDIA_ROOT outside the public pictures is never served."""
    path = roots["media"] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"Not for the public: " + SECRET)

    response = Client().get(f"/media/{name}")

    assert response.status_code == 404
    assert SECRET not in body_of(response)


def test_p_sec_1_a_link_in_the_public_folder_cannot_lead_out_of_it(roots, document):
    """Hardening 2.1: a symbolic link among the pictures is not followed outside them."""
    outside = roots["media"] / "outside.svg"
    outside.write_bytes(SECRET)
    (roots["media"] / "catalog").mkdir()
    os.symlink(outside, roots["media"] / "catalog" / "linked.svg")

    response = Client().get("/media/catalog/linked.svg")

    assert response.status_code == 404


def test_public_catalog_pictures_still_show_and_run_nothing():
    """Hardening 2.1: the catalog's pictures are served, sandboxed, to anyone."""
    name = default_storage.save("catalog/seed/phone-1.svg", ContentFile(SVG))

    response = Client().get(f"/media/{name}")
    head = Client().head(f"/media/{name}")
    post = Client().post(f"/media/{name}")

    assert response.status_code == 200
    assert body_of(response) == SVG
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (head.status_code, post.status_code) == (200, 405)


def test_p_sec_1_a_sellers_document_is_encrypted_at_rest(document, roots):
    """Hardening 2.1: the document's bytes are nowhere on disk in clear."""
    files = [p for root in roots.values() for p in root.rglob("*") if p.is_file()]
    assert files, "the document was stored somewhere"
    for path in files:
        assert SECRET not in path.read_bytes(), path
        assert b"%PDF" not in path.read_bytes(), path


def test_p_sec_1_the_document_view_serves_its_people_and_logs_reviewing_staff(owner, document):
    """Hardening 2.1: the access-checked view is the way in: the seller's people and
    reviewing staff (each look logged) get the document; anyone else a 404."""
    url = f"/account/seller/documents/{document.token}/"
    clients = {}
    for who, user in (
        ("owner", owner),
        ("reviewer", make_staff(roles.ANTI_FRAUD)),
        ("stranger", make_user("stranger@example.test")),
        ("finance", make_staff(roles.FINANCE)),
    ):
        clients[who] = Client()
        clients[who].force_login(user)

    owner_copy = clients["owner"].get(url)
    assert StaffAccess.objects.count() == 0  # the seller's own look is not a staff look
    reviewer_copy = clients["reviewer"].get(url)
    refused = [clients[who].get(url) for who in ("stranger", "finance")]

    assert body_of(owner_copy) == body_of(reviewer_copy) == PDF
    assert reviewer_copy["Content-Disposition"] == 'attachment; filename="registration.pdf"'
    assert [r.status_code for r in refused] == [404, 404]
    (look,) = StaffAccess.objects.all()
    assert look.what == f"seller {document.seller_id} document {document.pk} (registration)"
    assert look.path == url
