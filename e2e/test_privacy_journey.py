"""A person's data in the system Chromium: see who received it, download it once, restrict a
use, then erase the account; and a request from someone without an account."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from tests.accounts.conftest import make_staff
from tests.checkout.conftest import make_buyer

from recommerce.accounts import roles
from recommerce.accounts.models import User
from recommerce.privacy import purposes
from recommerce.privacy.models import DataRequest, Disclosure, ProcessingLimit
from recommerce.privacy.services import disclosure_record
from recommerce.privacy.services.erasure import erasure_start

from .test_seller_journey import PASSWORD, assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def _path(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def _confirm_password(page) -> None:
    """Give the password again where the site asks before a sensitive step."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_right_1_right_3_share_5_a_person_downloads_then_erases_their_data(
    browse, live_server, settings
):
    settings.SITE_URL = live_server.url
    person = make_buyer("noemie.privacy@example.com")
    make_buyer("oscar.other@example.com")
    disclosure_record(
        subject=person,
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        recipient="Sandbox Parcel",
        fields=["delivery_name", "delivery_line1", "delivery_postal_code"],
        purpose=purposes.SERVICE_ORDERS,
        reference="RC-DEMO-1",
    )
    visit = browse()
    page = visit.page
    sign_in(visit, "noemie.privacy@example.com")
    page.get_by_role("link", name="Data and privacy").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data and privacy")
    recipients = page.locator("#recipients")
    expect(recipients).to_contain_text("Sandbox Parcel")
    expect(recipients).to_contain_text("RC-DEMO-1")

    # Download: prepared by the worker, the link arrives by email and works once.
    page.get_by_role("button", name="Prepare a copy of my data").click()
    _confirm_password(page)
    expect(page.locator(".message").first).to_contain_text("download link")
    visit.screenshot("privacy-01-my-data")
    visit.assert_first_party_only()
    link = re.search(r"https?://\S+/privacy/export/\S+/", mail.outbox[-1].body)
    assert link is not None
    # In another person's session the link alone opens nothing: it asks for the code.
    elsewhere = browse()
    sign_in(elsewhere, "oscar.other@example.com")
    elsewhere.page.goto(elsewhere.url(_path(link.group(0))))
    expect(elsewhere.page.locator(".message")).to_contain_text("belongs to another account")
    elsewhere.page.get_by_label("Code from the email").fill("WRONGCODE1")
    elsewhere.page.get_by_role("button", name="Download my data").click()
    expect(elsewhere.page.locator(".field-error")).to_contain_text("not the one we emailed")
    elsewhere.screenshot("privacy-01b-export-asks-the-code")
    page.goto(visit.url(_path(link.group(0))))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        data = json.loads(archive.read("data.json"))
        assert "summary.html" in archive.namelist()
    assert data["sections"]["accounts.user"]["records"][0]["email"] == (
        "noemie.privacy@example.com"
    )
    page.goto(visit.url(_path(link.group(0))))  # a spent link says so at once
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("no longer|used"))

    # Stop a use of the data (CONSENT-7).
    page.goto(visit.url("/privacy/mine/"))
    page.get_by_label("Use of my data").select_option(purposes.MARKETING_EMAIL.code)
    page.get_by_role("button", name="Stop this use").click()
    expect(page.locator("#limits")).to_contain_text(purposes.MARKETING_EMAIL.description)
    assert ProcessingLimit.objects.filter(user=person, lifted_at__isnull=True).count() == 1

    # A phone-sized screen: no sideways scrolling.
    small = browse(width=390, height=844, mobile=True)
    sign_in(small, "noemie.privacy@example.com")
    small.page.goto(small.url("/privacy/mine/"))
    assert_no_sideways_scroll(small.page, 390)
    small.screenshot("privacy-02-my-data-mobile")

    # Erase the account.
    page.get_by_label(re.compile("^I understand")).check()
    page.get_by_role("button", name="Erase my account").click()
    if page.get_by_role("heading", name="Confirm Access").count():
        _confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("erased", re.I))
    visit.screenshot("privacy-03-erased")
    person.refresh_from_db()
    assert person.email.endswith("@erased.invalid")
    assert (person.full_name, person.phone, person.is_active) == ("", "", False)
    assert not person.has_usable_password()


