"""Hardening 2.1: seller and identity documents are sealed with the key ring of the encrypted
columns, rotated by ``recommerce privacy rotate-keys``, and files stored in clear before
are sealed by the migrations; the notice counts them as encrypted (SEC-1, NOTICE-1)."""

from __future__ import annotations

import importlib
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Value
from django.db.models.fields import TextField
from django.test import override_settings

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, SellerDocument, User
from recommerce.accounts.services.sellers import seller_document_add, seller_onboarding_start
from recommerce.privacy.encryption import encrypt
from recommerce.privacy.encryption.cipher import DecryptionError
from recommerce.privacy.encryption.files import (
    MAGIC,
    files_rotate,
    sealed_storage,
    unseal_bytes,
)
from recommerce.privacy.encryption.keys import reset_keys
from recommerce.privacy.management.commands import encryption_rotate
from recommerce.privacy.models import DataRequest
from recommerce.privacy.notice.build import notice_data
from recommerce.privacy.registry import registry
from recommerce.privacy.services.requests import (
    data_request_document_ask,
    data_request_document_read,
    data_request_document_upload,
    data_request_submit,
)
from tests.accounts.conftest import make_staff, make_user
from tests.storage import throwaway_storage

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PDF = b"%PDF-1.7\nGerant: Ulrich Sealwright\n%%EOF\n"
PASSPORT = b"%PDF-1.4\nPASSPORT 19XK44021 SEALWRIGHT ULRICH\n"


@pytest.fixture(autouse=True)
def roots(settings: Any, tmp_path: Path) -> Any:
    dirs = throwaway_storage(settings, tmp_path)
    with override_settings(ENCRYPTION_KEYS=[KEY_A]):
        yield SimpleNamespace(**dirs)
    reset_keys()


@pytest.fixture
def owner() -> User:
    return make_user("ulrich.owner@example.test", full_name="Ulrich Sealwright")


@pytest.fixture
def document(owner: User) -> SellerDocument:
    seller = seller_onboarding_start(
        user=owner, name="Seal Phones", legal_name="Seal Phones SAS", country="FR"
    )
    upload = SimpleUploadedFile("kbis.pdf", PDF, content_type="application/pdf")
    return seller_document_add(seller=seller, actor=owner, kind="registration", upload=upload)


@pytest.fixture
def identity() -> DataRequest:
    request = data_request_submit(
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name="Ulrich Sealwright",
        email="ulrich@example.test",
    )
    data_request_document_ask(request=request, actor=None, note="")
    request.refresh_from_db()
    data_request_document_upload(request=request, content=PASSPORT, content_type="application/pdf")
    request.refresh_from_db()
    return request


def raw(roots: Any, name: str) -> bytes:
    return (roots.private / name).read_bytes()


def test_p_sec_1_documents_are_sealed_with_the_column_key_ring(roots, document, identity):
    """Hardening 2.1: one format and one key ring for both kinds of document."""
    for name, content in ((document.file.name, PDF), (identity.identity_document.name, PASSPORT)):
        stored = raw(roots, name)
        assert stored.startswith(MAGIC)
        assert content not in stored and b"SEALWRIGHT" not in stored.upper()
        assert unseal_bytes(stored) == content
    # Another key ring opens nothing.
    with override_settings(ENCRYPTION_KEYS=[KEY_B]), pytest.raises(DecryptionError):
        unseal_bytes(raw(roots, document.file.name))
    dpo = make_staff(roles.DPO)
    assert data_request_document_read(request=identity, staff=dpo) == PASSPORT


def test_p_sec_1_a_sealed_file_has_no_url_and_cannot_be_opened_to_write(document):
    """Hardening 2.1: the storage offers no way around the access-checked views."""
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018
    with pytest.raises(ValueError, match="never opened to write"):
        sealed_storage().open(document.file.name, "wb")


