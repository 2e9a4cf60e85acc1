"""Money invariants under any sequence of captures, refunds, chargebacks and payouts.

A hypothesis state machine drives the real services over four orders of two sellers
and checks, after every step: the ledger nets to 0, refunds never exceed what was
captured, no payout exceeds the balance it is paid from, and each seller's balance is
what an independent model of the rules expects.
"""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from recommerce.accounts.models import Seller
from recommerce.orders.models import LedgerEntry, Order, Payout
from recommerce.orders.services.ledger import (
    ledger_imbalance_minor,
    ledger_record_capture,
    ledger_record_chargeback,
    ledger_record_refund,
    seller_balance_minor,
)
from recommerce.orders.services.payouts import payout_mark_failed, payout_send, payouts_run
from recommerce.payments import services as payment_services
from recommerce.payments.models import Transfer
from tests.orders.finance_fixtures import Item, make_order, make_seller, ship

pytestmark = pytest.mark.django_db


def fake_transfer(
    *, seller: Seller, amount_minor: int, currency: str, idempotency_key: str, description: str
) -> Transfer:
    transfer, _ = Transfer.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "seller": seller,
            "provider": "fake",
            "amount_minor": amount_minor,
            "currency": currency,
        },
    )
    return transfer


def half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2))  # non-negative values: floor(x + 1/2)


class Books:
    """The rules, restated independently: what each order owes its seller."""

    def __init__(self, order: Order) -> None:
        self.total = order.total_minor
        self.insurance = order.insurance_minor
        self.invoiced = self.total - self.insurance
        self.commission = min(half_up(Fraction(order.items_minor, 10)), self.invoiced)
        self.returned = 0  # refunds and chargebacks, as cash out
        self.refunded = 0
        self.captured = False

    def seller_share(self, taken: int) -> int:
        """The seller's part of the first ``taken`` units of the order's money."""
        on_invoice = min(taken, self.total, self.invoiced)
        if not self.invoiced:
            return 0
        return on_invoice - half_up(Fraction(self.commission * on_invoice, self.invoiced))


