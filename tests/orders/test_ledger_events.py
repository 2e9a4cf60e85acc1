"""Orders' reactions to refund and chargeback events: exact effects, once per event."""

from __future__ import annotations

import uuid
from fractions import Fraction

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

import recommerce.orders.handlers  # noqa: F401  (subscribes orders to payment events)
from recommerce.orders.handlers import split_in_proportion
from recommerce.orders.models import Invoice, LedgerEntry, LedgerTransaction
from recommerce.orders.services.ledger import ledger_imbalance_minor, seller_balance_minor
from recommerce.payments.events import ChargebackOpened, RefundSucceeded
from recommerce.payments.models import Payment, Refund
from recommerce.platform.events import publish
from tests.orders.finance_fixtures import Item, make_order, make_seller

pytestmark = pytest.mark.django_db


def deliver(event, capture) -> None:
    with capture(execute=True):
        publish(event)


def refund_row(order, amount: int, reason: str = Refund.Reason.ORDER_REFUND) -> Refund:
    return Refund.objects.create(
        payment=order.payment,
        idempotency_key=f"refund-{uuid.uuid4().hex}",
        amount_minor=amount,
        reason=reason,
        context=order.number,
        status=Refund.Status.SUCCEEDED,
    )


def test_refund_event_delivered_five_times_has_its_effects_once(
    django_capture_on_commit_callbacks,
):
    seller = make_seller("Event Shop")
    order = make_order(seller, [Item(45_000)], shipping_minor=599)
    refund = refund_row(order, 10_000)
    mail.outbox.clear()
    event = RefundSucceeded(
        refund_id=refund.pk, payment_id=order.payment_id, amount_minor=10_000, context=order.number
    )
    for _ in range(5):
        deliver(event, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.refunded_minor == 10_000
    assert LedgerTransaction.objects.filter(reference=f"refund-{refund.pk}").count() == 1
    [note] = Invoice.objects.filter(order=order, kind="credit_note")
    # The credit note names the reason code's label (Hardening 4.3).
    assert (note.total_minor, note.lines[0]["description"]) == (-10_000, "Refund on the order")
    assert f"Reference: refund-{refund.pk}" in note.mentions
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [order.buyer_email]
    assert message.subject == f"Recommerce: Your refund for order {order.number}"
    assert "€100.00 has been refunded" in message.body
    assert note.number in message.body
    # Share 45 599 - 4 500; the refund takes back 4 500 x 10 000 / 45 599 = 987 of commission.
    assert seller_balance_minor(seller_id=seller.pk) == 41_099 - (10_000 - 987)
    assert ledger_imbalance_minor() == 0


def test_refund_event_never_takes_an_order_beyond_its_total(django_capture_on_commit_callbacks):
    seller = make_seller("Capped Shop")
    order = make_order(seller, [Item(10_000)])
    first, second = refund_row(order, 8_000), refund_row(order, 5_000)
    for refund in (first, second):
        deliver(
            RefundSucceeded(
                refund_id=refund.pk,
                payment_id=order.payment_id,
                amount_minor=refund.amount_minor,
                context=order.number,
            ),
            django_capture_on_commit_callbacks,
        )
    order.refresh_from_db()
    assert order.refunded_minor == 10_000  # 8 000 + the 2 000 left, never 13 000
    booked = LedgerEntry.objects.filter(
        transaction__kind="refund", account=LedgerEntry.Account.PROVIDER_CASH
    ).values_list("amount_minor", flat=True)
    assert sorted(booked) == [-8_000, -2_000]
    assert seller_balance_minor(seller_id=seller.pk) == 0


def test_refund_event_for_an_unknown_order_changes_nothing(django_capture_on_commit_callbacks):
    seller = make_seller("Unknown Shop")
    order = make_order(seller)
    mail.outbox.clear()
    deliver(
        RefundSucceeded(refund_id=999, payment_id=order.payment_id, amount_minor=1, context="RX"),
        django_capture_on_commit_callbacks,
    )
    deliver(
        RefundSucceeded(
            refund_id=998, payment_id=order.payment_id + 1, amount_minor=1, context=order.number
        ),
        django_capture_on_commit_callbacks,
    )
    order.refresh_from_db()
    assert order.refunded_minor == 0
    assert not LedgerTransaction.objects.filter(kind="refund").exists()
    assert mail.outbox == []


def test_chargeback_is_split_over_the_payments_orders_in_proportion(
    django_capture_on_commit_callbacks,
):
    first_seller, second_seller = make_seller("Split One"), make_seller("Split Two")
    first = make_order(first_seller, [Item(30_000)])
    payment: Payment = first.payment
    second = make_order(second_seller, [Item(15_001)], payment=payment)
    event = ChargebackOpened(chargeback_id=41, payment_id=payment.pk, amount_minor=10_000)
    for _ in range(3):
        deliver(event, django_capture_on_commit_callbacks)

    cash = dict(
        LedgerEntry.objects.filter(
            transaction__kind="chargeback", account=LedgerEntry.Account.PROVIDER_CASH
        ).values_list("transaction__order__number", "amount_minor")
    )
    # 10 000 x 30 000 / 45 001 = 6 666.52 and 10 000 x 15 001 / 45 001 = 3 333.48.
    assert cash == {first.number: -6_667, second.number: -3_333}
    assert LedgerTransaction.objects.filter(kind="chargeback").count() == 2
    assert seller_balance_minor(seller_id=first_seller.pk) == 27_000 - 6_000
    assert seller_balance_minor(seller_id=second_seller.pk) == 13_501 - 3_000
    assert ledger_imbalance_minor() == 0


@given(
    amount=st.integers(0, 10**9),
    weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=8),
)
def test_split_in_proportion_is_exact(amount, weights):
    shares = split_in_proportion(amount, weights)
    assert sum(shares) == amount
    assert all(share >= 0 for share in shares)
    total = sum(weights)
    if total:
        for share, weight in zip(shares, weights, strict=True):
            assert abs(share - Fraction(amount * weight, total)) < 1
