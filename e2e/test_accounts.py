"""A newcomer's account journey in the system Chromium: sign up, verify, addresses, TOTP."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import expect

from recommerce.accounts.models import Address, User

pytestmark = pytest.mark.browser
PASSWORD = "Tangerine-Orbit-Quiet-58"


def test_p_sec_2_sign_up_verify_fill_the_address_book_and_turn_on_two_factor(browse):
    visit = browse()
    page = visit.page
    page.goto(visit.url("/"))
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name=re.compile("create an account", re.I)).click()
    page.get_by_label(re.compile(r"^Email")).fill("chloe@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Full name")).fill("Chloé Bernard")
    page.get_by_label(re.compile(r"^Country of residence")).select_option("FR")
    page.get_by_label(re.compile(r"^Date of birth")).fill("1994-03-02")
    visit.screenshot("desktop-signup")
    page.get_by_role("button", name=re.compile("create my account", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    # The verification link, read from the test mailbox.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[0].body)
    assert link is not None
    page.goto(visit.url("/" + link.group(0).split("//", 1)[1].split("/", 1)[1]))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    page.goto(visit.url("/account/login/"))
    page.get_by_label(re.compile(r"^Email")).fill("chloe@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")

    for kind, line1, city in (
        ("Delivery", "8 Rue Mercière", "Lyon"),
        ("Billing", "3 Rue Sala", "Lyon"),
    ):
        page.get_by_role("link", name="Add an address").click()
        page.get_by_label(re.compile(r"^Kind:")).select_option(label=kind)
        page.get_by_label(re.compile(r"^Full name:")).fill("Chloé Bernard")
        page.get_by_label(re.compile(r"^Address:")).fill(line1)
        page.get_by_label(re.compile(r"^Postal code:")).fill("69002")
        page.get_by_label(re.compile(r"^City:")).fill(city)
        page.get_by_label(re.compile(r"^Country:")).select_option("FR")
        page.get_by_label(re.compile(r"^Phone:")).fill("06 12 34 56 78")
        page.get_by_role("button", name="Save address").click()
        expect(page.locator(".message")).to_contain_text("The address is saved.")
    expect(page.locator(".address-card")).to_have_count(2)
    visit.screenshot("desktop-account")
    user = User.objects.get(email="chloe@example.com")
    assert sorted(Address.objects.filter(user=user).values_list("kind", "is_default")) == [
        ("billing", True),
        ("delivery", True),
    ]
    assert user.birth_date is not None and user.full_name == "Chloé Bernard"

    page.get_by_role("link", name="Two-factor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Two-Factor")
    page.goto(visit.url("/account/2fa/totp/activate/"))
    # Turning two-factor on asks for the password again first.
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    visit.screenshot("desktop-totp")
    # A code is valid for its 30-second window only: never type one about to expire.
    if time.time() % 30 > 20:
        time.sleep(30 - time.time() % 30 + 0.5)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label(re.compile(r"^Authenticator code")).fill(code)
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery Codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    visit.assert_first_party_only()