class MoneyMachine(RuleBasedStateMachine):
    sellers: list[Seller] = []

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint rolled back at teardown: a clean ledger.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.orders: list[Order] = []
        self.books: list[Books] = []
        self.balance = {seller.pk: 0 for seller in self.sellers}
        self.sent: list[Payout] = []
        self.run_date = dt.date(2026, 3, 6)
        self.references = itertools.count(1)
        self.booked: list[
            tuple[Any, int, int, str]
        ] = []  # (service, order index, amount, reference)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(
        amounts=st.lists(
            st.tuples(st.integers(1, 200_000), st.integers(0, 2_000), st.integers(0, 9_000)),
            min_size=4,
            max_size=4,
        )
    )
    def place(self, amounts: list[tuple[int, int, int]]) -> None:
        for index, (price, shipping, premium) in enumerate(amounts):
            seller = self.sellers[index % 2]
            item = Item(price, insured_units=1 if premium else 0, insurance_unit_minor=premium)
            order = make_order(seller, [item], shipping_minor=shipping, book=False)
            self.orders.append(order)
            self.books.append(Books(order))

    order_index = st.integers(0, 3)

    @rule(index=order_index)
    def capture(self, index: int) -> None:
        order, books = self.orders[index], self.books[index]
        ledger_record_capture(order=order)
        if not books.captured:
            books.captured = True
            self.balance[order.seller_id] += books.invoiced - books.commission
            ship(order, on=dt.date(2026, 1, 2))

    def _take_back(self, index: int, amount: int) -> None:
        books = self.books[index]
        before = min(books.returned, books.total)
        after = min(books.returned + amount, books.total)
        self.balance[self.orders[index].seller_id] -= books.seller_share(
            after
        ) - books.seller_share(before)
        books.returned += amount

    @rule(index=order_index, amount=st.integers(1, 250_000))
    def refund(self, index: int, amount: int) -> None:
        books = self.books[index]
        reference = f"refund-{next(self.references)}"
        allowed = books.captured and books.returned + amount <= books.total
        if not allowed:
            with pytest.raises(ValidationError):
                ledger_record_refund(
                    order=self.orders[index], amount_minor=amount, reference=reference
                )
            return
        ledger_record_refund(order=self.orders[index], amount_minor=amount, reference=reference)
        books.refunded += amount
        self._take_back(index, amount)

    @rule(index=order_index, amount=st.integers(1, 250_000))
    def chargeback(self, index: int, amount: int) -> None:
        books = self.books[index]
        reference = f"chargeback-{next(self.references)}"
        if not books.captured:
            with pytest.raises(ValidationError):
                ledger_record_chargeback(
                    order=self.orders[index], amount_minor=amount, reference=reference
                )
            return
        ledger_record_chargeback(order=self.orders[index], amount_minor=amount, reference=reference)
        self.booked.append((ledger_record_chargeback, index, amount, reference))
        self._take_back(index, amount)

    @precondition(lambda self: bool(self.booked))
    @rule(data=st.data())
    def delivered_again(self, data: Any) -> None:
        """A refund or chargeback event delivered again changes nothing."""
        service, index, amount, reference = data.draw(st.sampled_from(self.booked))
        service(order=self.orders[index], amount_minor=amount, reference=reference)

    @rule()
    def pay_out(self) -> None:
        self.run_date += dt.timedelta(days=1)
        for payout in payouts_run(run_date=self.run_date):
            if payout.status != Payout.Status.APPROVED:
                continue
            before = seller_balance_minor(seller_id=payout.seller_id)
            sent = payout_send(payout=payout)
            if sent.status == Payout.Status.SENT:
                assert 0 < sent.amount_minor <= before  # a payout never exceeds the balance
                assert seller_balance_minor(seller_id=payout.seller_id) >= 0
                self.balance[payout.seller_id] -= sent.amount_minor
                self.sent.append(sent)

    @precondition(lambda self: bool(self.sent))
    @rule(data=st.data())
    def transfer_fails(self, data: Any) -> None:
        payout = self.sent.pop(data.draw(st.integers(0, len(self.sent) - 1)))
        failed = payout_mark_failed(transfer_id=payout.transfer_id)
        assert failed is not None and failed.status == Payout.Status.FAILED
        assert not Order.objects.filter(payout=payout).exists()
        self.balance[payout.seller_id] += payout.amount_minor
        # Delivered again: nothing more happens.
        payout_mark_failed(transfer_id=payout.transfer_id)

    @invariant()
    def ledger_nets_to_zero(self) -> None:
        assert ledger_imbalance_minor() == 0

    @invariant()
    def refunds_within_capture(self) -> None:
        for order, books in zip(self.orders, self.books, strict=True):
            refunded = -(
                LedgerEntry.objects.filter(
                    transaction__order=order,
                    transaction__kind="refund",
                    account=LedgerEntry.Account.PROVIDER_CASH,
                ).aggregate(total=Sum("amount_minor"))["total"]
                or 0
            )
            assert refunded == books.refunded
            assert refunded <= (order.total_minor if books.captured else 0)

    @invariant()
    def balances_match_the_model(self) -> None:
        for seller_id, expected in self.balance.items():
            assert seller_balance_minor(seller_id=seller_id) == expected


def test_money_invariants_hold_through_any_sequence(monkeypatch, settings):
    """Money invariants (reliability: refunds <= captured; payouts <= balance; ledger nets 0)."""
    monkeypatch.setattr(payment_services, "transfer_create", fake_transfer)
    settings.PAYOUT_SECOND_APPROVAL_MINOR = 10**9
    MoneyMachine.sellers = [make_seller("Machine Alpha"), make_seller("Machine Beta")]
    run_state_machine_as_test(
        MoneyMachine,
        settings=hypothesis_settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
