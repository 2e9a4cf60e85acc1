"""An order's life after payment: which steps are allowed to whom, and what each one does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Seller, SellerMembership
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import BILLING, RefundRecorder, World, add_member, outbox_to, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
Status = Order.Status


def stock(world: World) -> int:
    return Offer.objects.get(pk=world.side.offer.pk).stock


def status(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


# --- Placement notice -----------------------------------------------------------------------


def test_placed_paid_order_emails_buyer_and_seller_members(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """SHARE-1: the seller's owners and order managers hear of a paid order, without billing."""
    manager = add_member(world.side.seller, SellerMembership.Role.ORDERS, "orders@lyon.example")
    add_member(world.side.seller, SellerMembership.Role.CATALOG, "catalog@lyon.example")
    order = world.make()
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_placed_notify(order=order)
    assert [m.to for m in mail.outbox] == [
        ["alice@example.com"],
        sorted([world.side.owner.email, manager.email]),
    ]
    buyer_mail, seller_mail = mail.outbox
    assert buyer_mail.subject == f"Recommerce: Your order {order.number} is confirmed"
    assert "Total paid: €450.00" in buyer_mail.body
    assert seller_mail.subject == f"Recommerce: New order {order.number}"
    assert "12 Rue des Lilas" in seller_mail.body and "75011 Paris" in seller_mail.body
    for value in BILLING.values():
        if value and value != "FR":
            assert value not in seller_mail.body
    assert "4242" not in seller_mail.body


def test_placed_held_order_tells_only_the_buyer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make(status=Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_placed_notify(order=order)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "checking this order" in mail.outbox[0].body
    assert not Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.SELLER).exists()


# --- Hold review -----------------------------------------------------------------------------


def test_release_hold_passes_the_order_to_the_seller(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make(status=Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        released = fulfilment.order_release_hold(order=order, actor=world.staff)
    assert released.status == Status.PAID
    assert [m.to for m in mail.outbox] == [[world.side.owner.email]]
    assert Disclosure.objects.filter(reference=order.number).count() == 1


def test_release_hold_needs_the_permission_and_a_held_order(world: World) -> None:
    order = world.make(status=Status.HELD)
    with pytest.raises(PermissionError):
        fulfilment.order_release_hold(order=order, actor=world.plain_staff)
    with pytest.raises(PermissionError):
        fulfilment.order_release_hold(order=order, actor=world.side.owner)
    assert status(order) == Status.HELD
    paid = world.make()
    with pytest.raises(ValidationError, match="only a held order can be released"):
        fulfilment.order_release_hold(order=paid, actor=world.staff)
    assert Disclosure.objects.count() == 0


def test_reject_hold_cancels_refunds_in_full_and_returns_stock(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make(status=Status.HELD, quantity=2)
    assert stock(world) == 3
    with pytest.raises(ValidationError):
        fulfilment.order_reject_hold(order=order, actor=world.staff, reason="  ")
    assert refunds.calls == []
    with django_capture_on_commit_callbacks(execute=True):
        rejected = fulfilment.order_reject_hold(
            order=order, actor=world.staff, reason="Stolen card suspected"
        )
    assert rejected.status == Status.CANCELLED
    assert rejected.cancel_reason == "Stolen card suspected"
    assert stock(world) == 5
    assert refunds.calls == [
        {
            "amount_minor": 90_000,
            "key": f"cancel-{order.number}",
            "reason": Refund.Reason.HOLD_REJECTED,  # a code, not the words (Hardening 4.3)
            "context": order.number,
        }
    ]
    # The seller never knew of the order: only the buyer is told.
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "A refund of €900.00" in mail.outbox[0].body


# --- Acceptance and shipping -----------------------------------------------------------------


def test_accept_then_ship_with_the_platform_carrier(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make()
    accepted = fulfilment.order_accept(order=order, actor=world.side.owner)
    assert accepted.status == Status.ACCEPTED and accepted.accepted_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        shipped = fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    assert shipped.status == Status.SHIPPED
    assert shipped.carrier == "Sandbox Parcel"
    assert shipped.tracking_number.startswith("SP") and len(shipped.tracking_number) == 18
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert shipped.tracking_number in mail.outbox[0].body
    assert f"/account/orders/{order.number}/" in mail.outbox[0].body
    seller = Seller.objects.get(pk=world.side.seller.pk)
    assert (seller.orders_shipped, seller.orders_late) == (1, 0)


def test_ship_with_the_sellers_own_carrier_sends_nothing_to_a_carrier(world: World) -> None:
    order = world.make()
    shipped = fulfilment.order_ship(
        order=order,
        units=units_of(order),
        actor=world.side.owner,
        carrier_tracking="1Z 999 AA1",
        carrier_name="UPS",
    )
    assert (shipped.carrier, shipped.tracking_number) == ("UPS", "1Z 999 AA1")
    assert shipped.accepted_at == shipped.shipped_at
    assert not Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.CARRIER).exists()


def test_ship_refuses_a_bad_tracking_number(world: World) -> None:
    order = world.make(status=Status.ACCEPTED)
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_ship(
            order=order, units=units_of(order), actor=world.side.owner, carrier_tracking="<script>"
        )
    assert refused.value.message_dict == {
        "carrier_tracking": ["A tracking number has 4 to 64 letters, digits or dashes."]
    }
    assert status(order) == Status.ACCEPTED


def test_late_shipment_counts_against_the_seller(world: World) -> None:
    # Paid on a Friday, one business day to dispatch: Monday is the last day.
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        order = world.make()
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    seller = Seller.objects.get(pk=world.side.seller.pk)
    assert (seller.orders_shipped, seller.orders_late) == (1, 1)


def test_ship_on_the_last_day_is_on_time(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=dt.UTC), tick=False):
        order = world.make()
    with time_machine.travel(dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC), tick=False):
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    seller = Seller.objects.get(pk=world.side.seller.pk)
    assert (seller.orders_shipped, seller.orders_late) == (1, 0)


@pytest.mark.parametrize("start", [Status.HELD, Status.SHIPPED, Status.DELIVERED, Status.CANCELLED])
def test_cannot_accept_or_ship_outside_paid_and_accepted(world: World, start: str) -> None:
    order = world.make(status=start)
    for step in (fulfilment.order_accept, fulfilment.order_ship):
        with pytest.raises((ValidationError, PermissionError)):
            if step is fulfilment.order_ship:
                step(order=order, units=units_of(order), actor=world.side.owner)
            else:
                step(order=order, actor=world.side.owner)
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.tracking_number, fresh.shipped_at) == (start, "", None)
    assert Seller.objects.get(pk=world.side.seller.pk).orders_shipped == 0


