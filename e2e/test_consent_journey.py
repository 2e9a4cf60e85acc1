"""Cookie choices in the system Chromium: the banner on a first visit, rejecting, choosing on
the settings page, the same without JavaScript, and a Global Privacy Control signal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.accounts.conftest import make_user

from recommerce.analytics.models import PageView
from recommerce.privacy.consent import COOKIE_NAME
from recommerce.privacy.consent.cookie import cookie_parse
from recommerce.privacy.models import ConsentRecord, ProcessingLimit

from .test_seller_journey import assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser

NECESSARY = {"csrftoken", "sessionid", COOKIE_NAME}
BANNER_NAME = "Your choice about cookies"


def cookies(page) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}


def stored_categories(page) -> set[str]:
    choice = cookie_parse(cookies(page)[COOKIE_NAME]).choice
    assert choice.decided
    return set(choice.categories)


def banner_answers(banner):
    return [
        banner.get_by_role("button", name="Accept all"),
        banner.get_by_role("button", name="Reject all"),
        banner.get_by_role("link", name="Choose"),
    ]


def test_consent_1_first_visit_reject_all_then_allow_analytics_in_settings(browse):
    visit = browse()
    page = visit.page
    page.goto(visit.url("/"))
    banner = page.get_by_role("region", name=BANNER_NAME)
    expect(banner).to_be_visible()
    assert set(cookies(page)) <= {"csrftoken", "sessionid"}

    # Three answers of the same size and style, reached in order right after the skip link.
    boxes = [answer.bounding_box() for answer in banner_answers(banner)]
    assert len({(round(b["width"]), round(b["height"])) for b in boxes}) == 1
    styles = [
        answer.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
        for answer in banner_answers(banner)
    ]
    assert styles[0] == styles[1] == styles[2]
    visit.screenshot("consent-01-banner")
    focused = []
    for _ in range(4):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused == ["Skip to main content", "Accept all", "Reject all", "Choose"]
    visit.assert_first_party_only()

    banner.get_by_role("button", name="Reject all").click()
    expect(banner).to_have_count(0)
    expect(page.locator("[data-consent-status]")).to_contain_text("Your cookie choice is saved")
    assert set(cookies(page)) <= NECESSARY
    assert stored_categories(page) == set()
    page.reload()
    expect(page.get_by_role("region", name=BANNER_NAME)).to_have_count(0)

    page.get_by_role("link", name="Cookie settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookie settings")
    expect(page.get_by_test_id("consent-current")).to_have_text("Strictly necessary cookies only.")
    page.get_by_label("Analytics").check()
    visit.screenshot("consent-03-settings")
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator(".message").first).to_have_text("Your cookie choices are saved.")
    expect(page.get_by_test_id("consent-current")).to_have_text(
        "Allowed: Analytics, besides strictly necessary cookies."
    )
    assert stored_categories(page) == {"analytics"}
    assert set(cookies(page)) <= NECESSARY | {"messages"}
    methods = list(ConsentRecord.objects.order_by("id").values_list("method", "categories"))
    assert methods == [("banner", []), ("settings", ["analytics"])]
    visit.assert_first_party_only()

    # Page views: none before the choice (the visits above), counted once it allows them.
    assert not PageView.objects.exists()
    page.goto(visit.url("/"))
    assert list(PageView.objects.values_list("path", flat=True)) == ["/"]


def test_consent_1_banner_on_a_phone(browse):
    visit = browse(width=390, height=844, mobile=True)
    page = visit.page
    page.goto(visit.url("/"))
    banner = page.get_by_role("region", name=BANNER_NAME)
    expect(banner).to_be_visible()
    boxes = [answer.bounding_box() for answer in banner_answers(banner)]
    # Stacked, full width, each at least the 44 px a finger needs.
    assert len({round(b["width"]) for b in boxes}) == 1
    assert all(b["height"] >= 44 for b in boxes)
    assert_no_sideways_scroll(page, 390)
    page.screenshot(path=str(visit.screenshot_path("consent-02-banner-mobile")))
    visit.assert_first_party_only()


def test_consent_1_choose_then_back_and_without_javascript(browse):
    visit = browse(javascript=False)
    page = visit.page
    page.goto(visit.url("/c/smartphones/"))
    banner = page.get_by_role("region", name=BANNER_NAME)
    banner.get_by_role("link", name="Choose").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookie settings")
    page.get_by_label("Preferences").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page).to_have_url(re.compile(r"/c/smartphones/$"))
    expect(page.get_by_role("region", name=BANNER_NAME)).to_have_count(0)
    assert stored_categories(page) == {"preferences"}

    other = browse(javascript=False)
    other.page.goto(other.url("/c/smartphones/"))
    other.page.get_by_role("button", name="Accept all").click()
    expect(other.page).to_have_url(re.compile(r"/c/smartphones/$"))
    expect(other.page.get_by_role("region", name=BANNER_NAME)).to_have_count(0)
    assert stored_categories(other.page) == {"preferences", "analytics", "advertising"}


def test_consent_3_a_signed_in_person_with_gpc_is_opted_out(browse):
    person = make_user("gpc.person@example.com", full_name="Gloria Park", country="US")
    visit = browse()
    visit.page.context.set_extra_http_headers({"Sec-GPC": "1"})
    sign_in(visit, "gpc.person@example.com")
    gpc = list(ConsentRecord.objects.filter(user=person).values_list("method", "categories"))
    assert gpc == [("gpc", [])]
    limits = ProcessingLimit.objects.filter(user=person, lifted_at__isnull=True)
    assert list(limits.values_list("purpose", "kind")) == [("marketing.audiences", "objection")]

    page = visit.page
    page.get_by_role("link", name="Do Not Sell or Share My Personal Information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Do Not Sell or Share My Personal Information"
    )
    expect(page.get_by_test_id("opt-out-status")).to_contain_text(
        "Your data is not shared for advertising."
    )
    visit.screenshot("consent-04-opt-out")
    # Accepting everything still leaves advertising off while the signal is on.
    page.get_by_role("region", name=BANNER_NAME).get_by_role("button", name="Accept all").click()
    expect(page.get_by_role("region", name=BANNER_NAME)).to_have_count(0)
    assert stored_categories(page) == {"preferences", "analytics"}
    assert ConsentRecord.objects.filter(user=person, method="gpc").count() == 1
    visit.assert_first_party_only()