def test_p_sec_1_rotate_keys_re_encrypts_sealed_files_and_columns(
    roots, document, identity, monkeypatch
):
    """Hardening 2.1: `recommerce privacy rotate-keys` moves files to the newest key too."""
    monkeypatch.setattr(
        encryption_rotate, "encrypted_columns", lambda: [(Seller, Seller._meta.get_field("iban"))]
    )
    roots.private.joinpath("exports").mkdir()
    roots.private.joinpath("exports", "1-plain.zip").write_bytes(b"PK\x03\x04 not sealed")
    before = {
        name: raw(roots, name) for name in (document.file.name, identity.identity_document.name)
    }

    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        dry = StringIO()
        call_command("privacy", "rotate-keys", "--dry-run", stdout=dry)
        assert "sealed files: 2 to rotate, 0 already current, 0 unreadable" in dry.getvalue()
        assert {name: raw(roots, name) for name in before} == before  # a dry run writes nothing

        out = StringIO()
        call_command("privacy", "rotate-keys", stdout=out)
        assert "sealed files: 2 rotated, 0 already current, 0 unreadable" in out.getvalue()
        again = StringIO()
        call_command("privacy", "rotate-keys", stdout=again)
        assert "sealed files: 0 rotated, 2 already current, 0 unreadable" in again.getvalue()

    with override_settings(ENCRYPTION_KEYS=[KEY_B]):  # the old key can now be dropped
        assert unseal_bytes(raw(roots, document.file.name)) == PDF
        assert unseal_bytes(raw(roots, identity.identity_document.name)) == PASSPORT
    assert roots.private.joinpath("exports", "1-plain.zip").read_bytes() == b"PK\x03\x04 not sealed"


def test_p_sec_1_rotate_keys_fails_when_a_files_key_is_missing(roots, document, monkeypatch):
    """Hardening 2.1: a file no key opens is reported, never counted as current."""
    monkeypatch.setattr(encryption_rotate, "encrypted_columns", list)
    with (
        override_settings(ENCRYPTION_KEYS=[KEY_B]),
        pytest.raises(CommandError, match=rf"1 file cannot be decrypted.*{document.file.name}"),
    ):
        call_command("encryption_rotate", stdout=StringIO())


def test_p_sec_1_a_rotation_never_brings_back_a_file_deleted_meanwhile(roots, document):
    """Hardening 2.1: a file deleted (or replaced) between the read and the write stays as
    the application left it."""
    storage = sealed_storage()
    name = document.file.name
    old = storage.raw_read(name)
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        fresh = MAGIC + encrypt("x").encode()
        storage.delete(name)
        assert storage.raw_replace(name, expected=old, fresh=fresh) is False
        assert not (roots.private / name).exists()

        other = storage.save("sellers/9/other.pdf", ContentFile(b"%PDF other"))
        replaced = storage.raw_read(other)
        assert storage.raw_replace(other, expected=old, fresh=fresh) is False
        assert storage.raw_read(other) == replaced
        assert files_rotate().changed == 0


def test_p_notice_1_the_notice_counts_sealed_files_as_encrypted():
    """Hardening 2.1: the data map's encrypted flag (the notice's mark) holds for files."""
    for key in (("accounts.SellerDocument", "file"), ("privacy.DataRequest", "identity_document")):
        assert registry.is_encrypted(registry.personal_fields[key]), key
    notice = notice_data(language="en")
    (documents,) = [
        row for group in notice.groups for row in group.rows if row.code == "user.documents.company"
    ]
    assert documents.encrypted
    assert documents.label in notice.encrypted


def _migration(app: str, name: str) -> Any:
    return importlib.import_module(f"recommerce.{app}.migrations.{name}")


