"""An erasure that waits on a parcel, in the system Chromium: the person sees when the wait
ends, says "I received it", and the DPO's console offers no false completion.

Hardening 4.1 and 4.2 (RIGHT-3, RIGHT-5).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.accounts.conftest import make_staff
from tests.checkout.conftest import make_buyer
from tests.orders.conftest import make_order, make_seller, units_of

from recommerce.accounts import roles
from recommerce.orders.models import Order
from recommerce.orders.services import fulfilment
from recommerce.privacy.models import DataRequest

from .test_privacy_journey import _confirm_password
from .test_seller_journey import sign_in

pytestmark = pytest.mark.browser


def test_right_3_an_erasure_behind_an_own_carrier_parcel_shows_its_end_and_then_goes_through(
    browse, live_server, settings
):
    """Hardening 4.2: the blocker says when it ends; "I received it" ends it."""
    settings.SITE_URL = live_server.url
    buyer = make_buyer("lea.parcel@example.com")
    side = make_seller("Atelier Bleu")
    order = make_order(buyer, side)
    fulfilment.order_ship(
        order=order,
        units=units_of(order),
        actor=side.owner,
        carrier_tracking="COLIS 4412 88",
        carrier_name="Colissimo",
    )
    make_staff(roles.DPO, email="dpo.waiting@example.com")

    visit = browse()
    page = visit.page
    sign_in(visit, "lea.parcel@example.com")
    page.goto(visit.url("/privacy/mine/#erase"))
    erase = page.locator("#erase")
    expect(erase).to_contain_text(f"Order {order.number} is on its way to you.")
    expect(erase).to_contain_text(re.compile(r"It ends when .* at the latest"))

    page.get_by_label(re.compile("^I understand")).check()
    page.get_by_role("button", name="Erase my account").click()
    if page.get_by_role("heading", name="Confirm Access").count():
        _confirm_password(page)
    expect(page.locator(".message").first).to_contain_text("as soon as this is settled")
    requests = page.locator("#requests")
    expect(requests).to_contain_text(f"Waiting: Order {order.number} is on its way to you.")
    visit.screenshot("erasure-01-waiting-on-a-parcel")
    visit.assert_first_party_only()
    request = DataRequest.objects.get(kind=DataRequest.Kind.ERASURE)

    # The DPO's console: no "Complete" while the erasure waits; Refuse says what is added.
    console = browse()
    sign_in(console, "dpo.waiting@example.com")
    console.page.goto(console.url(f"/staff/privacy/{request.reference}/"))
    expect(console.page.get_by_role("heading", level=1)).to_have_text(
        f"Request {request.reference}"
    )
    expect(console.page.locator("main")).not_to_contain_text("Complete with an answer")
    expect(console.page.locator("main")).to_contain_text("Nothing is erased yet")
    console.screenshot("erasure-02-console-postponed")

    # The buyer confirms the parcel arrived on the order's page.
    page.goto(visit.url(f"/account/orders/{order.number}/"))
    expect(page.locator("main")).to_contain_text("Without news, the order counts as delivered")
    visit.screenshot("erasure-03-order-i-received-it")
    page.get_by_role("button", name="I received it").click()
    expect(page.locator(".message").first).to_contain_text("marked as delivered")
    expect(page.locator("main")).to_contain_text("confirmed by the buyer")
    visit.screenshot("erasure-04-order-delivered")
    assert Order.objects.get(pk=order.pk).delivered_by == Order.DeliveredBy.BUYER
