"""From the cart to orders: one payment, one order per seller, whatever door confirms it.

The buyer pays on the sandbox provider's page (``card_pay`` is what its form does), the
provider confirms a few seconds later by a signed webhook; the return page and the
reconciliation task are the other two doors. Figures: duplicate effects = 0, paid
without order = 0, orders without payment = 0.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from recommerce.checkout.models import CartLine, Checkout
from recommerce.checkout.services import completion
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_pay, checkout_start, checkout_update
from recommerce.checkout.services.reservations import reservation_release
from recommerce.offers.models import Offer
from recommerce.orders.models import LedgerEntry, Order
from recommerce.payments import services as payment_services
from recommerce.payments.models import Payment, Refund, SandboxOutbox
from recommerce.platform import clock
from recommerce.privacy.models import Disclosure
from tests.checkout.conftest import make_buyer, make_offer

pytestmark = pytest.mark.django_db

PAID = "4242424242424242"


def _checkout(buyer, *offers_and_quantities):
    cart = cart_for_user(user=buyer)
    for offer, quantity in offers_and_quantities:
        cart_line_add(cart=cart, offer_id=offer.pk, quantity=quantity)
    return checkout_start(user=buyer, cart=cart)


def _pay(checkout: Checkout, card: str = PAID) -> Payment:
    payment = checkout_pay(
        checkout=checkout,
        return_url=f"http://testserver/checkout/{checkout.reference}/return/",
        cancel_url=f"http://testserver/checkout/{checkout.reference}/cancelled/",
    )
    payment_services.payment_provider().card_pay(public_id=payment.provider_session_id, number=card)
    return payment


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Let the provider's confirmation delay pass and deliver what it queued.

    After-commit work (events, emails) runs as a real commit would run it.
    """

    def run(at: dt.datetime | None = None) -> int:
        with (
            time_machine.travel(at or clock.now() + dt.timedelta(seconds=10)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return payment_services.payment_provider().outbox_deliver_due()

    return run


def _paid_without_order() -> int:
    captured = Payment.objects.filter(status=Payment.Status.CAPTURED).values_list("pk", flat=True)
    return sum(not Order.objects.filter(payment_id=pk).exists() for pk in captured)


def _orders_without_payment() -> int:
    return Order.objects.exclude(payment__status=Payment.Status.CAPTURED).count()


def test_two_sellers_one_payment_two_orders_with_insurance(buyer, deliver):
    first = make_offer(stock=3, price_minor=30_000)
    second = make_offer(stock=2, price_minor=12_000)
    checkout = _checkout(buyer, (first, 2), (second, 1))
    insured = checkout.lines.get(offer=first)
    checkout = checkout_update(checkout=checkout, insurance={insured.pk: 1})
    insured.refresh_from_db()
    assert insured.insurance_unit_minor > 0

    payment = _pay(checkout)
    payment.refresh_from_db()
    assert payment.status != Payment.Status.CAPTURED  # confirmation is asynchronous
    assert not Order.objects.exists()

    assert deliver() >= 1

    checkout.refresh_from_db()
    payment.refresh_from_db()
    assert checkout.status == Checkout.Status.COMPLETED
    assert (payment.status, payment.card_brand, payment.card_last4) == ("captured", "visa", "4242")
    orders = {order.seller_id: order for order in Order.objects.filter(payment=payment)}
    assert set(orders) == {first.seller_id, second.seller_id}
    assert sum(order.total_minor for order in orders.values()) == payment.captured_minor
    assert payment.captured_minor == checkout.total_minor
    assert orders[first.seller_id].items_minor == 60_000
    assert orders[first.seller_id].insurance_minor == insured.insurance_unit_minor
    assert orders[second.seller_id].items_minor == 12_000
    assert {o.status for o in orders.values()} == {Order.Status.PAID}
    assert (Offer.objects.get(pk=first.pk).stock, Offer.objects.get(pk=second.pk).stock) == (1, 1)
    assert not CartLine.objects.filter(cart__user=buyer).exists()
    # Every order is booked and its books balance.
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0
    assert all(order.invoices.exists() for order in orders.values())
    # Each seller learnt only what fulfilment needs, and it is on record (SHARE-1, SHARE-5).
    to_sellers = Disclosure.objects.filter(subject=buyer, recipient_kind="seller")
    assert {d.reference for d in to_sellers} == {o.number for o in orders.values()}
    assert all("billing_line1" not in d.fields for d in to_sellers)
    assert any(buyer.email in message.to for message in mail.outbox)


def test_the_same_webhook_five_times_places_the_orders_once(buyer, deliver):
    checkout = _checkout(buyer, (make_offer(stock=2), 1), (make_offer(stock=2), 1))
    payment = _pay(checkout)
    deliver()
    placed = list(Order.objects.values_list("number", flat=True))
    provider = payment_services.payment_provider()
    for row in SandboxOutbox.objects.filter(body__contains="payment.succeeded"):
        body = row.body.encode()
        for _ in range(5):
            payment_services.webhook_receive(
                provider_name="sandbox", body=body, headers={
                    "Recommerce-Signature": provider.signature_header(body)
                },
            )  # fmt: skip

    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(placed)
    assert len(placed) == 2
    assert Payment.objects.get(pk=payment.pk).captured_minor == checkout.total_minor
    assert (_paid_without_order(), _orders_without_payment()) == (0, 0)


def test_the_return_page_confirms_with_the_provider_before_any_webhook(client, buyer, deliver):
    checkout = _checkout(buyer, (make_offer(stock=1), 1))
    _pay(checkout)
    client.force_login(buyer)

    with time_machine.travel(clock.now() + dt.timedelta(seconds=10)):
        response = client.get(reverse("checkout:return", args=[checkout.reference]))

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:done", args=[checkout.reference])
    assert Order.objects.filter(checkout_reference=checkout.reference).count() == 1
    deliver()  # the late webhook changes nothing
    assert Order.objects.filter(checkout_reference=checkout.reference).count() == 1


def test_force_browsing_the_return_and_done_pages_places_no_order(client, buyer):
    checkout = _checkout(buyer, (make_offer(stock=1), 1))
    checkout_pay(checkout=checkout, return_url="http://testserver/r", cancel_url="http://t/c")
    client.force_login(buyer)

    returned = client.get(reverse("checkout:return", args=[checkout.reference]) + "?paid=1")
    done = client.get(reverse("checkout:done", args=[checkout.reference]))

    assert returned.status_code == 200 and b"Confirming" in returned.content
    assert done.status_code == 302
    assert not Order.objects.exists()
    assert Checkout.objects.get(pk=checkout.pk).status == Checkout.Status.PAYING


def test_someone_elses_checkout_pages_are_not_found(client, buyer):
    checkout = _checkout(buyer, (make_offer(stock=1), 1))
    client.force_login(make_buyer())
    for name in ("checkout", "return", "cancelled", "done"):
        response = client.get(reverse(f"checkout:{name}", args=[checkout.reference]))
        assert response.status_code == 404, name
    assert Checkout.objects.get(pk=checkout.pk).status == Checkout.Status.OPEN


def test_a_crash_between_payment_and_orders_is_reconciled(buyer, monkeypatch, deliver):
    checkout = _checkout(buyer, (make_offer(stock=2), 1))
    payment = _pay(checkout)

    def crash(**kwargs):
        raise RuntimeError("worker killed between the payment and the orders")

    monkeypatch.setattr(completion, "orders_place", crash)
    with pytest.raises(RuntimeError):
        deliver()
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CAPTURED
    assert _paid_without_order() == 1

    monkeypatch.undo()
    with time_machine.travel(clock.now() + dt.timedelta(minutes=10)):
        assert completion.checkouts_reconcile() == 1
        assert completion.checkouts_reconcile() == 0

    assert (_paid_without_order(), _orders_without_payment()) == (0, 0)
    assert Checkout.objects.get(pk=checkout.pk).status == Checkout.Status.COMPLETED


def test_a_payment_confirmed_after_the_reservation_expired_takes_the_stock_again(buyer, deliver):
    offer = make_offer(stock=1)
    checkout = _checkout(buyer, (offer, 1))
    payment = _pay(checkout)
    Checkout.objects.filter(pk=checkout.pk).update(status=Checkout.Status.EXPIRED)
    reservation_release(Checkout.objects.get(pk=checkout.pk))
    assert Offer.objects.get(pk=offer.pk).stock == 1

    deliver()

    assert Order.objects.filter(payment=payment).count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 0


def test_a_payment_confirmed_after_the_stock_was_sold_is_refunded_in_full(buyer, deliver):
    offer = make_offer(stock=1)
    checkout = _checkout(buyer, (offer, 1))
    payment = _pay(checkout)
    Checkout.objects.filter(pk=checkout.pk).update(status=Checkout.Status.EXPIRED)
    reservation_release(Checkout.objects.get(pk=checkout.pk))
    rival = make_buyer()
    _checkout(rival, (offer, 1))  # the unit is taken by someone else meanwhile

    deliver()

    checkout.refresh_from_db()
    assert not Order.objects.filter(payment=payment).exists()
    assert checkout.status == Checkout.Status.CANCELLED
    refund = Refund.objects.get(payment=payment)
    assert refund.amount_minor == checkout.total_minor
    assert Offer.objects.get(pk=offer.pk).stock == 0


def test_a_total_changed_after_payment_is_refunded_not_fulfilled(buyer, deliver):
    checkout = _checkout(buyer, (make_offer(stock=1, price_minor=50_000), 1))
    payment = _pay(checkout)
    # The amount the checkout expects no longer matches what was paid.
    Checkout.objects.filter(pk=checkout.pk).update(total_minor=1)

    deliver()

    assert not Order.objects.filter(payment=payment).exists()
    assert Refund.objects.get(payment=payment).amount_minor == 50_000
    assert _orders_without_payment() == 0