def test_p_sec_1_the_migration_seals_seller_documents_stored_in_clear(
    roots, owner, django_capture_on_commit_callbacks
):
    """Hardening 2.1: a database from before keeps its documents, sealed and moved out of
    media/; going back restores them in clear."""
    seller = seller_onboarding_start(
        user=owner, name="Old Phones", legal_name="Old Phones SAS", country="FR"
    )
    old_name = default_storage.save(f"private/sellers/{seller.pk}/0123abcd.pdf", ContentFile(PDF))
    doc = SellerDocument.objects.create(
        seller=seller, kind="registration", token="0123abcd", extension="pdf",
        content_type="application/pdf", size=len(PDF), file=old_name,
    )  # fmt: skip
    migration = _migration("accounts", "0006_seal_seller_documents")
    editor = SimpleNamespace(connection=connection)

    with django_capture_on_commit_callbacks(execute=True):
        migration.seal_documents(apps, editor)
        migration.seal_documents(apps, editor)  # run twice: nothing more happens

    doc.refresh_from_db()
    assert doc.file.name == f"sellers/{seller.pk}/0123abcd.pdf"
    assert raw(roots, doc.file.name).startswith(MAGIC)
    assert [p for p in roots.media.rglob("*") if p.is_file()] == []
    with doc.file.open("rb") as handle:
        assert handle.read() == PDF

    with django_capture_on_commit_callbacks(execute=True):
        migration.unseal_documents(apps, editor)
    doc.refresh_from_db()
    assert doc.file.name == old_name
    assert (roots.media / old_name).read_bytes() == PDF
    assert [p for p in roots.private.rglob("*") if p.is_file()] == []


def test_p_sec_1_the_migration_seals_identity_documents_of_the_previous_format(
    roots, django_capture_on_commit_callbacks
):
    """Hardening 2.1: the previous format (a token of the bytes in hex, under an encrypted
    name) becomes a sealed file named in clear."""
    if connection.vendor == "postgresql":  # the column as it was before (text), for the name
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE privacy_datarequest ALTER COLUMN identity_document TYPE text"
            )
    request = data_request_submit(
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name="Ulrich Sealwright",
        email="ulrich@example.test",
    )
    old_name = storages["private"].save(
        f"identity/{request.reference}-00ff.enc", ContentFile(encrypt(PASSPORT.hex()).encode())
    )
    DataRequest.objects.filter(pk=request.pk).update(
        identity_document=Value(encrypt(old_name), output_field=TextField())
    )
    migration = _migration("privacy", "0007_sealed_identity_documents_export_codes")

    with django_capture_on_commit_callbacks(execute=True):
        migration.seal_documents(apps, SimpleNamespace(connection=connection))

    request.refresh_from_db()
    name = request.identity_document.name
    assert name.startswith(f"identity/{request.reference}-")
    assert unseal_bytes(raw(roots, name)) == PASSPORT
    assert not (roots.private / old_name).exists()


def test_p_sec_1_export_archives_are_sealed_and_the_migration_seals_waiting_ones(
    roots, django_capture_on_commit_callbacks
):
    """An export ZIP, everything about a person, lay in clear for up to 72 hours: archives
    are now written sealed, and the migration seals those already waiting (and back)."""
    from recommerce.privacy.models import ExportArchive

    zipped = b"PK\x03\x04 an archive of everything"
    user = User.objects.create_user("zoe@example.test", None)
    plain = storages["private"].save(f"exports/{user.pk}-old.zip", ContentFile(zipped))
    archive = ExportArchive.objects.create(
        user=user, status=ExportArchive.Status.READY, file_name=plain, size=len(zipped)
    )
    migration = _migration("privacy", "0008_seal_export_archives")
    editor = SimpleNamespace(connection=connection)

    with django_capture_on_commit_callbacks(execute=True):
        migration.seal_archives(apps, editor)
        migration.seal_archives(apps, editor)  # run twice: nothing more happens

    archive.refresh_from_db()
    assert raw(roots, archive.file_name).startswith(MAGIC)
    assert unseal_bytes(raw(roots, archive.file_name)) == zipped
    assert [p.name for p in (roots.private / "exports").iterdir()] == [
        archive.file_name.rsplit("/", 1)[1]
    ]

    with django_capture_on_commit_callbacks(execute=True):
        migration.unseal_archives(apps, editor)
    archive.refresh_from_db()
    assert raw(roots, archive.file_name) == zipped
    assert len(list((roots.private / "exports").iterdir())) == 1
