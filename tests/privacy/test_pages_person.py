"""The privacy pages a person uses, through the web client: requests, exports, erasure."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import User
from recommerce.privacy import purposes
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
    ErasureRecord,
    ExportArchive,
    ProcessingLimit,
)
from recommerce.privacy.registry import registry
from recommerce.privacy.selectors import processing_allowed
from recommerce.privacy.services import disclosure_record
from recommerce.privacy.services.requests import data_request_document_ask, data_request_submit
from tests.accounts.conftest import PASSWORD
from tests.checkout.conftest import make_buyer

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _storage(settings: Any, tmp_path: Any) -> None:
    """Keep exports and uploads of the tests out of the project's var/ folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def postal_code_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declare one identity fact: the postal code of one of the account's addresses."""
    monkeypatch.setitem(
        registry.identity_facts,
        "postal_code",
        (
            "Postal code of one of your addresses",
            lambda user, value: user.addresses.filter(postal_code=value).exists(),
        ),
    )


def signed_in(user: User, *, reauthenticated: bool) -> Client:
    client = Client()
    client.force_login(user)
    if reauthenticated:
        response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 302
    return client


def ask(client: Client, **overrides: str) -> Any:
    data = {
        "full_name": "Camille Laurent",
        "email": "Camille@Example.com",
        "kind": "access",
        "jurisdiction": "gdpr",
        "purpose": "",
        "details": "",
        "website": "",
        **overrides,
    }
    return client.post(reverse("privacy:request"), data)


def emailed_code(reference: str) -> str:
    body = mail.outbox[-1].body
    link = re.search(
        rf"{re.escape(settings.SITE_URL)}/privacy/request/{reference}/verify/\?code=(\d{{6}})",
        body,
    )
    assert link is not None, body
    return link.group(1)


# --- The public request form and its identity check (RIGHT-4) ----------------------------


def test_anonymous_request_is_verified_by_code_and_a_matching_fact(postal_code_fact: None):
    # promise: RIGHT-4
    buyer = make_buyer("camille@example.com")
    client = Client()
    assert client.get(reverse("privacy:request")).status_code == 200

    response = ask(client)

    request = DataRequest.objects.get()
    verify_url = reverse("privacy:request-verify", args=[request.reference])
    assert response.status_code == 302
    assert response["Location"] == verify_url
    assert (request.status, request.channel, request.email, request.user) == (
        "received",
        "web_form",
        "camille@example.com",
        None,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.com"]
    assert mail.outbox[0].subject == f"Recommerce: Confirm your request ({request.reference})"
    code = emailed_code(request.reference)

    page = client.get(f"{verify_url}?code={code}")
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    assert "Postal code of one of your addresses (optional)" in page.content.decode()

    response = client.post(verify_url, {"code": code, "fact_postal_code": "75011"})

    assert response.status_code == 302
    assert response["Location"] == verify_url
    request.refresh_from_db()
    assert (request.status, request.user, request.verification_method) == (
        "verified",
        buyer,
        "email code and a matching fact",
    )
    assert request.data_points == {"postal_code": "75011"}
    done = client.get(verify_url).content.decode()
    assert "your identity is confirmed" in done
    assert f"will answer by <strong>{request.due_on:%-d %B %Y}</strong>" in done


def test_wrong_code_is_refused_and_the_request_stays_received(postal_code_fact: None):
    # promise: RIGHT-4
    make_buyer("camille@example.com")
    client = Client()
    ask(client)
    request = DataRequest.objects.get()
    code = emailed_code(request.reference)
    wrong = "000000" if code != "000000" else "111111"

    response = client.post(
        reverse("privacy:request-verify", args=[request.reference]),
        {"code": wrong, "fact_postal_code": "75011"},
    )

    assert response.status_code == 400
    assert "This code is not the one we sent." in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.verified_at, request.user) == ("received", None, None)


def test_wrong_codes_are_counted(postal_code_fact: None):
    # promise: RIGHT-4
    make_buyer("camille@example.com")
    client = Client()
    ask(client)
    request = DataRequest.objects.get()
    code = emailed_code(request.reference)
    wrong = "000000" if code != "000000" else "111111"

    client.post(reverse("privacy:request-verify", args=[request.reference]), {"code": wrong})

    request.refresh_from_db()
    assert request.code_attempts == 1


def test_code_without_a_matching_fact_leaves_the_identity_in_doubt(postal_code_fact: None):
    make_buyer("camille@example.com")
    client = Client()
    ask(client)
    request = DataRequest.objects.get()
    verify_url = reverse("privacy:request-verify", args=[request.reference])

    response = client.post(
        verify_url, {"code": emailed_code(request.reference), "fact_postal_code": "99999"}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.user, request.code_hash) == ("received", None, "")
    assert (
        "we may ask you for a copy of an identity document"
        in client.get(verify_url).content.decode()
    )


def test_request_form_rejects_bad_input_without_recording_anything():
    client = Client()

    no_purpose = ask(client, kind="objection")
    bad_email = ask(client, email="not-an-address")
    robot = ask(client, website="https://spam.example")

    assert no_purpose.status_code == 400
    assert "Choose the use of your data to restrict or stop." in no_purpose.content.decode()
    assert bad_email.status_code == 400
    assert "Enter a valid email address." in bad_email.content.decode()
    assert robot.status_code == 400
    assert "This request could not be sent." in robot.content.decode()
    assert DataRequest.objects.count() == 0
    assert mail.outbox == []


def test_verify_page_of_an_unknown_reference_is_404():
    response = Client().post(
        reverse("privacy:request-verify", args=["DSR-00NOPE"]), {"code": "123456"}
    )
    assert response.status_code == 404


def test_identity_document_upload_checks_the_file_type():
    request = data_request_submit(
        kind="access",
        channel="web_form",
        jurisdiction="gdpr",
        full_name="Camille Laurent",
        email="camille@example.com",
    )
    url = reverse("privacy:request-document", args=[request.reference])
    client = Client()
    assert client.get(url).status_code == 404  # nothing asked for yet

    data_request_document_ask(request=request, actor=None, note="The facts did not match.")
    assert client.get(url).status_code == 200
    text = io.BytesIO(b"hello, I am not a passport")
    text.name = "passport.png"
    refused = client.post(url, {"document": text})
    png = io.BytesIO(PNG)
    png.name = "passport.png"
    accepted = client.post(url, {"document": png})

    assert refused.status_code == 400
    assert "Send a PDF, JPEG or PNG file." in refused.content.decode()
    assert accepted.status_code == 302
    request.refresh_from_db()
    assert request.identity_document_type == "image/png"
    assert request.identity_document.name.startswith("identity/")


# --- Download my data (RIGHT-1) ------------------------------------------------------------


def test_export_link_works_once_then_410(django_capture_on_commit_callbacks: Any):
    # promise: RIGHT-1
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:mine-export"))

    assert response.status_code == 302
    archive = ExportArchive.objects.get(user=user)
    assert archive.status == "ready"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.com"]
    found = re.search(r"https?://\S+(/privacy/export/[^/\s]+/)", mail.outbox[0].body)
    assert found is not None, mail.outbox[0].body
    link = found.group(1)
    code = re.search(r"one-time code:\n(\w+)", mail.outbox[0].body).group(1)

    elsewhere = Client()  # another device: the link and the emailed code, no session
    assert elsewhere.get(link).status_code == 200
    archive.refresh_from_db()
    assert archive.status == "ready"  # opening the link does not spend it

    download = elsewhere.post(link, {"code": code})

    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == 'attachment; filename="recommerce-data.zip"'
    assert download["Cache-Control"] == "no-store"
    schema_response = elsewhere.get(reverse("privacy:export-schema"))
    assert schema_response.status_code == 200
    assert schema_response["Cache-Control"] == "public, max-age=3600"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive_zip:
        document = json.loads(archive_zip.read("data.json"))
    jsonschema.validate(document, schema_response.json())
    assert document["account_id"] == user.pk
    assert document["sections"]["accounts.user"]["records"][0]["email"] == "camille@example.com"

    again = elsewhere.post(link, {"code": code})

    assert again.status_code == 410
    assert "already used or is no longer available" in again.content.decode()
    archive.refresh_from_db()
    assert archive.status == "downloaded"


def test_export_link_with_a_forged_token_is_410():
    response = Client().post(reverse("privacy:export-download", args=["forged:token"]))
    assert response.status_code == 410
    assert "not valid or has expired" in response.content.decode()


def test_export_needs_a_fresh_password():
    # promise: RIGHT-1
    user = make_buyer()
    client = signed_in(user, reauthenticated=False)

    response = client.post(reverse("privacy:mine-export"))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")
    assert ExportArchive.objects.filter(user=user).count() == 0


# --- Who received my data (SHARE-5) ----------------------------------------------------------


def test_page_lists_who_received_my_data():
    # promise: SHARE-5
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

    page = signed_in(user, reauthenticated=False).get(reverse("privacy:mine"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Colis Express" in html
    assert "<dd>Delivery address, Full name</dd>" in html
    assert purposes.SERVICE_ORDERS.description in html
    assert "<dd>R-1001</dd>" in html
    assert "R-2002" not in html
    assert "Someone Else" not in html


def test_my_data_page_needs_an_account():
    response = Client().get(reverse("privacy:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Restrictions and objections (CONSENT-7) -------------------------------------------------


def test_object_to_marketing_then_allow_it_again():
    user = make_buyer()
    client = signed_in(user, reauthenticated=False)

    response = client.post(
        reverse("privacy:mine-limit"),
        {"purpose": "marketing.email", "kind": "objection", "reason": "Too many emails"},
    )

    assert response.status_code == 302
    limit = ProcessingLimit.objects.get(user=user)
    assert (limit.purpose, limit.kind, limit.reason) == (
        "marketing.email",
        "objection",
        "Too many emails",
    )
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is False

    client.post(reverse("privacy:mine-lift"), {"purpose": "marketing.email"})

    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is True


def test_a_legal_obligation_cannot_be_objected_to():
    user = make_buyer()
    client = signed_in(user, reauthenticated=False)

    response = client.post(
        reverse("privacy:mine-limit"), {"purpose": "legal.accounting", "kind": "objection"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert ProcessingLimit.objects.filter(user=user).count() == 0


# --- Rectification (RIGHT-2) ------------------------------------------------------------------


def test_rectification_request_from_the_account():
    # promise: RIGHT-2
    user = make_buyer()
    client = signed_in(user, reauthenticated=True)

    response = client.post(
        reverse("privacy:mine-rectify"), {"details": "The name on invoice F-12 is misspelt."}
    )

    assert response.status_code == 302
    request = DataRequest.objects.get(user=user)
    assert (request.kind, request.channel, request.status, request.details) == (
        "rectification",
        "account",
        "verified",
        "The name on invoice F-12 is misspelt.",
    )
    page = client.get(reverse("privacy:mine")).content.decode()
    assert request.reference in page


# --- Delete my account (RIGHT-3) ---------------------------------------------------------------


def test_erase_without_a_fresh_password_erases_nothing():
    # promise: RIGHT-3
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=False)

    response = client.post(reverse("privacy:mine-erase"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")
    user.refresh_from_db()
    assert (user.email, user.full_name, user.is_active) == (
        "camille@example.com",
        "Camille Laurent",
        True,
    )
    assert DataRequest.objects.count() == 0
    assert ErasureRecord.objects.count() == 0
    assert client.session["_auth_user_id"] == str(user.pk)


def test_erase_needs_the_confirmation_box():
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=True)

    response = client.post(reverse("privacy:mine-erase"), {})

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "camille@example.com"
    assert ErasureRecord.objects.count() == 0


def test_erase_anonymises_the_account_and_signs_out(django_capture_on_commit_callbacks: Any):
    # promise: RIGHT-3
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:mine-erase"), {"confirm": "on"})

    request = DataRequest.objects.get(kind="erasure")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('privacy:erased')}?ref={request.reference}"
    user.refresh_from_db()
    assert user.email.startswith("erased-")
    assert "_auth_user_id" not in client.session
    assert request.status == "completed"
    record = ErasureRecord.objects.get(request_reference=request.reference)
    assert record.status == "done"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert request.reference in page.content.decode()


def test_erase_is_postponed_while_a_blocker_stands(monkeypatch: pytest.MonkeyPatch):
    # promise: RIGHT-3
    monkeypatch.setattr(
        registry, "erasure_blockers", [lambda user: ["An order is on its way to you."]]
    )
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=True)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "<li>An order is on its way to you.</li>" in page

    response = client.post(reverse("privacy:mine-erase"), {"confirm": "on"}, follow=True)

    user.refresh_from_db()
    assert user.email == "camille@example.com"
    assert client.session["_auth_user_id"] == str(user.pk)
    request = DataRequest.objects.get(kind="erasure")
    assert request.status == "in_progress"
    assert ErasureRecord.objects.get().status == "postponed"
    assert (
        "Your account will be erased as soon as this is settled: An order is on its way to "
        f"you. Your request {request.reference} stays open until then."
    ) in response.content.decode()


def test_erase_goes_on_after_the_password_is_given(django_capture_on_commit_callbacks: Any):
    # promise: RIGHT-3
    user = make_buyer("camille@example.com")
    client = signed_in(user, reauthenticated=False)
    first = client.post(reverse("privacy:mine-erase"), {"confirm": "on"})

    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.post(first["Location"], {"password": PASSWORD})

    request = DataRequest.objects.get(kind="erasure")
    assert resumed.status_code == 302
    assert resumed["Location"] == f"{reverse('privacy:erased')}?ref={request.reference}"
    user.refresh_from_db()
    assert user.email.startswith("erased-")