def test_right_4_a_request_without_an_account_is_verified_by_an_emailed_code(browse):
    make_buyer("sacha.letter@example.com")
    visit = browse()
    page = visit.page
    page.goto(visit.url("/"))
    page.get_by_role("link", name="Ask about your data without an account").click()
    page.get_by_label("Full name").fill("Sacha Laurent")
    page.get_by_label("Email address").fill("sacha.letter@example.com")
    page.get_by_label("What you ask for").select_option(DataRequest.Kind.ACCESS.value)
    visit.screenshot("privacy-04-request-form")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your request")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code is not None
    page.get_by_label("Code from the email").fill(code.group(1))
    page.get_by_label(re.compile("postal code")).fill("75011")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text(re.compile("verified|working on", re.I))
    visit.screenshot("privacy-05-request-verified")
    visit.assert_first_party_only()
    request = DataRequest.objects.get()
    assert request.status == DataRequest.Status.VERIFIED
    assert request.user == User.objects.get(email="sacha.letter@example.com")


def test_right_4_right_5_the_dpo_runs_a_written_letter_to_completion(browse, live_server, settings):
    settings.SITE_URL = live_server.url
    make_buyer("lucie.letter@example.com")
    make_staff(roles.DPO, email="dpo.console@example.com")
    visit = browse()
    page = visit.page
    sign_in(visit, "dpo.console@example.com")
    page.goto(visit.url("/staff/privacy/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Data requests")
    page.get_by_role("link", name="Enter a letter").click()
    page.get_by_label(re.compile("^Full name")).fill("Lucie Martin")
    page.get_by_label(re.compile("^Email")).fill("lucie.letter@example.com")
    page.get_by_label(re.compile("^The person asks for")).select_option(
        DataRequest.Kind.ACCESS.value
    )
    page.get_by_label(re.compile("^Received on")).fill(
        (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    )
    page.get_by_label(re.compile("^What the letter asks")).fill("A copy of all my data.")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Request DSR-")

    page.get_by_label(re.compile("^How the identity was checked")).fill("signed letter, ID copy")
    page.get_by_role("button", name="Mark as verified").click()
    page.get_by_role("button", name="Carry out").click()
    expect(page.locator("main")).to_contain_text(re.compile("Completed", re.I))
    visit.screenshot("privacy-06-dpo-request")
    visit.assert_first_party_only()
    request = DataRequest.objects.get()
    assert request.status == DataRequest.Status.COMPLETED
    assert list(request.events.values_list("action", flat=True)) == [
        "received",
        "verification code sent",
        "identity verified",
        "in progress",
        "export queued",
        "completed",
    ]
    assert "/privacy/export/" in mail.outbox[-2].body + mail.outbox[-1].body

    page.goto(visit.url("/staff/privacy/"))
    expect(page.locator("main")).to_contain_text(request.reference)
    visit.screenshot("privacy-07-dpo-requests")
    page.get_by_role("link", name="Data map").click()
    expect(page.locator("main")).to_contain_text("orders.Invoice")
    visit.screenshot("privacy-08-dpo-data-map")
    page.get_by_role("link", name="Disclosures").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit.screenshot("privacy-09-dpo-disclosures")
    page.get_by_role("link", name="Figures").click()
    visit.screenshot("privacy-10-dpo-figures")
    page.get_by_role("link", name="Retention").click()
    visit.screenshot("privacy-11-dpo-retention")

    # The erasure ledger: a former customer erased, then brought back by a restore.
    former = make_buyer("former.customer@example.com")
    erasure_start(user=former, request_reference="DSR-26FORMER")
    User.objects.filter(pk=former.pk).update(email="former.customer@example.com", is_active=True)
    page.get_by_role("link", name="Erasure ledger").click()
    expect(page.get_by_role("alert")).to_contain_text("1 erased person is back in the database")
    expect(page.locator("main")).to_contain_text("DSR-26FORMER")
    visit.screenshot("privacy-12-dpo-erasure-ledger")
