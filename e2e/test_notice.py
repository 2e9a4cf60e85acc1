"""The privacy notice in the system Chromium: English and French, on a desktop and a 390 px
phone, read from the published version, with the switch between languages (NOTICE-1,
NOTICE-2). Screenshots are saved under artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect
from tests.accounts.conftest import make_user

from recommerce.privacy.notice import labels
from recommerce.privacy.purposes import Family
from recommerce.privacy.services.notice import notice_publish

from .test_seller_journey import assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser

PHONE = 390


def test_notice_1_notice_2_the_notice_reads_in_english_and_french(browse, live_server):
    version = notice_publish(actor=None, summary="First published version of the notice.")
    dpo = make_user("dpo.notice@recommerce.example", is_staff=True, full_name="Dana Officer")
    dpo.user_permissions.add(
        Permission.objects.get(content_type__app_label="privacy", codename="publish_notice")
    )

    visit = browse()
    page = visit.page
    page.goto(visit.url("/privacy/notice/en/"))
    notice = page.get_by_test_id("notice")
    expect(notice).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_test_id("notice-date")).to_contain_text("Version of")
    for family in Family:
        expect(
            page.get_by_role("heading", level=3, name=labels.FAMILIES[family].en, exact=True)
        ).to_be_visible()
    expect(notice.get_by_role("link", name="My data and privacy").first).to_have_attribute(
        "href", "/privacy/mine/"
    )
    visit.screenshot("notice-01-en-desktop")
    visit.assert_first_party_only()

    page.get_by_role("link", name="Lire en français").click()
    expect(page).to_have_url(visit.url("/privacy/notice/fr/"))
    expect(notice).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    for family in Family:
        expect(
            page.get_by_role("heading", level=3, name=labels.FAMILIES[family].fr, exact=True)
        ).to_be_visible()
    visit.screenshot("notice-02-fr-desktop")

    page.get_by_role("link", name="Toutes les versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice: all versions")
    expect(page.get_by_role("cell", name="First published version of the notice.")).to_be_visible()
    visit.screenshot("notice-03-versions")
    page.get_by_role("link", name="English").first.click()
    expect(page).to_have_url(visit.url(f"/privacy/notice/{version.version}/en/"))
    visit.assert_first_party_only()

    phone = browse(width=PHONE, height=844, mobile=True)
    for language, name in (("en", "notice-04-en-mobile"), ("fr", "notice-05-fr-mobile")):
        phone.page.goto(phone.url(f"/privacy/notice/{language}/"))
        expect(phone.page.get_by_test_id("notice")).to_have_attribute("lang", language)
        assert_no_sideways_scroll(phone.page, PHONE)
        phone.screenshot(name)
    phone.assert_first_party_only()

    # The officer's page: nothing changed since the version in force, so nothing to publish.
    staff = browse()
    sign_in(staff, "dpo.notice@recommerce.example")
    staff.page.goto(staff.url("/staff/privacy/notice/"))
    expect(staff.page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(staff.page.get_by_test_id("notice-unchanged")).to_be_visible()
    staff.screenshot("notice-06-staff")
    staff.assert_first_party_only()
