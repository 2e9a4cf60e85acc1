"""A purchase in the system Chromium: two sellers' items, insurance, a 3-D Secure payment
on the sandbox provider's page, two orders, the seller ships, the buyer follows the parcel."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.accounts.conftest import make_user
from tests.checkout.conftest import make_buyer

from recommerce.accounts.models import SellerMembership
from recommerce.orders.models import Order
from recommerce.payments.models import Payment

from .test_seller_journey import sign_in

pytestmark = pytest.mark.browser
CHALLENGE_CARD = "4000 0027 6000 3184"


def test_two_sellers_one_payment_then_the_seller_ships_and_the_buyer_tracks(
    browse, shop, live_server, settings
):
    settings.SITE_URL = live_server.url  # the provider sends the buyer back here
    make_buyer("lea.buyer@example.com")
    owner = make_user("owner@greencell.example", full_name="Gaspard Vert")
    SellerMembership.objects.create(
        seller=shop.sellers["green"], user=owner, role=SellerMembership.Role.OWNER
    )
    galaxy, mac = shop.variants["galaxy"], shop.variants["mac"]

    buyer = browse()
    page = buyer.page
    sign_in(buyer, "lea.buyer@example.com")

    # 1. Two sellers' items in one cart.
    for variant in (galaxy, mac):
        page.goto(buyer.url(variant.get_absolute_url()))
        page.get_by_test_id("add-to-cart").click()
        expect(page.locator(".messages")).to_contain_text("Added to your cart.")
    expect(page.get_by_role("heading", name=re.compile("^Sold by"))).to_have_count(2)
    expect(page.get_by_test_id("cart-link")).to_contain_text("2")
    buyer.screenshot("checkout-01-cart")

    # 2. Checkout: insure the laptop, see the totals, pay.
    page.get_by_role("button", name="Checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    # Hardening 5.9: the insurance shows its price before it is chosen, and choosing it
    # updates the totals in place (no "Update totals" click, no page load).
    insure = page.get_by_label(re.compile(r"^Insure .*MacBook Air M1.*, €\d+\.\d\d per device$"))
    expect(page.get_by_role("button", name="Update totals")).to_be_hidden()
    before = page.get_by_test_id("checkout-total").inner_text()
    insure.select_option("1")
    expect(page.locator("#checkout-summary")).to_contain_text("Insurance")
    expect(page.get_by_test_id("checkout-total")).not_to_have_text(before)
    total = page.get_by_test_id("checkout-total").inner_text()
    # The total and Pay also follow the last choice, where the reader's eye ends.
    expect(page.locator("#pay-end")).to_contain_text(f"Pay {total}")
    buyer.screenshot("checkout-02-checkout")
    buyer.assert_first_party_only()
    page.locator("#pay-end").get_by_role("button", name=re.compile("^Pay ")).click()

    # 3. The provider's page, with a bank challenge.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pay {total}")
    page.get_by_label("Card number").fill(CHALLENGE_CARD)
    page.get_by_label(re.compile("^Expiry")).fill("12/34")
    page.get_by_label(re.compile("^Security code")).fill("123")
    buyer.screenshot("checkout-03-payment-page")
    page.get_by_role("button", name=re.compile("^Pay")).click()
    code = page.locator("code").inner_text()
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Confirm").click()

    # 4. Back on the shop: the confirmation arrives and two orders are listed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your order is confirmed", timeout=20_000
    )
    expect(page.get_by_test_id("placed-orders").locator("li.placed-order")).to_have_count(2)
    expect(page.locator(".page-lead")).to_contain_text(total)
    buyer.screenshot("checkout-04-confirmed")
    payment = Payment.objects.get()
    assert (payment.status, payment.card_last4) == (Payment.Status.CAPTURED, "3184")
    orders = {order.seller_id: order for order in Order.objects.all()}
    assert set(orders) == {shop.sellers["green"].pk, shop.sellers["atelier"].pk}
    assert orders[shop.sellers["atelier"].pk].insurance_minor > 0
    green_order = orders[shop.sellers["green"].pk]

    # 5. The seller accepts and ships through the platform's carrier.
    seller = browse()
    spage = seller.page
    sign_in(seller, "owner@greencell.example")
    spage.goto(seller.url(f"/account/seller/orders/{green_order.number}/"))
    expect(spage.get_by_role("heading", level=1)).to_contain_text(green_order.number)
    # The seller is told the day to ship by, and the day the order lapses (Hardening 4.2).
    expect(spage.locator("main")).to_contain_text(re.compile(r"Ship by \w+day \d+ \w+"))
    expect(spage.locator("main")).to_contain_text("the order is cancelled and the buyer refunded")
    seller.screenshot("checkout-05a-seller-order-to-ship")
    spage.get_by_role("button", name=f"Accept order {green_order.number}").click()
    for n, field in enumerate(spage.get_by_label(re.compile(r", unit \d+\b")).all(), start=1):
        field.fill(f"SN-E2E-{green_order.number}-{n}")
    spage.get_by_role("button", name="Mark as shipped").click()
    expect(spage.locator(".messages")).to_contain_text(re.compile("shipped", re.I))
    seller.screenshot("checkout-05-seller-shipped")
    green_order.refresh_from_db()
    assert green_order.status == Order.Status.SHIPPED and green_order.tracking_number

    # 6. The buyer follows the parcel.
    page.goto(buyer.url(f"/account/orders/{green_order.number}/"))
    expect(page.get_by_text(green_order.tracking_number)).to_be_visible()
    expect(page.locator("body")).to_contain_text(re.compile("shipped", re.I))
    buyer.screenshot("checkout-06-buyer-tracking")
    buyer.assert_first_party_only()
