"""Seller onboarding: the draft file, bank account (SEC-1), documents, review by staff."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, SellerDocument, SellerMembership, User
from recommerce.accounts.services.sellers import (
    seller_approve,
    seller_bank_account_set,
    seller_document_add,
    seller_onboarding_start,
    seller_onboarding_update,
    seller_reject,
    seller_submit,
)
from recommerce.offers.models import Offer
from recommerce.offers.services import offer_create
from recommerce.privacy import purposes
from recommerce.privacy.encryption import Sealed
from recommerce.privacy.models import AuditEvent
from recommerce.privacy.services.sensitive import sensitive_read
from tests import factories
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 4, 2, 8, 30, tzinfo=dt.UTC)
IBAN = "FR7630006000011234567890189"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 16
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
SVG_XML = b'<?xml version="1.0"?>' + SVG
ADDRESS = {
    "return_line1": "5 quai Rambaud",
    "return_postal_code": "69002",
    "return_city": "Lyon",
    "return_country": "FR",
}


@pytest.fixture
def owner(db: None) -> User:
    return make_user("owner@refurb.example", full_name="Olga Owner")


@pytest.fixture
def draft(owner: User) -> Seller:
    return seller_onboarding_start(
        user=owner, name="Refurb Lyon", legal_name="Refurb Lyon SAS", country="fr"
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def complete(seller: Seller, owner: User) -> Seller:
    seller_onboarding_update(
        seller=seller,
        actor=owner,
        vat_number="FR40303265045",
        registration_number="303265045",
        **ADDRESS,
    )
    seller_bank_account_set(
        seller=seller, actor=owner, iban="FR76 3000 6000 0112 3456 7890 189", account_holder="RL"
    )
    seller_document_add(
        seller=seller, actor=owner, kind="registration", upload=upload("kbis.pdf", PDF)
    )
    return seller_submit(seller=seller, actor=owner)


def files_in(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- Start and the draft file -------------------------------------------------------------


def test_p_plat_1_seller_start_needs_a_verified_email():
    unverified = make_user("new@refurb.example", verified=False)

    with pytest.raises(ValidationError) as refused:
        seller_onboarding_start(
            user=unverified, name="Refurb Lyon", legal_name="Refurb Lyon SAS", country="FR"
        )

    assert refused.value.messages == ["Verify your email address before opening a seller account."]
    assert not Seller.objects.exists()
    assert not SellerMembership.objects.exists()


def test_p_plat_1_seller_start_opens_a_draft_owned_by_its_creator(owner, draft):
    seller = Seller.objects.get()
    assert (seller.name, seller.slug, seller.legal_name, seller.country, seller.status) == (
        "Refurb Lyon",
        "refurb-lyon",
        "Refurb Lyon SAS",
        "FR",
        Seller.Status.DRAFT,
    )
    membership = SellerMembership.objects.get()
    assert (membership.seller, membership.user, membership.role) == (seller, owner, "owner")
    assert AuditEvent.objects.get().action == "seller.start"


def test_p_plat_1_seller_update_with_invalid_numbers_gives_field_errors_and_saves_nothing(
    owner, draft
):
    before = Seller.objects.values().get(pk=draft.pk)

    with pytest.raises(ValidationError) as refused:
        seller_onboarding_update(
            seller=draft,
            actor=owner,
            name="Renamed",
            vat_number="FR41303265045",
            registration_number="303265046",
        )

    assert refused.value.message_dict == {
        "vat_number": [
            "The check digits of FR41303265045 do not match: look for a typing mistake."
        ],
        "registration_number": [
            "The check digit of SIREN 303265046 does not match: look for a typing mistake."
        ],
    }
    assert Seller.objects.values().get(pk=draft.pk) == before
    assert not AuditEvent.objects.filter(action="seller.update").exists()


def test_p_sec_1_bad_iban_is_refused_and_nothing_is_saved(owner, draft):
    with pytest.raises(ValidationError) as refused:
        seller_bank_account_set(
            seller=draft, actor=owner, iban="FR7630006000011234567890188", account_holder=" "
        )

    assert refused.value.message_dict == {
        "iban": ["The check digits of this IBAN do not match: look for a typing mistake."],
        "account_holder": ["Give the name of the account holder."],
    }
    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.iban, seller.iban_last4, seller.account_holder) == ("", "", "")
    assert not AuditEvent.objects.filter(action="seller.bank_account").exists()


def test_p_sec_1_iban_is_encrypted_at_rest_and_readable_by_the_model(owner, draft):
    seller_bank_account_set(
        seller=draft,
        actor=owner,
        iban="fr76 3000 6000 0112 3456 7890 189",
        account_holder=" Refurb Lyon SAS ",
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iban, iban_last4, account_holder FROM accounts_seller WHERE id = %s",
            [draft.pk],
        )
        raw_iban, raw_last4, raw_holder = cursor.fetchone()
    assert raw_iban.startswith("gAAAAA")  # a Fernet token
    for part in (IBAN, IBAN[4:], "30006000011234567890", "1234567890"):
        assert part not in raw_iban
    assert (raw_last4, raw_holder) == ("0189", "Refurb Lyon SAS")
    seller = Seller.objects.get(pk=draft.pk)
    assert isinstance(seller.iban, Sealed)  # loading the row opens nothing (PURP-2)
    assert seller.iban_last4 == "0189"
    assert (
        sensitive_read(model=Seller, pk=draft.pk, field="iban", purpose=purposes.SERVICE_PAYMENTS)
        == IBAN
    )
    event = AuditEvent.objects.get(action="seller.bank_account")
    assert event.fields == ["account_holder", "iban"]
    assert IBAN not in repr(AuditEvent.objects.values_list())


# --- Documents --------------------------------------------------------------------------------


def test_p_plat_1_a_real_pdf_is_kept_under_a_random_name(owner, draft, media_root, private_root):
    document = seller_document_add(
        seller=draft, actor=owner, kind="registration", upload=upload("../../Kbis Olga.pdf", PDF)
    )

    stored = SellerDocument.objects.get()
    assert (stored.pk, stored.kind, stored.extension, stored.content_type, stored.size) == (
        document.pk,
        "registration",
        "pdf",
        "application/pdf",
        len(PDF),
    )
    path = f"sellers/{draft.pk}/{stored.token}.pdf"
    assert stored.file.name == path
    assert files_in(media_root) == []  # nothing where a URL could reach it
    assert files_in(private_root) == [path]
    assert PDF not in (private_root / path).read_bytes()  # sealed at rest (SEC-1)
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF


def test_p_plat_1_a_png_named_pdf_is_stored_as_what_it_really_is(
    owner, draft, media_root, private_root
):
    seller_document_add(seller=draft, actor=owner, kind="bank", upload=upload("rib.pdf", PNG))

    stored = SellerDocument.objects.get()
    assert (stored.extension, stored.content_type) == ("png", "image/png")
    assert files_in(private_root) == [f"sellers/{draft.pk}/{stored.token}.png"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("extract.pdf", b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "application/pdf"),
        ("extract.pdf", b"<!DOCTYPE html><html><script>alert(1)</script>", "application/pdf"),
        ("extract.svg", SVG, "image/svg+xml"),
        ("extract.pdf", SVG_XML, "application/pdf"),
        ("extract.pdf", b" %PDF-1.7 with a leading space", "application/pdf"),
    ],
)
def test_p_plat_1_a_file_that_is_not_pdf_png_or_jpeg_is_refused(
    owner, draft, media_root, private_root, name, content, content_type
):
    with pytest.raises(ValidationError) as refused:
        seller_document_add(
            seller=draft,
            actor=owner,
            kind="registration",
            upload=upload(name, content, content_type),
        )

    assert refused.value.message_dict == {"file": ["Upload a PDF, PNG or JPEG file."]}
    assert not SellerDocument.objects.exists()
    assert files_in(media_root) == files_in(private_root) == []
    assert not AuditEvent.objects.filter(action="seller.document").exists()


@pytest.mark.parametrize("size", [0, 10 * 1024 * 1024 + 1])
def test_p_plat_1_an_empty_or_oversized_file_is_refused(
    owner, draft, media_root, private_root, size
):
    content = (PDF + b"\x00" * size)[:size]

    with pytest.raises(ValidationError) as refused:
        seller_document_add(
            seller=draft, actor=owner, kind="registration", upload=upload("a.pdf", content)
        )

    assert refused.value.message_dict == {"file": ["The file must be between 1 byte and 10 MB."]}
    assert not SellerDocument.objects.exists()
    assert files_in(media_root) == files_in(private_root) == []


def test_p_plat_1_seller_page_refuses_a_bad_iban_and_a_disguised_file(
    client, owner, draft, media_root, private_root
):
    client.force_login(owner)

    bank = client.post(
        "/account/seller/",
        {"form": "bank", "bank-iban": "FR7630006000011234567890188", "bank-account_holder": "RL"},
    )
    document = client.post(
        "/account/seller/",
        {
            "form": "document",
            "document-kind": "registration",
            "document-file": upload("kbis.pdf", SVG),
        },
    )

    assert (bank.status_code, document.status_code) == (400, 400)
    assert "The check digits of this IBAN do not match" in bank.content.decode()
    assert "Upload a PDF, PNG or JPEG file." in document.content.decode()
    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.iban, seller.iban_last4, seller.account_holder) == ("", "", "")
    assert not SellerDocument.objects.exists()
    assert files_in(media_root) == files_in(private_root) == []


def test_p_plat_1_a_document_is_downloadable_by_its_seller_only(client, owner, draft, media_root):
    document = seller_document_add(
        seller=draft, actor=owner, kind="registration", upload=upload("kbis.pdf", PDF)
    )
    url = f"/account/seller/documents/{document.token}/"

    client.force_login(make_user("stranger@example.com"))
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="registration.pdf"'
    assert response["Cache-Control"] == "private, no-store"


# --- Submission and review --------------------------------------------------------------------


def test_p_plat_1_submit_refuses_an_incomplete_file_and_lists_what_is_missing(owner, draft):
    seller_onboarding_update(seller=draft, actor=owner, vat_number="FR40303265045")

    with pytest.raises(ValidationError) as refused:
        seller_submit(seller=draft, actor=owner)

    assert refused.value.messages == [
        "Before submitting, add a registration number, a return address, the return "
        "address's postal code, the return address's city, the return address's country, "
        "a bank account, a company registration extract."
    ]
    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.status, seller.submitted_at) == (Seller.Status.DRAFT, None)


def test_p_plat_1_a_submitted_file_can_no_longer_be_edited(owner, draft, media_root):
    with time_machine.travel(NOW, tick=False):
        complete(draft, owner)
    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.status, seller.submitted_at) == (Seller.Status.SUBMITTED, NOW)

    with pytest.raises(ValidationError) as refused:
        seller_onboarding_update(seller=seller, actor=owner, name="Sneaky Rename")

    assert refused.value.messages == [
        "The seller file is submitted for review and cannot be changed."
    ]
    assert Seller.objects.get(pk=draft.pk).name == "Refurb Lyon"


@pytest.mark.parametrize("role", [None, roles.FINANCE, roles.CUSTOMER_SERVICE, roles.DPO])
def test_p_plat_1_staff_without_the_review_permission_cannot_approve(
    owner, draft, media_root, role
):
    complete(draft, owner)
    staff = make_staff(role)

    with pytest.raises(PermissionError, match=r"Reviewing sellers needs the review permission\."):
        seller_approve(seller=draft, staff=staff)

    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.status, seller.reviewed_at, seller.reviewed_by) == ("submitted", None, None)
    assert not AuditEvent.objects.filter(action="seller.active").exists()


def test_p_plat_1_anti_fraud_staff_approve_a_submitted_file(owner, draft, media_root):
    complete(draft, owner)
    reviewer = make_staff(roles.ANTI_FRAUD)

    with time_machine.travel(NOW, tick=False):
        seller_approve(seller=draft, staff=reviewer)

    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.status, seller.reviewed_at, seller.reviewed_by) == ("active", NOW, reviewer)
    assert AuditEvent.objects.get(action="seller.active").actor == reviewer


def test_p_plat_1_staff_review_page_refuses_finance_and_lets_anti_fraud_approve(
    client, owner, draft, media_root
):
    complete(draft, owner)
    client.force_login(make_staff(roles.FINANCE))

    refused = client.post(f"/staff/sellers/{draft.pk}/", {"decision": "approve"})

    assert refused.status_code == 403
    assert Seller.objects.get(pk=draft.pk).status == "submitted"
    client.force_login(make_staff(roles.ANTI_FRAUD))
    approved = client.post(f"/staff/sellers/{draft.pk}/", {"decision": "approve"})
    assert (approved.status_code, approved["Location"]) == (302, "/staff/sellers/")
    assert Seller.objects.get(pk=draft.pk).status == "active"


def test_p_plat_1_reject_needs_a_reason_and_lets_the_seller_correct_and_resubmit(
    owner, draft, media_root
):
    complete(draft, owner)
    reviewer = make_staff(roles.ANTI_FRAUD)

    with pytest.raises(ValidationError) as no_reason:
        seller_reject(seller=draft, staff=reviewer, reason="  ")
    assert no_reason.value.message_dict == {"reason": ["Say why the file is rejected."]}
    assert Seller.objects.get(pk=draft.pk).status == "submitted"

    seller_reject(seller=draft, staff=reviewer, reason=" The extract is older than 3 months. ")
    seller = Seller.objects.get(pk=draft.pk)
    assert (seller.status, seller.rejection_reason, seller.reviewed_by) == (
        "rejected",
        "The extract is older than 3 months.",
        reviewer,
    )

    seller_onboarding_update(seller=seller, actor=owner, city="Villeurbanne")
    resubmitted = seller_submit(seller=seller, actor=owner)
    assert (resubmitted.status, resubmitted.city, resubmitted.rejection_reason) == (
        "submitted",
        "Villeurbanne",
        "",
    )


def test_p_plat_1_an_offer_cannot_be_published_before_the_seller_is_approved(
    owner, draft, media_root
):
    variant = factories.variant()
    complete(draft, owner)

    with pytest.raises(ValidationError) as refused:
        offer_create(seller=draft, variant=variant, grade="excellent", price_minor=45_000, stock=2)

    assert refused.value.messages == [
        "Your seller account must be approved before you can publish offers."
    ]
    assert not Offer.objects.exists()
    seller_approve(seller=draft, staff=make_staff(roles.ANTI_FRAUD))
    offer = offer_create(
        seller=Seller.objects.get(pk=draft.pk),
        variant=variant,
        grade="excellent",
        price_minor=45_000,
        stock=2,
    )
    assert list(Offer.objects.values_list("pk", "seller_id")) == [(offer.pk, draft.pk)]