def test_cannot_ship_a_cancelled_order(world: World) -> None:
    order = world.make()
    fulfilment.order_cancel(order=order, actor=world.buyer, reason="")
    with pytest.raises(ValidationError, match="is cancelled: only a paid or accepted order"):
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    assert status(order) == Status.CANCELLED


def test_only_order_roles_of_the_orders_seller_may_accept(world: World) -> None:
    order = world.make()
    catalog = add_member(world.side.seller, SellerMembership.Role.CATALOG)
    finance = add_member(world.side.seller, SellerMembership.Role.FINANCE)
    for actor in (world.buyer, world.other_side.owner, catalog, finance, world.staff):
        with pytest.raises(PermissionError):
            fulfilment.order_accept(order=order, actor=actor)
    assert status(order) == Status.PAID
    manager = add_member(world.side.seller, SellerMembership.Role.ORDERS)
    assert fulfilment.order_accept(order=order, actor=manager).status == Status.ACCEPTED


# --- Cancellation ----------------------------------------------------------------------------


def test_buyer_cancels_a_paid_order(
    world: World, refunds: RefundRecorder, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make(quantity=2, shipping_minor=990)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = fulfilment.order_cancel(order=order, actor=world.buyer, reason="")
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == "Cancelled by the buyer"
    assert stock(world) == 5
    assert [c["amount_minor"] for c in refunds.calls] == [90_990]
    assert Refund.objects.get().context == order.number
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["alice@example.com", world.side.owner.email]
    )
    seller_mail = outbox_to(world.side.owner.email)[0]
    assert "do not ship it" in seller_mail.body
    assert "99 Avenue de la Facture" not in seller_mail.body


