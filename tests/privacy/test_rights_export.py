"""The data export (RIGHT-1): what a buyer with orders receives, and how the link behaves.

``data.json`` validates against the published schema, every section has its CSV, the HTML
summary reads the same data, secrets never leave, and the download works once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from recommerce.accounts.models import Seller, SellerDocument, SellerMembership, User
from recommerce.accounts.services import seller_create
from recommerce.accounts.services.sellers import seller_document_add
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy import purposes
from recommerce.privacy.encryption.files import unseal_bytes
from recommerce.privacy.models import DataRequest, ExportArchive
from recommerce.privacy.registry import Erasure, Registry, Retention, not_personal, personal
from recommerce.privacy.rights.export import export_archive_bytes, export_sections
from recommerce.privacy.rights.schema import export_json_schema
from recommerce.privacy.services.exports import (
    ExportUnavailable,
    export_link_token,
    export_request,
    export_take,
    exports_expire,
)
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.requests import data_request_submit
from tests.accounts.conftest import make_staff, make_user
from tests.privacy.test_rights_erasure import (
    CANARY_CITY,
    CANARY_EMAIL,
    CANARY_NAME,
    CANARY_PHONE,
    CANARY_STREET,
    buy,
    deliver,
    make_person,
)
from tests.storage import throwaway_storage

pytestmark = pytest.mark.django_db

SCHEMA_URL = "http://testserver/privacy/export-schema.json"


@pytest.fixture(autouse=True)
def storage_dirs(settings: Any, tmp_path: Path) -> Iterator[dict[str, Path]]:
    dirs = throwaway_storage(settings, tmp_path)
    settings.SITE_URL = "https://shop.example"
    clear_provider_cache()
    yield dirs
    clear_provider_cache()


@pytest.fixture
def buyer(django_capture_on_commit_callbacks: Callable[..., Any]) -> dict[str, Any]:
    """A buyer with two delivered orders and a second factor."""
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks)
    deliver(bought, django_capture_on_commit_callbacks)
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    return {"person": User.objects.get(pk=person.pk), "orders": bought.orders, "secret": secret}


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


# --- Contents ---------------------------------------------------------------------------------


def test_right_1_archive_holds_json_csv_per_section_and_a_summary(buyer: dict[str, Any]) -> None:
    person: User = buyer["person"]
    orders: list[Order] = buyer["orders"]

    files = unzip(export_archive_bytes(person, schema_url=SCHEMA_URL))
    document = json.loads(files["data.json"])

    validate(document, export_json_schema())
    assert document["$schema"] == SCHEMA_URL
    assert (document["format_version"], document["account_id"]) == ("1.0", person.pk)
    sections = document["sections"]
    assert {
        "accounts.user",
        "accounts.address",
        "account.emailaddress",
        "orders.order",
        "orders.orderline",
        "orders.invoice",
        "payments.payment",
        "checkout.checkout",
        "privacy.auditevent",
        "privacy.disclosure",
        "mfa.authenticator",
    } <= set(sections)
    (me,) = sections["accounts.user"]["records"]
    assert (me["id"], me["email"], me["full_name"], me["phone"]) == (
        person.pk,
        CANARY_EMAIL,
        CANARY_NAME,
        CANARY_PHONE,
    )
    assert me["birth_date"] == "1988-03-09"
    assert "password" not in me and "is_staff" not in me
    addresses = sections["accounts.address"]["records"]
    assert [(a["line1"], a["city"], a["postal_code"]) for a in addresses] == [
        (CANARY_STREET, CANARY_CITY, "75011"),
        (CANARY_STREET, CANARY_CITY, "75011"),
    ]
    exported_orders = sections["orders.order"]["records"]
    assert [o["id"] for o in exported_orders] == sorted(o.pk for o in orders)
    by_id = {o.pk: o for o in orders}
    for record in exported_orders:
        order = by_id[record["id"]]
        assert (record["delivery_name"], record["billing_city"], record["total_minor"]) == (
            CANARY_NAME,
            CANARY_CITY,
            order.total_minor,
        )
        assert order.delivered_at is not None
        assert record["delivered_at"] == order.delivered_at.isoformat()
    assert "user.contact.delivery" in sections["orders.order"]["categories"]
    # Only the person's own rows: another buyer's order is not there.
    other = make_person("other-buyer@example.org", name="Other Buyer")
    other_files = unzip(export_archive_bytes(other, schema_url=SCHEMA_URL))
    assert "orders.order" not in json.loads(other_files["data.json"])["sections"]

    # One CSV per section, with the same records.
    assert sorted(n for n in files if n.startswith("csv/")) == sorted(
        f"csv/{key}.csv" for key in sections
    )
    for key, section in sections.items():
        rows = list(csv.DictReader(io.StringIO(files[f"csv/{key}.csv"].decode())))
        assert [row["id"] for row in rows] == [str(r["id"]) for r in section["records"]]
    order_rows = list(csv.DictReader(io.StringIO(files["csv/orders.order.csv"].decode())))
    assert {row["delivery_line1"] for row in order_rows} == {CANARY_STREET}

    summary = files["summary.html"].decode()
    assert summary.startswith("<!doctype html>")
    assert f"Account number {person.pk}" in summary
    assert CANARY_NAME in summary and "8 allée Vqxjz" in summary
    # Every kind of data has its section, or sits inside another's records (an order's items).
    inside = {"orders.orderline", "orders.trackingevent"}
    for key in set(sections) - inside:
        assert f'<section id="{key.replace(".", "-")}">' in summary


def test_right_1_secrets_never_leave(buyer: dict[str, Any]) -> None:
    person: User = buyer["person"]
    totp = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)

    content = export_archive_bytes(person, schema_url=SCHEMA_URL)
    everything = b"\n".join(unzip(content).values())

    assert person.password and person.password.encode() not in everything
    assert person.password.split("$")[-1].encode() not in everything
    assert buyer["secret"].encode() not in everything
    assert json.dumps(totp.data).encode() not in everything
    assert totp.data["secret"].encode() not in everything
    (factor,) = json.loads(unzip(content)["data.json"])["sections"]["mfa.authenticator"]["records"]
    assert set(factor) == {"id", "user", "type", "created_at", "last_used_at"}
    assert factor["type"] == "totp"
    for section in export_sections(person):
        assert not any(c.startswith("user.credentials.") for c in section.categories)


def test_right_1_a_person_with_no_orders_still_gets_a_valid_export() -> None:
    person = make_user("new@example.org")

    document = json.loads(unzip(export_archive_bytes(person, schema_url=SCHEMA_URL))["data.json"])

    validate(document, export_json_schema())
    assert set(document["sections"]) == {"accounts.user", "account.emailaddress"}


def test_right_1_uploaded_files_travel_in_files(storage_dirs: dict[str, Path]) -> None:
    """The engine puts a person's uploads under ``files/``.

    No registered field links an upload to its uploader today (a seller's documents are
    the company's, subject-less), so a registry that does is built here.
    """
    person = make_person()
    seller = seller_create(
        name="Atelier Export", legal_name="Atelier Export SAS", country="FR",
        status=Seller.Status.DRAFT,
    )  # fmt: skip
    SellerMembership.objects.create(seller=seller, user=person, role=SellerMembership.Role.OWNER)
    pdf = b"%PDF-1.4\nregistration extract\n"
    document = seller_document_add(
        seller=seller,
        actor=person,
        kind=SellerDocument.Kind.REGISTRATION,
        upload=SimpleUploadedFile("kbis.pdf", pdf, content_type="application/pdf"),
    )
    with_uploads = Registry()
    with_uploads.register(
        SellerDocument,
        personal(
            "file",
            category="user.documents.uploaded",
            subject="uploaded_by",
            purposes=[purposes.SERVICE_ACCOUNT],
            retention=Retention(days=None, starts="the seller's closure"),
            erasure=Erasure.DELETE,
            export_label="Documents you uploaded",
        ),
        not_personal("id", "seller", "kind", "token", "extension", "content_type", "size"),
    )

    files = unzip(export_archive_bytes(person, schema_url=SCHEMA_URL, reg=with_uploads))

    zip_name = f"files/accounts.sellerdocument/{document.pk}-{document.token}.pdf"
    assert files[zip_name] == pdf
    data = json.loads(files["data.json"])
    validate(data, export_json_schema(reg=with_uploads))
    assert data["sections"]["accounts.sellerdocument"]["records"] == [
        {"id": document.pk, "file": zip_name}
    ]
    # With the project's registry the company's document stays out of a person's export.
    own = unzip(export_archive_bytes(person, schema_url=SCHEMA_URL))
    assert not [name for name in own if name.startswith("files/")]


# --- The download link ------------------------------------------------------------------------


def _emailed_link() -> str:
    (message,) = [m for m in mail.outbox if "ready to download" in m.subject]
    found = re.search(r"https://shop\.example/privacy/export/([^/\s]+)/", str(message.body))
    assert found is not None
    return found.group(1)


def test_right_1_access_request_builds_the_export_emails_the_link_and_closes(
    buyer: dict[str, Any],
    storage_dirs: dict[str, Path],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person: User = buyer["person"]
    request = data_request_submit(
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=person.full_name,
        email=person.email,
        user=person,
    )
    staff = make_staff(None, "dpo@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        data_request_fulfil(request=request, actor=staff)

    archive = ExportArchive.objects.get(user=person)
    assert (archive.status, archive.request) == (ExportArchive.Status.READY, request)
    assert archive.ready_at is not None
    assert archive.expires_at == archive.ready_at + dt.timedelta(hours=72)
    stored = storage_dirs["private"] / archive.file_name
    # Sealed at rest (SEC-1): the disk holds ciphertext, the ZIP comes out on download.
    zipped = unseal_bytes(stored.read_bytes())
    assert zipped[:2] == b"PK" and archive.size == len(zipped)
    request.refresh_from_db()
    assert (request.status, request.answer) == (
        DataRequest.Status.COMPLETED,
        "Your data is ready: use the download link we emailed you.",
    )
    ready = [m for m in mail.outbox if "ready to download" in m.subject]
    assert [m.to for m in ready] == [[CANARY_EMAIL]]
    token = _emailed_link()
    built = zipped

    with django_capture_on_commit_callbacks(execute=True):
        taken, content = export_take(token=token, user=person)

    assert (taken.pk, content) == (archive.pk, built)
    assert json.loads(unzip(content)["data.json"])["account_id"] == person.pk
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.DOWNLOADED
    assert archive.downloaded_at is not None
    assert not stored.exists()

    with pytest.raises(ExportUnavailable, match="already used or is no longer available"):
        export_take(token=token, user=person)


def test_right_1_an_expired_link_fails_and_the_file_is_deleted(
    storage_dirs: dict[str, Path], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    person = make_person()
    start = clock.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        archive = export_request(user=person)
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.READY
    with time_machine.travel(start, tick=False):
        token = export_link_token(archive)
    stored = storage_dirs["private"] / archive.file_name

    with time_machine.travel(start + dt.timedelta(hours=72, minutes=1), tick=False):
        with pytest.raises(ExportUnavailable, match="not valid or has expired"):
            export_take(token=token, user=person)
        assert stored.exists()
        assert exports_expire() == 1

    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.EXPIRED
    assert not stored.exists()
    with pytest.raises(ExportUnavailable):
        export_take(token=token, user=person)


def test_right_1_a_ready_archive_past_its_expiry_fails_even_with_a_fresh_token(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        archive = export_request(user=person)
    ExportArchive.objects.filter(pk=archive.pk).update(
        expires_at=clock.now() - dt.timedelta(minutes=1)
    )

    with pytest.raises(ExportUnavailable, match=re.escape("This download link has expired.")):
        export_take(token=export_link_token(archive), user=person)
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.READY


def test_right_1_a_forged_or_foreign_token_fails() -> None:
    with pytest.raises(ExportUnavailable, match="not valid or has expired"):
        export_take(token="not-a-token")
    from django.core import signing

    with pytest.raises(ExportUnavailable, match="not valid or has expired"):
        export_take(token=signing.dumps({"a": 1}, salt="another.purpose"))


def test_right_1_a_link_whose_file_is_gone_fails_cleanly(
    storage_dirs: dict[str, Path], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    person = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        archive = export_request(user=person)
    archive.refresh_from_db()
    (storage_dirs["private"] / archive.file_name).unlink()

    with pytest.raises(ExportUnavailable, match="no longer available"):
        export_take(token=export_link_token(archive), user=person)
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.READY


def test_right_1_technical_copies_stay_out_of_the_export() -> None:
    from recommerce.platform.idempotency import idempotent_call

    person = make_person()
    idempotent_call(
        actor=f"user:{person.pk}",
        key="k",
        operation="cart.add",
        body={},
        call=lambda: (201, {"ok": True}),
    )

    document = json.loads(unzip(export_archive_bytes(person, schema_url=SCHEMA_URL))["data.json"])

    assert "platform.idempotentrequest" not in document["sections"]
