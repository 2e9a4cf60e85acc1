"""The newsletter in the system Chromium: sign up, confirm by the emailed link, receive a
campaign sent from the staff screen, and unsubscribe by its link without signing in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from tests.accounts.conftest import make_user
from tests.marketing.conftest import staff_with

from recommerce.marketing.models import (
    Campaign,
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)

from .test_seller_journey import assert_no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser


def _path(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def _link(pattern: str, body: str) -> str:
    found = re.search(rf"https?://\S+(/marketing/{pattern}/\S+/)", body)
    assert found is not None, body
    return found.group(1)


def test_consent_4_sign_up_confirm_receive_and_unsubscribe_by_the_link(
    browse, live_server, settings
):
    settings.SITE_URL = live_server.url
    staff_with("marketing.send_campaign", email="growth@recommerce.example")

    # 1. A visitor signs up; nothing is ticked for them.
    visit = browse()
    page = visit.page
    page.goto(visit.url("/marketing/newsletter/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Recommerce newsletter")
    page.get_by_label("Email address").fill("ines.news@example.com")
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Offers and price drops").check()
    page.get_by_label("Tips to make devices last").check()
    page.get_by_label(re.compile("^I agree to receive the Recommerce newsletter")).check()
    visit.screenshot("marketing-01-newsletter-form")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    visit.screenshot("marketing-02-check-your-inbox")
    assert NewsletterSubscription.objects.get().status == "pending"

    # 2. The emailed link shows a button; the click confirms.
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ines.news@example.com"]
    page.goto(visit.url(_link("newsletter/confirm", confirmation.body)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    expect(page.locator("main")).to_contain_text("offers and price drops, tips to make")
    visit.screenshot("marketing-03-confirmed")
    visit.assert_first_party_only()
    assert NewsletterSubscription.objects.get().status == "confirmed"

    # 3. Staff write a campaign, see who it reaches and why not, and send it.
    staff = browse()
    sign_in(staff, "growth@recommerce.example")
    staff.page.goto(staff.url("/staff/marketing/"))
    expect(staff.page.get_by_role("heading", level=1)).to_have_text("Campaigns")
    staff.page.get_by_label("Subject").fill("Spring deals on refurbished iPhones")
    staff.page.get_by_label("Body").fill("Up to 30% off the iPhone 13 this week.")
    staff.page.get_by_label("Topic").select_option("offers")
    staff.page.get_by_role("button", name="Save as draft").click()
    expect(staff.page.get_by_test_id("reachable")).to_have_text("1")
    expect(staff.page.locator("main")).to_contain_text("Never subscribed")
    staff.screenshot("marketing-04-campaign-reach")
    staff.page.get_by_role("button", name="Send to 1 person").click()
    expect(staff.page.locator(".message").first).to_contain_text("being sent")
    staff.page.reload()
    expect(staff.page.locator("main")).to_contain_text("1 sent.")
    staff.screenshot("marketing-05-campaign-sent")
    staff.assert_first_party_only()
    assert Campaign.objects.get().sent_count == 1
    [promo] = [m for m in mail.outbox if m.extra_headers["X-Recommerce-Category"] == "marketing"]
    assert promo.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # 4. The link in the email unsubscribes, signed out, after one button.
    reader = browse()
    reader.page.goto(reader.url(_link("unsubscribe", promo.body)))
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(
        "Unsubscribe from marketing emails"
    )
    reader.screenshot("marketing-06-unsubscribe")
    reader.page.get_by_role("button", name="Unsubscribe").click()
    expect(reader.page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    reader.screenshot("marketing-07-unsubscribed")
    reader.assert_first_party_only()
    assert NewsletterSubscription.objects.get().status == "unsubscribed"
    assert UnsubscribeEvent.objects.get().method == "link"

    # A phone-sized screen: the sign-up form fits.
    small = browse(width=390, height=844, mobile=True)
    small.page.goto(small.url("/marketing/newsletter/"))
    assert_no_sideways_scroll(small.page, 390)
    small.screenshot("marketing-08-newsletter-mobile")


def test_consent_4_a_person_chooses_channels_and_topics_then_unticks_email(browse):
    person = make_user("hugo.prefs@example.com", phone="+33612345678")
    visit = browse()
    page = visit.page
    sign_in(visit, "hugo.prefs@example.com")
    page.goto(visit.url("/marketing/preferences/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Marketing preferences")
    page.get_by_label("Email to hugo.prefs@example.com").check()
    page.get_by_label("New arrivals").check()
    page.get_by_label("Trade-in offers").check()
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator(".message").first).to_have_text("Your marketing preferences are saved.")
    visit.screenshot("marketing-09-preferences")
    visit.assert_first_party_only()
    pref = MarketingPreference.objects.get(user=person)
    assert (pref.email, pref.sms, pref.topics) == (True, False, ["new_arrivals", "trade_in"])

    page.get_by_label("Email to hugo.prefs@example.com").uncheck()
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator(".message").first).to_have_text("Your marketing preferences are saved.")
    pref.refresh_from_db()
    assert pref.email is False
    assert UnsubscribeEvent.objects.get().method == "profile"