def test_buyer_cannot_cancel_after_acceptance(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Status.ACCEPTED)
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_cancel(order=order, actor=world.buyer, reason="changed my mind")
    assert refused.value.messages == [
        f"Order {order.number} is accepted by the seller: only the seller or customer "
        "service can cancel it now."
    ]
    assert status(order) == Status.ACCEPTED
    assert refunds.calls == [] and stock(world) == 4


def test_seller_cancels_before_shipping_but_not_after(
    world: World, refunds: RefundRecorder
) -> None:
    accepted = world.make(status=Status.ACCEPTED)
    fulfilment.order_cancel(order=accepted, actor=world.side.owner, reason="Device failed tests")
    assert status(accepted) == Status.CANCELLED
    shipped = world.make(status=Status.SHIPPED)
    with pytest.raises(ValidationError, match="the seller can refund it"):
        fulfilment.order_cancel(order=shipped, actor=world.side.owner, reason="oops")
    assert status(shipped) == Status.SHIPPED
    assert len(refunds.calls) == 1


def test_staff_cancel_a_shipped_order_without_returning_its_stock(
    world: World, refunds: RefundRecorder
) -> None:
    order = world.make(status=Status.SHIPPED)
    fulfilment.order_cancel(order=order, actor=world.staff, reason="Lost by the carrier")
    assert status(order) == Status.CANCELLED
    assert stock(world) == 4  # back in stock only if the parcel comes back
    assert [c["amount_minor"] for c in refunds.calls] == [45_000]
    delivered = world.make(status=Status.DELIVERED)
    with pytest.raises(ValidationError, match="returned, not cancelled"):
        fulfilment.order_cancel(order=delivered, actor=world.staff, reason="x")


def test_cancel_twice_is_refused_and_refunds_once(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    fulfilment.order_cancel(order=order, actor=world.buyer, reason="")
    with pytest.raises(ValidationError, match="already cancelled"):
        fulfilment.order_cancel(order=order, actor=world.buyer, reason="")
    assert len(refunds.calls) == 1 and stock(world) == 5


def test_strangers_cannot_cancel(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    for actor in (world.other_buyer, world.other_side.owner, world.plain_staff):
        with pytest.raises(PermissionError):
            fulfilment.order_cancel(order=order, actor=actor, reason="")
    assert status(order) == Status.PAID and refunds.calls == []


def test_cancel_refunds_only_what_is_left(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Status.ACCEPTED, quantity=2)
    fulfilment.order_refund(
        order=order,
        actor=world.side.owner,
        amount_minor=10_000,
        reason="Scratch",
        idempotency_key="k1",
    )
    Order.objects.filter(pk=order.pk).update(refunded_minor=5_000)  # an earlier refund, confirmed
    fulfilment.order_cancel(order=order, actor=world.side.owner, reason="Out of stock")
    assert [c["amount_minor"] for c in refunds.calls] == [10_000, 90_000 - 5_000 - 10_000]


# --- Refunds ---------------------------------------------------------------------------------


def test_partial_refunds_up_to_the_total(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Status.DELIVERED)
    first = fulfilment.order_refund(
        order=order,
        actor=world.side.owner,
        amount_minor=30_000,
        reason="Battery",
        idempotency_key="a",
    )
    assert (first.amount_minor, first.status, first.context) == (30_000, "pending", order.number)
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_refund(
            order=order, actor=world.staff, amount_minor=15_001, reason="More", idempotency_key="b"
        )
    assert refused.value.message_dict == {
        "amount_minor": ["At most €150.00 can still be refunded on this order."]
    }
    assert Refund.objects.count() == 1
    fulfilment.order_refund(
        order=order, actor=world.staff, amount_minor=15_000, reason="Rest", idempotency_key="b"
    )
    assert [c["amount_minor"] for c in refunds.calls] == [30_000, 15_000]


def test_refund_with_the_same_key_returns_the_first_refund(
    world: World, refunds: RefundRecorder
) -> None:
    order = world.make(status=Status.SHIPPED)
    made = [
        fulfilment.order_refund(
            order=order,
            actor=world.side.owner,
            amount_minor=45_000,
            reason="Full",
            idempotency_key="same",
        )
        for _ in range(5)
    ]
    assert {r.pk for r in made} == {made[0].pk}
    assert len(refunds.calls) == 1 and Refund.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "reason", "error"),
    [
        (0, "x", {"amount_minor": ["Enter an amount above zero."]}),
        (-5, "x", {"amount_minor": ["Enter an amount above zero."]}),
        (45_001, "x", {"amount_minor": ["At most €450.00 can still be refunded on this order."]}),
        (100, "   ", {"reason": ["Say why the buyer is refunded."]}),
    ],
)
def test_refund_refuses_bad_amounts(
    world: World, refunds: RefundRecorder, amount: int, reason: str, error: dict[str, list[str]]
) -> None:
    order = world.make(status=Status.SHIPPED)
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_refund(
            order=order,
            actor=world.side.owner,
            amount_minor=amount,
            reason=reason,
            idempotency_key="k",
        )
    assert refused.value.message_dict == error
    assert refunds.calls == [] and Refund.objects.count() == 0


