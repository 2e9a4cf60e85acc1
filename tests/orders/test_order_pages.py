"""The order pages: the buyer's, the seller's and staff's held-order review."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import SellerMembership
from recommerce.orders.models import Order
from recommerce.orders.providers.insurer import get_insurer
from recommerce.orders.services import fulfilment
from recommerce.orders.services.insurance import insurance_subscribe_for_order
from recommerce.payments.models import Refund
from recommerce.privacy.models import StaffAccess
from tests.orders.conftest import RefundRecorder, World, add_member, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]


def text(response: Any) -> str:
    """Return the page's visible text with whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def buyer_url(order: Order, name: str = "detail") -> str:
    return reverse(f"orders:{name}", kwargs={"number": order.number})


def seller_url(order: Order) -> str:
    return reverse("seller_orders:detail", kwargs={"number": order.number})


def unit_inputs(order: Order) -> dict[str, str]:
    """The ship form's inputs of each unit, filled with a distinct serial number."""
    return {
        f"ship-unit_{line_id}_{n}": value
        for line_id, values in units_of(order).items()
        for n, value in enumerate(values, start=1)
    }


# --- Buyer -----------------------------------------------------------------------------------


def test_buyer_list_shows_each_order(world: World) -> None:
    order = world.make(quantity=2)
    page = signed_in(world.buyer).get(reverse("orders:list"))
    assert page.status_code == 200
    assert f"{order.number} Refurb Lyon" in text(page)
    assert "Paid €900.00" in text(page)


def test_buyer_detail_shows_lines_addresses_tracking_and_insurance(world: World) -> None:
    quote_id = (
        get_insurer()
        .quote(device_title="iPhone 13", category="", price_minor=45_000, currency="EUR")
        .quote_id
    )
    order = world.make(insured_units=1, insurance_quote_id=quote_id, insurance_unit_minor=3_699)
    [policy] = insurance_subscribe_for_order(order=order)
    fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    fulfilment.order_tracking_refresh(order=order)
    client = signed_in(world.buyer)
    page = client.get(buyer_url(order))
    shown = text(page)
    assert page.status_code == 200
    for part in (
        "Apple iPhone 13 128 GB",
        "Total €486.99",
        "12 Rue des Lilas",
        "99 Avenue de la Facture",
        "Standard delivery",
        "Label created, waiting for the parcel",
        f"Policy {policy.policy_number}",
    ):
        assert part in shown
    assert "Cancel the order" not in shown
    certificate = client.get(
        reverse(
            "orders:certificate",
            kwargs={"number": order.number, "policy_number": policy.policy_number},
        )
    )
    assert certificate.status_code == 200
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF-")
    other = signed_in(world.other_buyer).get(
        reverse(
            "orders:certificate",
            kwargs={"number": order.number, "policy_number": policy.policy_number},
        )
    )
    assert other.status_code == 404


def test_buyer_cancels_from_the_page(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    client = signed_in(world.buyer)
    assert "Cancel the order" in text(client.get(buyer_url(order)))
    answer = client.post(buyer_url(order, "cancel"), {"reason": "Found cheaper"}, follow=True)
    assert f"Order {order.number} is cancelled." in text(answer)
    assert Order.objects.get(pk=order.pk).cancel_reason == "Found cheaper"
    again = client.post(buyer_url(order, "cancel"), follow=True)
    assert "it is already cancelled" in text(again)
    assert len(refunds.calls) == 1


def test_buyer_invoice_download(world: World) -> None:
    from recommerce.orders.services import invoices

    order = world.make()
    invoice = invoices.invoice_issue_for_order(order=order)
    url = reverse("orders:invoice", kwargs={"number": order.number, "invoice_id": invoice.pk})
    answer = signed_in(world.buyer).get(url)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert signed_in(world.other_buyer).get(url).status_code == 404


# --- Seller ----------------------------------------------------------------------------------


def test_seller_list_filters_by_status(world: World) -> None:
    paid = world.make()
    shipped = world.make(status=Order.Status.SHIPPED)
    client = signed_in(world.side.owner)
    everything = text(client.get(reverse("seller_orders:list")))
    assert paid.number in everything and shipped.number in everything
    to_accept = text(client.get(reverse("seller_orders:list") + "?status=new"))
    assert paid.number in to_accept and shipped.number not in to_accept
    unknown = client.get(reverse("seller_orders:list") + "?status=<b>")
    assert unknown.status_code == 200 and paid.number in text(unknown)


def test_seller_accepts_ships_and_refunds_from_the_page(
    world: World, refunds: RefundRecorder
) -> None:
    order = world.make()
    client = signed_in(world.side.owner)
    accepted = client.post(seller_url(order), {"action": "accept"}, follow=True)
    assert f"Order {order.number} is accepted" in text(accepted)
    shipped = client.post(
        seller_url(order),
        {"action": "ship", "ship-how": "carrier", **unit_inputs(order)},
        follow=True,
    )
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "shipped"
    assert f"tracking number {fresh.tracking_number}" in text(shipped)
    refunded = client.post(
        seller_url(order),
        {"action": "refund", "amount": "25.50", "reason": "Scratch", "key": "form-1"},
        follow=True,
    )
    assert "A refund of €25.50 is on its way." in text(refunded)
    client.post(
        seller_url(order),
        {"action": "refund", "amount": "25.50", "reason": "Scratch", "key": "form-1"},
    )
    assert [c["amount_minor"] for c in refunds.calls] == [2_550]


def refund(amount: str) -> dict[str, str]:
    return {"action": "refund", "amount": amount, "reason": "x", "key": "k"}


def ship_own(tracking: str) -> dict[str, str]:
    return {"action": "ship", "ship-how": "own", "ship-tracking_number": tracking}


BAD_INPUT = [
    (ship_own(""), "Give the tracking number of your carrier."),
    (ship_own("<x>"), "A tracking number has 4 to 64 letters, digits or dashes."),
    ({"action": "ship", "ship-how": "drone"}, "Select a valid choice."),
    (refund("abc"), "'abc' is not an amount."),
    (refund("0"), "Enter an amount above zero."),
    (refund("1.234"), "'1.234' has more than 2 decimals."),
    (refund("450.01"), "At most €450.00 can still be refunded on this order."),
    ({"action": "cancel", "cancel-reason": ""}, "This field is required."),
]


@pytest.mark.parametrize(("post", "message"), BAD_INPUT)
def test_seller_bad_input_is_a_form_error(
    world: World, refunds: RefundRecorder, post: dict[str, str], message: str
) -> None:
    order = world.make(status=Order.Status.ACCEPTED)
    if post["action"] == "ship":
        post = {**post, **unit_inputs(order)}
    page = signed_in(world.side.owner).post(seller_url(order), post)
    assert page.status_code == 400
    assert message in text(page)
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.tracking_number) == ("accepted", "")
    assert refunds.calls == [] and Refund.objects.count() == 0


