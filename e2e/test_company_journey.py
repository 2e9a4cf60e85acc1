"""A business buyer's journey in the system Chromium: company account, colleague, net prices."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from tests.accounts.conftest import PASSWORD, make_user

from recommerce.accounts.models import Company, CompanyMembership

pytestmark = pytest.mark.browser

# The iPhone 13 128 GB Blue's best Premium offer is €649.00 VAT included (see
# test_storefront.py); a French company sees it without 20 % VAT: 64900 / 1.2 = 54083.3.
PREMIUM_NET = "€540.83"


def sign_in(visit, email: str) -> None:
    page = visit.page
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()


def test_a_company_invites_a_colleague_who_then_sees_prices_without_vat(browse, shop):
    make_user("lea.moreau@pangolin.example", full_name="Léa Moreau")
    make_user("hugo.petit@pangolin.example", full_name="Hugo Petit")
    product_url = shop.variants["ip13_128"].get_absolute_url()

    # 1. Léa creates the company account.
    admin = browse()
    page = admin.page
    page.goto(admin.url("/account/login/"))
    sign_in(admin, "lea.moreau@pangolin.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    page.get_by_role("navigation", name="Account sections").get_by_role(
        "link", name="Company"
    ).click()
    expect(page).to_have_url(admin.url("/account/company/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Buy for your company")
    page.get_by_label(re.compile(r"^Legal name")).fill("Pangolin Logistique SARL")
    page.get_by_label(re.compile(r"^Country of registration")).select_option("FR")
    page.get_by_label(re.compile(r"^VAT number")).fill("FR 40 303 265 045")
    admin.screenshot("desktop-company-create")
    page.get_by_role("button", name="Create the company account").click()
    expect(page.locator(".messages")).to_contain_text("Your company account is ready.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pangolin Logistique SARL")
    identity = page.get_by_role("region", name="Company", exact=True)
    expect(identity).to_contain_text("FR40303265045")
    expect(identity).to_contain_text("Verified")  # by the offline VAT register sandbox

    # 2. She invites Hugo.
    page.get_by_label(re.compile(r"^Colleague's email")).fill("Hugo.Petit@pangolin.example")
    page.get_by_label(re.compile(r"^Role")).select_option(label="Buyer")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("The invitation is on its way.")
    people = page.get_by_role("region", name="People", exact=True)
    expect(people).to_contain_text("hugo.petit@pangolin.example · invited, buyer")
    admin.screenshot("desktop-company-invited")
    admin.assert_first_party_only()

    assert [m.to for m in mail.outbox] == [["hugo.petit@pangolin.example"]]
    assert mail.outbox[0].subject == "Recommerce: join Pangolin Logistique SARL"
    link = re.search(r"https?://\S+(/account/company/join/\S+/)", mail.outbox[0].body)
    assert link is not None

    # 3. Hugo opens the link, signs in on the way and joins.
    colleague = browse()
    page = colleague.page
    page.goto(colleague.url(link.group(1)))
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/account/company/join/"))
    sign_in(colleague, "hugo.petit@pangolin.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Pangolin Logistique SARL")
    expect(page.locator(".panel")).to_contain_text(
        "You are invited to buy for Pangolin Logistique SARL as buyer."
    )
    colleague.screenshot("desktop-company-invitation")
    page.get_by_role("button", name="Join Pangolin Logistique SARL").click()
    expect(page.locator(".messages")).to_contain_text("You now buy for your company.")
    expect(page).to_have_url(colleague.url("/account/company/"))
    expect(page.locator(".page-lead")).to_contain_text(
        "Your role: Buyer. Prices are shown excluding VAT while you are signed in."
    )
    members = page.get_by_role("region", name="People", exact=True).locator("li")
    expect(members).to_have_count(2)
    expect(members.nth(0)).to_have_text("Hugo Petit · Buyer")
    expect(members.nth(1)).to_have_text("Léa Moreau · Company admin")
    colleague.screenshot("desktop-company-members")

    # 4. On a product page, Hugo sees prices without VAT, and says so.
    page.goto(colleague.url(product_url))
    expect(page.get_by_test_id("best-price")).to_have_text(f"{PREMIUM_NET} excl. VAT")
    expect(page.locator("#grade-tab-premium")).to_contain_text(PREMIUM_NET)
    colleague.screenshot("desktop-company-product-net")
    colleague.assert_first_party_only()

    # A shopper who is not signed in still sees the price VAT included.
    shopper = browse()
    shopper.page.goto(shopper.url(product_url))
    expect(shopper.page.get_by_test_id("best-price")).to_have_text("€649.00")
    shopper.assert_first_party_only()

    company = Company.objects.get()
    assert (company.legal_name, company.country, company.vat_number) == (
        "Pangolin Logistique SARL", "FR", "FR40303265045",
    )  # fmt: skip
    assert company.vat_verified_at is not None
    assert sorted(
        CompanyMembership.objects.filter(company=company).values_list("user__email", "role")
    ) == [("hugo.petit@pangolin.example", "buyer"), ("lea.moreau@pangolin.example", "admin")]