def test_buyer_and_strangers_cannot_refund(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Status.SHIPPED)
    for actor in (world.buyer, world.other_side.owner, world.plain_staff):
        with pytest.raises(PermissionError):
            fulfilment.order_refund(
                order=order, actor=actor, amount_minor=100, reason="x", idempotency_key="k"
            )
    assert refunds.calls == []


def test_held_orders_are_rejected_not_refunded(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Status.HELD)
    with pytest.raises(ValidationError, match="reject the held order instead"):
        fulfilment.order_refund(
            order=order, actor=world.staff, amount_minor=100, reason="x", idempotency_key="k"
        )
    assert refunds.calls == []


def test_failed_refunds_do_not_count_as_pending(world: World) -> None:
    order = world.make(status=Status.SHIPPED)
    refund = fulfilment.order_refund(
        order=order, actor=world.side.owner, amount_minor=45_000, reason="x", idempotency_key="k"
    )
    Refund.objects.filter(pk=refund.pk).update(status=Refund.Status.FAILED)
    again = fulfilment.order_refund(
        order=order, actor=world.side.owner, amount_minor=45_000, reason="x", idempotency_key="k2"
    )
    assert again.pk != refund.pk


def test_placing_orders_subscribes_insurance_and_notifies_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The placement hook: policies bought, buyer confirmed, seller told, once committed."""
    from recommerce.orders.providers.insurer import get_insurer
    from recommerce.orders.services.placement import LineDraft, OrderDraft, orders_place
    from recommerce.payments.models import Payment

    offer = world.side.offer
    quote = get_insurer().quote(
        device_title="iPhone 13", category="smartphones", price_minor=45_000, currency="EUR"
    )
    payment = Payment.objects.create(
        reference="chk-place-1", idempotency_key="pay-place-1", provider="sandbox",
        payer=world.buyer, status=Payment.Status.CAPTURED, amount_minor=48_699,
        currency="EUR", captured_minor=48_699,
    )  # fmt: skip
    draft = OrderDraft(
        seller_id=world.side.seller.pk,
        lines=[
            LineDraft(
                offer_id=offer.pk, variant_id=offer.variant_id, title="Apple iPhone 13",
                grade="excellent", warranty_months=12, quantity=1, unit_price_minor=45_000,
                vat_rate_bp=2000, insured_units=1, insurance_unit_minor=quote.premium_minor,
                insurance_quote_id=quote.quote_id,
            )
        ],
        shipping_method="standard", shipping_label="Standard delivery", shipping_minor=0,
        shipping_vat_rate_bp=2000, estimate_from=dt.date(2026, 6, 3),
        estimate_to=dt.date(2026, 6, 5),
    )  # fmt: skip
    address = {"name": "Alice Martin", "line1": "12 Rue des Lilas", "postal_code": "75011",
               "city": "Paris", "country": "FR", "phone": "+33612345678"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        [order] = orders_place(
            checkout_reference="chk-place-1", payment=payment, buyer=world.buyer, company=None,
            buyer_vat_number="", reverse_charge=False, delivery=address,
            billing={**address, "line1": "99 Avenue de la Facture"}, drafts=[draft],
        )  # fmt: skip
    assert order.total_minor == 48_699
    assert [p.status for p in order.lines.get().policies.all()] == ["active"]
    assert [m.to for m in mail.outbox] == [["alice@example.com"], [world.side.owner.email]]
    assert sorted(Disclosure.objects.values_list("recipient_kind", flat=True)) == [
        "insurer",
        "seller",
    ]