def test_unknown_action_changes_nothing(world: World) -> None:
    order = world.make()
    answer = signed_in(world.side.owner).post(seller_url(order), {"action": "delete"}, follow=True)
    assert "Choose what to do with the order." in text(answer)
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_seller_cancels_from_the_page(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    answer = signed_in(world.side.owner).post(
        seller_url(order), {"action": "cancel", "cancel-reason": "Failed final test"}, follow=True
    )
    assert f"Order {order.number} is cancelled and the buyer refunded." in text(answer)
    assert Order.objects.get(pk=order.pk).cancel_reason == "Failed final test"


@pytest.mark.parametrize("role", [SellerMembership.Role.CATALOG, SellerMembership.Role.FINANCE])
def test_roles_without_orders_get_a_403_page(world: World, role: str) -> None:
    order = world.make()
    member = add_member(world.side.seller, role)
    client = signed_in(member)
    listing = client.get(reverse("seller_orders:list"))
    assert listing.status_code == 403
    assert "does not include handling orders" in text(listing)
    assert order.number not in text(listing)
    assert client.post(seller_url(order), {"action": "accept"}).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_order_manager_works_the_orders(world: World) -> None:
    order = world.make()
    manager = add_member(world.side.seller, SellerMembership.Role.ORDERS)
    signed_in(manager).post(seller_url(order), {"action": "accept"})
    assert Order.objects.get(pk=order.pk).status == "accepted"


# --- Staff -----------------------------------------------------------------------------------


def test_staff_review_held_orders_and_each_view_is_logged(world: World) -> None:
    held = world.make(status=Order.Status.HELD)
    world.make()
    client = signed_in(world.staff)
    listing = client.get(reverse("staff_orders:held"))
    assert listing.status_code == 200
    assert f"{held.number}" in text(listing) and "address on the review list" in text(listing)
    review = client.get(reverse("staff_orders:held_review", kwargs={"number": held.number}))
    assert "99 Avenue de la Facture" in text(review)
    assert list(StaffAccess.objects.order_by("id").values_list("what", "subject_id")) == [
        ("held orders", world.buyer.pk),
        ("held order", world.buyer.pk),
    ]


def test_staff_release_a_held_order(world: World) -> None:
    held = world.make(status=Order.Status.HELD)
    url = reverse("staff_orders:held_review", kwargs={"number": held.number})
    answer = signed_in(world.staff).post(url, {"decision": "release"}, follow=True)
    assert f"Order {held.number} is released to the seller." in text(answer)
    assert Order.objects.get(pk=held.pk).status == "paid"
    assert signed_in(world.staff).get(url).status_code == 404


def test_staff_reject_needs_a_reason(world: World, refunds: RefundRecorder) -> None:
    held = world.make(status=Order.Status.HELD)
    url = reverse("staff_orders:held_review", kwargs={"number": held.number})
    client = signed_in(world.staff)
    blank = client.post(url, {"decision": "reject", "reason": ""})
    assert blank.status_code == 400 and "This field is required." in text(blank)
    nothing = client.post(url, {})
    assert nothing.status_code == 400 and "Release or reject the order." in text(nothing)
    assert Order.objects.get(pk=held.pk).status == "held" and refunds.calls == []
    client.post(url, {"decision": "reject", "reason": "Card reported stolen"})
    assert Order.objects.get(pk=held.pk).status == "cancelled"
    assert len(refunds.calls) == 1


def test_staff_without_the_permission_get_403_and_others_404(world: World) -> None:
    held = world.make(status=Order.Status.HELD)
    url = reverse("staff_orders:held_review", kwargs={"number": held.number})
    assert signed_in(world.plain_staff).get(reverse("staff_orders:held")).status_code == 403
    assert signed_in(world.plain_staff).post(url, {"decision": "release"}).status_code == 403
    assert signed_in(world.buyer).get(reverse("staff_orders:held")).status_code == 404
    anonymous = Client().get(reverse("staff_orders:held"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert Order.objects.get(pk=held.pk).status == "held"
    assert not StaffAccess.objects.exists()
