"""First-party analytics and personal consents in the system Chromium: a consenting visitor
is counted, staff read figures with small groups hidden, a person sets their consents."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect
from tests.accounts.conftest import make_staff
from tests.checkout.conftest import make_buyer

from recommerce.accounts import roles
from recommerce.analytics.models import PageView, ProductView
from recommerce.privacy.consent import COOKIE_NAME
from recommerce.privacy.consent.cookie import cookie_value
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC_CHECK,
    biometric_check_allowed,
    recording_allowed,
)

from .test_seller_journey import sign_in

pytestmark = pytest.mark.browser


def _views(when: dt.datetime, *, visitors: int, views: int, path: str = "/") -> None:
    PageView.objects.bulk_create(
        PageView(path=path, visitor=f"{when:%j}-{n % visitors}", created_at=when)
        for n in range(views)
    )


def test_retain_2_staff_read_page_and_product_figures_with_small_groups_hidden(
    browse, shop, settings
):
    settings.PRIVACY_MIN_GROUP = 5
    analyst = make_staff(None, "analyst@recommerce.example")
    analyst.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    today = timezone.localtime().replace(hour=11, minute=0, second=0, microsecond=0)
    for days_ago, visitors, views in ((1, 42, 130), (2, 38, 101), (3, 3, 9), (4, 51, 160)):
        _views(today - dt.timedelta(days=days_ago), visitors=visitors, views=views)
    monday = today - dt.timedelta(days=today.weekday())
    for key, visitors, views in (("ip13_128", 19, 31), ("galaxy", 8, 11), ("mac", 2, 4)):
        ProductView.objects.bulk_create(
            ProductView(variant=shop.variants[key], visitor=f"p{n % visitors}", created_at=monday)
            for n in range(views)
        )

    # A visitor who allowed analytics is counted on the live site, the query string dropped.
    visitor = browse()
    visitor.page.context.add_cookies(
        [
            {
                "name": COOKIE_NAME,
                "value": cookie_value(
                    categories=["analytics"], version="2026-11-01", browser_id="e2e-browser"
                ),
                "url": visitor.origin,
            }
        ]
    )
    product = shop.variants["ip12"]
    visitor.page.goto(visitor.url(product.get_absolute_url() + "?grade=good"))
    expect(visitor.page.get_by_role("heading", level=1)).to_be_visible()
    assert PageView.objects.filter(path=product.get_absolute_url()).count() == 1
    assert ProductView.objects.filter(variant=product).count() == 1
    visitor.assert_first_party_only()

    visit = browse()
    page = visit.page
    sign_in(visit, "analyst@recommerce.example")
    page.goto(visit.url("/staff/analytics/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Site statistics")
    daily = page.locator("#daily")
    # Today (the one visitor above) and the day of three visitors show no number.
    expect(daily.get_by_text("fewer than 5 visitors")).to_have_count(2)
    expect(daily.locator("tbody tr").nth(1)).to_have_text(re.compile(r"130\s*42"))
    products = page.locator("#products")
    expect(products).to_contain_text("iPhone 13")
    expect(products).to_contain_text("31")
    visit.screenshot("analytics-01-staff-statistics")
    visit.assert_first_party_only()


def test_consent_5_consent_6_a_person_sets_recording_and_biometric_choices(browse):
    person = make_buyer("amandine.consents@example.com")
    visit = browse()
    page = visit.page
    sign_in(visit, "amandine.consents@example.com")
    page.goto(visit.url("/privacy/mine/#consents"))
    consents = page.locator("#consents")
    expect(consents.locator("#identity-methods")).to_have_text(
        re.compile("^\\s*Document upload reviewed by staff\\s*$")
    )
    consents.screenshot(path=str(visit.screenshot_path("analytics-02-consents-before")))

    # The button alone gives no consent: the box must be ticked.
    consents.get_by_role("button", name="Give my consent").click()
    expect(page.locator(".message").first).to_contain_text("Tick the box")
    assert biometric_check_allowed(user=person) is False

    consents = page.locator("#consents")
    consents.get_by_label(re.compile("^I agree that Recommerce compares")).check()
    consents.get_by_role("button", name="Give my consent").click()
    expect(page.locator("#consents")).to_contain_text("Consent given")
    expect(page.locator("#identity-methods")).to_contain_text(BIOMETRIC_CHECK.capitalize())

    page.locator("#consents").get_by_role("button", name="Do not record my calls and chats").click()
    expect(page.locator("#consents")).to_contain_text("Not recorded")
    assert recording_allowed(user=person) is False
    assert biometric_check_allowed(user=person) is True
    page.locator("#consents").screenshot(
        path=str(visit.screenshot_path("analytics-03-consents-after"))
    )
    visit.assert_first_party_only(error_pages=True)

    page.locator("#consents").get_by_role("button", name="Withdraw my consent").click()
    expect(page.locator("#identity-methods")).not_to_contain_text("Selfie")
    assert biometric_check_allowed(user=person) is False


def test_consent_6_support_records_an_objection_said_on_the_phone(browse):
    person = make_buyer("bastien.phone@example.com")
    make_staff(roles.CUSTOMER_SERVICE, "agent.phone@recommerce.example")
    visit = browse()
    page = visit.page
    sign_in(visit, "agent.phone@recommerce.example")
    page.goto(visit.url(f"/staff/people/{person.pk}/"))
    recording = page.locator("#recording")
    recording.get_by_role("button", name="Record their objection to recording").click()
    expect(page.locator("#recording")).to_contain_text("Do not record calls or chats")
    visit.screenshot("analytics-04-staff-person-recording")
    visit.assert_first_party_only()
    assert recording_allowed(user=person) is False
