"""After-sales in the system Chromium, each person on their own pages.

A return: the buyer opens it on a delivered phone, the seller accepts (prepaid label), the
device comes back locked to an iCloud account (SEC-3), the buyer removes it and asks for a
new check, the seller accepts the device, the refund and its credit note follow, and the
buyer reviews the phone. A lost parcel: the buyer reports it, customer service asks for an
identity check (COLLECT-8), the buyer declines the live check (CONSENT-5) and sends
documents, customer service confirms the identity and decides a refund.

The starting state (a shop, a real sandbox payment, the delivery) is built through the
services before the browser starts, as the demo builds its own.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.accounts.conftest import make_staff
from tests.checkout.conftest import make_buyer
from tests.orders.conftest import SellerSide, make_seller

from recommerce.accounts import roles
from recommerce.demo.aftersales import (
    APPLE_TAC,
    LOCKED_SERIAL,
    demo_imei,
    demo_order_deliver,
    demo_order_place,
)
from recommerce.demo.timeline import travel
from recommerce.orders.models import Invoice, Order
from recommerce.orders.services.fulfilment import order_accept, order_ship
from recommerce.payments import services as payment_services
from recommerce.payments.models import Refund
from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.platform.providers import clear_provider_cache
from recommerce.support.models import Claim, DeviceCheck, IdentityCheck, Review

from .test_seller_journey import sign_in

pytestmark = pytest.mark.browser
LOCKED_IMEI = demo_imei(APPLE_TAC, LOCKED_SERIAL)


@pytest.fixture
def aftersales(settings, live_server) -> Iterator[None]:
    """Links in emails point at the live server; the sandbox confirms payments at once."""
    settings.SITE_URL = live_server.url
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 30_000
    payments = settings.PROVIDERS["payments"]
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {**payments, "OPTIONS": {**payments["OPTIONS"], "confirm_delay_seconds": 0}},
    }
    clear_provider_cache()
    yield
    clear_provider_cache()


def refurbisher() -> SellerSide:
    side = make_seller("Revivo Lyon", price_minor=52_900)
    seller = side.seller
    seller.return_line1, seller.return_postal_code = "27 Rue de Gerland", "69007"
    seller.return_city, seller.return_country = "Lyon", "FR"
    seller.save()
    return side


def provider_notifications_delivered() -> None:
    """Deliver the sandbox's due notifications (the refund's success) in this process."""
    provider = payment_services.payment_provider()
    assert isinstance(provider, SandboxPaymentProvider)
    transport, provider.outbox.transport = provider.outbox.transport, "inprocess"
    try:
        with travel(timezone.now() + dt.timedelta(seconds=5)):
            provider.outbox.deliver_due()
    finally:
        provider.outbox.transport = transport


def pdf(text: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0"
        b"/Kids[]>>endobj\n% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 40), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def test_sec_3_a_return_through_the_activation_lock_to_the_refund_credit_note_and_review(
    aftersales, browse
):
    buyer = make_buyer("camille.return@example.com")
    side = refurbisher()
    ordered = timezone.now() - dt.timedelta(days=5)
    order = demo_order_place(buyer=buyer, offers=[side.offer], at=ordered)
    order = demo_order_deliver(order=order, owner=side.owner, imeis=[LOCKED_IMEI], at=ordered)
    line = order.lines.get()

    # The buyer opens a return on the delivered phone.
    visit = browse()
    page = visit.page
    sign_in(visit, "camille.return@example.com")
    page.goto(visit.url(f"/account/orders/{order.number}/"))
    expect(page.locator("main")).to_contain_text(LOCKED_IMEI)
    visit.screenshot("aftersales-return-01-buyer-order-delivered")
    page.get_by_role("link", name="Report a problem").click()
    page.get_by_label("Return (change of mind)").check()
    page.get_by_label("What would you like?").select_option("return_refund")
    page.get_by_label(re.compile("^Why do you return it")).select_option("changed_mind")
    page.get_by_label("Describe the problem").fill("Bigger than I thought in the hand.")
    visit.screenshot("aftersales-return-02-buyer-opens-the-return")
    page.get_by_role("button", name="Open the claim").click()
    expect(page.locator(".message").first).to_contain_text("is open: the seller will answer")
    claim = Claim.objects.get(order=order)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {claim.reference}")
    visit.screenshot("aftersales-return-03-buyer-claim-open")

    # The seller accepts: a prepaid label is issued.
    shop = browse()
    sign_in(shop, side.owner.email)
    shop.page.goto(shop.url("/account/seller/support/claims/"))
    shop.page.get_by_role("link", name=re.compile(claim.reference)).first.click()
    shop.screenshot("aftersales-return-04-seller-claim")
    shop.page.get_by_role("button", name="Accept the claim").click()
    expect(shop.page.locator(".message").first).to_contain_text("You accepted the claim")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNING and claim.return_tracking_number
    shop.screenshot("aftersales-return-05-seller-accepted")

    # The buyer downloads the label from the claim's page.
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the prepaid return label")).click()
    assert download.value.suggested_filename == f"return-label-{claim.reference}.pdf"
    visit.screenshot("aftersales-return-06-buyer-label")

    # The parcel arrives; the check finds the device locked to an account.
    shop.page.reload()
    shop.page.get_by_role("button", name="I received the device").click()
    expect(shop.page.locator(".message").first).to_contain_text("still linked to an account")
    expect(shop.page.locator("main")).to_contain_text("The device is still linked to an account")
    expect(shop.page.locator("main")).to_contain_text("iCloud Activation Lock")
    assert DeviceCheck.objects.get(claim=claim).result == DeviceCheck.Result.LOCKED
    expect(shop.page.locator("main")).not_to_contain_text("Accept and refund the buyer")
    shop.screenshot("aftersales-return-07-seller-device-locked")
    page.reload()
    expect(page.locator("main")).to_contain_text("Remove from account")
    visit.screenshot("aftersales-return-08-buyer-device-locked-steps")

    # The buyer removes it from iCloud (the sandbox stands for icloud.com) and, once the
    # 10 minutes between checks are over, asks for a new check.
    page.get_by_role("button", name="Remove it from my account (sandbox)").click()
    expect(page.locator(".message").first).to_contain_text("Removed from your account")
    with travel(timezone.now() + dt.timedelta(minutes=11)):
        page.reload()
        page.get_by_role("button", name="I removed it, check again").click()
        expect(page.locator(".message").first).to_contain_text("not linked to any account")
        claim.refresh_from_db()
        assert claim.status == Claim.Status.INSPECTING
        visit.screenshot("aftersales-return-09-buyer-device-clear")

        # The seller accepts the device: the refund starts.
        shop.page.reload()
        shop.page.get_by_role("button", name="Accept and refund the buyer").click()
        expect(shop.page.locator(".message").first).to_contain_text("refund is on its way")
        shop.screenshot("aftersales-return-10-seller-refunded")
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CLOSED and claim.outcome == Claim.Outcome.REFUNDED

    # The payment provider confirms the refund; the credit note follows.
    provider_notifications_delivered()
    refund = Refund.objects.get(pk=claim.refund_id)
    assert refund.status == Refund.Status.SUCCEEDED and refund.amount_minor == line.total_minor
    credit = Invoice.objects.get(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    page.goto(visit.url(f"/account/orders/{order.number}/"))
    expect(page.locator("main")).to_contain_text(credit.number)
    expect(page.locator("main")).to_contain_text("Refunded")
    visit.screenshot("aftersales-return-11-buyer-order-refunded-credit-note")

    # The buyer reviews the phone, from the order's page.
    page.get_by_role("link", name="write a review").click()
    page.get_by_label("4 stars, good").check()
    review_text = "Good phone; the return went smoothly too."
    page.get_by_role("textbox", name="Your review").fill(review_text)
    page.get_by_role("button", name="Publish my review").click()
    expect(page.locator(".message").first).to_contain_text("your review is published")
    visit.screenshot("aftersales-return-12-buyer-review-published")
    page.goto(visit.url(line.variant.get_absolute_url()))
    expect(page.locator("main")).to_contain_text("Verified purchase")
    visit.screenshot("aftersales-return-13-product-page-review")
    review = Review.objects.get(line=line)
    assert (review.rating, review.author_display) == (4, "Camille L.")
    visit.assert_first_party_only()
    shop.assert_first_party_only()


def test_collect_8_a_lost_parcel_an_identity_check_by_documents_and_a_refund(aftersales, browse):
    buyer = make_buyer("camille.lost@example.com")
    side = refurbisher()
    make_staff(roles.CUSTOMER_SERVICE, email="agent.lost@example.com")
    # Sent with the seller's own carrier twelve days ago: no news since.
    ordered = timezone.now() - dt.timedelta(days=12)
    order = demo_order_place(buyer=buyer, offers=[side.offer], at=ordered)
    with travel(ordered + dt.timedelta(hours=3)):
        order_accept(order=order, actor=side.owner)
        units = {line.pk: [demo_imei(APPLE_TAC, 230_010)] for line in order.lines.all()}
        order_ship(
            order=order, actor=side.owner, units=units,
            carrier_tracking="COLIS 4412 88", carrier_name="Colissimo",
        )  # fmt: skip
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert order.delivery_estimate_to < timezone.localdate()

    # The buyer reports the parcel lost.
    visit = browse()
    page = visit.page
    sign_in(visit, "camille.lost@example.com")
    page.goto(visit.url(f"/account/orders/{order.number}/"))
    page.get_by_role("link", name="Report a problem").click()
    page.get_by_label("Parcel not received").check()
    page.get_by_label("What would you like?").select_option("refund")
    page.get_by_label("Describe the problem").fill("Nothing at my door, no notice, no neighbour.")
    page.get_by_label(re.compile("I declare that I did not receive")).check()
    visit.screenshot("aftersales-lost-01-buyer-reports-lost")
    page.get_by_role("button", name="Open the claim").click()
    expect(page.locator(".message").first).to_contain_text("is open")
    claim = Claim.objects.get(order=order)
    visit.screenshot("aftersales-lost-02-buyer-claim-open")

    # The seller has no news from its carrier either: customer service decides.
    shop = browse()
    sign_in(shop, side.owner.email)
    shop.page.goto(shop.url(f"/account/seller/support/claims/{claim.reference}/"))
    shop.page.get_by_label("Why should customer service step in?").fill(
        "Our carrier has no scan since the pick-up."
    )
    shop.page.get_by_role("button", name="Ask customer service").click()
    expect(shop.page.locator(".message").first).to_contain_text("Customer service will decide")
    shop.screenshot("aftersales-lost-03-seller-escalates")

    # Customer service asks for an identity check.
    desk = browse()
    sign_in_staff(desk, "agent.lost@example.com")
    desk.page.goto(desk.url("/staff/support/claims/"))
    desk.page.get_by_role("link", name=re.compile(claim.reference)).first.click()
    desk.page.get_by_role("link", name="Ask for an identity check").click()
    desk.page.get_by_label("Why the check is needed").fill(
        "A lost parcel of this value: please confirm who you are."
    )
    desk.screenshot("aftersales-lost-04-staff-asks-identity")
    desk.page.get_by_role("button", name="Ask for the check").click()
    expect(desk.page.locator(".message").first).to_contain_text("asked to confirm their identity")
    check = IdentityCheck.objects.get(claim=claim)

    # The buyer declines the live check and sends documents.
    page.goto(visit.url(f"/account/support/claims/{claim.reference}/"))
    page.get_by_role("link", name="Prove your identity").click()
    visit.screenshot("aftersales-lost-05-buyer-identity-choices")
    page.get_by_role("button", name="I decline").click()
    expect(page.locator(".message").first).to_contain_text("No live check")
    expect(page.locator("main")).to_contain_text("You declined the live check")
    page.get_by_label("Identity document").set_input_files(
        files=[{"name": "id-card.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_label("Proof of address").set_input_files(
        files=[{"name": "bill.pdf", "mimeType": "application/pdf", "buffer": pdf("bill")}]
    )
    page.get_by_label("Signed declaration of non-receipt").set_input_files(
        files=[{"name": "declaration.pdf", "mimeType": "application/pdf", "buffer": pdf("decl")}]
    )
    visit.screenshot("aftersales-lost-06-buyer-documents")
    page.get_by_role("button", name="Send the documents").click()
    expect(page.locator(".message").first).to_contain_text("Our team reviews your documents")
    visit.screenshot("aftersales-lost-07-buyer-documents-sent")
    check.refresh_from_db()
    assert (check.status, check.method) == (
        IdentityCheck.Status.SUBMITTED,
        IdentityCheck.Method.DOCUMENT,
    )

    # Customer service looks at the documents, confirms the identity, decides a refund.
    desk.page.goto(desk.url(f"/staff/support/identity/{check.pk}/"))
    desk.screenshot("aftersales-lost-08-staff-identity-review")
    desk.page.get_by_label("Identity confirmed").check()
    desk.page.get_by_role("button", name="Record the decision").click()
    expect(desk.page.locator(".message").first).to_contain_text("decision is recorded")
    desk.page.goto(desk.url(f"/staff/support/claims/{claim.reference}/"))
    desk.page.get_by_role("combobox", name="Decision").select_option("refund")
    desk.page.get_by_label("Reasons, shown to both").fill(
        "Identity confirmed and no carrier scan since pick-up: refunded."
    )
    desk.screenshot("aftersales-lost-09-staff-decides")
    desk.page.get_by_role("button", name="Decide").click()
    expect(desk.page.locator(".message").first).to_contain_text("is decided")
    desk.screenshot("aftersales-lost-10-staff-decided")

    provider_notifications_delivered()
    claim.refresh_from_db()
    refund = Refund.objects.get(pk=claim.refund_id)
    assert refund.status == Refund.Status.SUCCEEDED and refund.amount_minor == order.total_minor
    page.goto(visit.url(f"/account/support/claims/{claim.reference}/"))
    expect(page.locator("main")).to_contain_text("Refund without return")
    visit.screenshot("aftersales-lost-11-buyer-claim-refunded")
    page.goto(visit.url(f"/account/orders/{order.number}/"))
    expect(page.locator("main")).to_contain_text("Refunded")
    visit.screenshot("aftersales-lost-12-buyer-order-refunded")

    # Customer service's page of the person gathers the claim, its refund and the call note.
    desk.page.goto(desk.url(f"/staff/people/{buyer.pk}/"))
    expect(desk.page.locator("main")).to_contain_text(claim.reference)
    desk.page.get_by_label("What was said").fill("Called to check the refund arrived.")
    desk.page.get_by_role("button", name="Save the note").click()
    expect(desk.page.locator("main")).to_contain_text("Called to check the refund arrived.")
    desk.screenshot("aftersales-lost-13-staff-person-page")
    for browsing in (visit, shop, desk):
        browsing.assert_first_party_only()


def sign_in_staff(visit, email: str) -> None:
    """Sign in a staff member (their landing page is not "My account")."""
    from tests.accounts.conftest import PASSWORD

    page = visit.page
    page.goto(visit.url("/account/login/"))
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_load_state()
