"""Payouts: eligibility, amounts, second approval (ASVS 2.3.5), sending, failed transfers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

import recommerce.orders.handlers  # noqa: F401  (subscribes orders to payment events)
from recommerce.orders.models import LedgerTransaction, Order, Payout
from recommerce.orders.services.ledger import (
    ledger_imbalance_minor,
    ledger_record_refund,
    seller_balance_minor,
)
from recommerce.orders.services.payouts import (
    payout_approve,
    payout_send,
    payouts_run,
    shipped_before,
)
from recommerce.orders.tasks_finance import (
    commission_invoices_issue,
    payouts_run_and_send,
    previous_month,
)
from recommerce.payments import services as payment_services
from recommerce.payments.events import TransferFailed, TransferPaid
from recommerce.payments.models import Transfer
from recommerce.payments.services import transitions
from recommerce.platform.events import publish
from tests.accounts.conftest import make_user
from tests.orders.finance_fixtures import Item, finance_staff, make_order, make_seller, ship

pytestmark = pytest.mark.django_db

RUN = dt.date(2026, 3, 16)  # 10 days after 6 March
SHARE = 45_000 - 4_500  # a 450.00 order's seller share at 10 %


@pytest.fixture(autouse=True)
def _payout_rules(settings):
    settings.PAYOUT_AFTER_SHIPPING_DAYS = 10
    settings.PAYOUT_SECOND_APPROVAL_MINOR = 1_000_000


def shipped_order(seller, *, on=dt.date(2026, 3, 6), **kwargs):
    return ship(make_order(seller, **kwargs), on=on)


# ---- Runs --------------------------------------------------------------------------------------


def test_only_orders_shipped_long_enough_ago_are_paid_net_of_refunds():
    seller = make_seller("Eligible Shop")
    due = shipped_order(seller, on=dt.date(2026, 3, 6))
    refunded = shipped_order(seller, on=dt.date(2026, 3, 1))
    ledger_record_refund(order=refunded, amount_minor=10_000, reference="refund-e1")
    too_recent = shipped_order(seller, on=dt.date(2026, 3, 7))
    unshipped = make_order(seller)
    cancelled = shipped_order(seller, on=dt.date(2026, 3, 1))
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)

    assert shipped_before(RUN).date() == dt.date(2026, 3, 7)
    [payout] = payouts_run(run_date=RUN)

    assert payout.amount_minor == SHARE + (SHARE - 9_000)  # refund: 9 000 seller, 1 000 commission
    assert payout.status == Payout.Status.APPROVED
    assert payout.created_by is None and payout.run_date == RUN
    assert payout.bank_account_display == "IBAN •••• 0189"
    assert set(Order.objects.filter(payout=payout)) == {due, refunded}
    for order in (too_recent, unshipped, cancelled):
        order.refresh_from_db()
        assert order.payout_id is None


def test_run_is_idempotent_per_seller_and_date():
    seller = make_seller("Idempotent Shop")
    shipped_order(seller)
    first = payouts_run(run_date=RUN)
    for _ in range(3):
        assert [p.pk for p in payouts_run(run_date=RUN)] == [p.pk for p in first]
    assert Payout.objects.count() == 1
    shipped_order(seller)  # a new order waits for the next run date
    assert [p.pk for p in payouts_run(run_date=RUN)] == [p.pk for p in first]
    assert payouts_run(run_date=RUN + dt.timedelta(days=10))[0].amount_minor == SHARE


def test_payout_never_exceeds_the_balance_left_after_debits():
    seller = make_seller("Debited Shop")
    old = shipped_order(seller, on=dt.date(2026, 2, 1))
    [first] = payouts_run(run_date=dt.date(2026, 2, 16))
    payout_send(payout=first)
    # Refunded after it was paid out: the seller owes 40 500 of it back.
    ledger_record_refund(order=old, amount_minor=45_000, reference="refund-after-payout")
    assert seller_balance_minor(seller_id=seller.pk) == -SHARE
    shipped_order(seller, items=[Item(90_000)])
    [second] = payouts_run(run_date=RUN)
    assert second.amount_minor == (90_000 - 9_000) - SHARE
    nothing_left = make_seller("Nothing Left Shop")
    owed = shipped_order(nothing_left)
    ledger_record_refund(order=owed, amount_minor=45_000, reference="refund-all")
    assert [p.seller_id for p in payouts_run(run_date=RUN)] == [seller.pk]
    owed.refresh_from_db()
    assert owed.payout_id is None


# ---- Second approval ---------------------------------------------------------------------------


def test_large_payout_needs_a_second_person_with_the_permission(settings):
    """ASVS 2.3.5: above the threshold, the creator cannot approve their own payout."""
    settings.PAYOUT_SECOND_APPROVAL_MINOR = 40_000
    seller = make_seller("Large Shop")
    shipped_order(seller)
    creator = finance_staff("creator@example.com")
    [payout] = payouts_run(run_date=RUN, actor=creator)
    assert payout.status == Payout.Status.PENDING_APPROVAL
    assert payout.created_by == creator

    with pytest.raises(ValidationError, match="cannot be sent"):
        payout_send(payout=payout)
    for refused in (
        creator,
        finance_staff("noperm@example.com", may_approve=False),
        make_user("customer@example.com"),
    ):
        with pytest.raises(PermissionError):
            payout_approve(payout=payout, approver=refused)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PENDING_APPROVAL and payout.approved_by is None
    assert not Transfer.objects.exists()

    second = finance_staff("second@example.com")
    approved = payout_approve(payout=payout, approver=second)
    assert (approved.status, approved.approved_by) == (Payout.Status.APPROVED, second)
    assert payout_approve(payout=payout, approver=second).pk == payout.pk  # a double click


def test_small_payout_is_approved_at_once():
    seller = make_seller("Small Shop")
    shipped_order(seller)
    [payout] = payouts_run(run_date=RUN, actor=finance_staff())
    assert payout.status == Payout.Status.APPROVED and payout.approved_by is None


# ---- Sending -------------------------------------------------------------------------------------


def test_send_transfers_once_books_the_payout_and_the_provider_confirms(
    django_capture_on_commit_callbacks,
):
    seller = make_seller("Send Shop")
    shipped_order(seller)
    [payout] = payouts_run(run_date=RUN)
    with django_capture_on_commit_callbacks(execute=True):
        sent = payout_send(payout=payout)
    for _ in range(3):
        assert payout_send(payout=payout).pk == payout.pk
    transfer = Transfer.objects.get()
    assert transfer.idempotency_key == f"payout-{payout.pk}"
    assert (transfer.amount_minor, transfer.seller_id) == (SHARE, seller.pk)
    assert sent.transfer_id == transfer.pk
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID  # the sandbox pays at once: TransferPaid
    assert payout.paid_at is not None
    assert LedgerTransaction.objects.filter(reference=f"payout-{payout.pk}").count() == 1
    assert seller_balance_minor(seller_id=seller.pk) == 0
    assert ledger_imbalance_minor() == 0


def test_without_a_bank_account_the_payout_stays_approved():
    seller = make_seller("No Bank Shop", bank=False)
    shipped_order(seller)
    [payout] = payouts_run(run_date=RUN)
    with pytest.raises(ValidationError, match="has no bank account for payouts yet"):
        payout_send(payout=payout)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.APPROVED
    assert not Transfer.objects.exists()
    assert not LedgerTransaction.objects.filter(kind="payout").exists()
    assert seller_balance_minor(seller_id=seller.pk) == SHARE


def test_send_lowers_a_payout_to_a_balance_lowered_since_the_run():
    seller = make_seller("Lowered Shop")
    order = shipped_order(seller)
    [payout] = payouts_run(run_date=RUN)
    ledger_record_refund(order=order, amount_minor=10_000, reference="refund-before-send")
    sent = payout_send(payout=payout)
    assert sent.amount_minor == SHARE - 9_000
    assert Transfer.objects.get().amount_minor == SHARE - 9_000
    assert seller_balance_minor(seller_id=seller.pk) == 0


def test_failed_transfer_reverses_and_a_later_run_pays_the_orders_again(
    django_capture_on_commit_callbacks,
):
    seller = make_seller("Failing Shop")
    orders = {shipped_order(seller), shipped_order(seller)}
    [payout] = payouts_run(run_date=RUN)
    sent = payout_send(payout=payout)
    transfer = Transfer.objects.get(pk=sent.transfer_id)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.transfer_settle(transfer, paid=False, failure_message="account closed")
    for _ in range(4):  # delivered again
        with django_capture_on_commit_callbacks(execute=True):
            publish(TransferFailed(transfer_id=transfer.pk))
    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert LedgerTransaction.objects.filter(kind="payout_reversal").count() == 1
    assert seller_balance_minor(seller_id=seller.pk) == 2 * SHARE
    assert not Order.objects.filter(payout=payout).exists()

    [again] = payouts_run(run_date=dt.date(2026, 3, 26))
    assert again.pk != payout.pk and again.amount_minor == 2 * SHARE
    assert set(Order.objects.filter(payout=again)) == orders
    # A late "paid" for the failed transfer changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        publish(TransferPaid(transfer_id=transfer.pk))
    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert ledger_imbalance_minor() == 0


def test_provider_refusal_leaves_the_payout_approved(monkeypatch):
    from recommerce.platform.providers import ProviderUnavailable

    def down(**kwargs):
        raise ProviderUnavailable("The provider is down.")

    monkeypatch.setattr(payment_services, "transfer_create", down)
    seller = make_seller("Down Shop")
    shipped_order(seller)
    [payout] = payouts_run(run_date=RUN)
    with pytest.raises(ProviderUnavailable):
        payout_send(payout=payout)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.APPROVED and payout.transfer_id is None
    assert not LedgerTransaction.objects.filter(kind="payout").exists()
    assert payouts_run_and_send(run_date=RUN) == 0  # logged, left for a later try


# ---- Scheduled tasks --------------------------------------------------------------------------


def test_scheduled_run_sends_approved_payouts_only(settings, django_capture_on_commit_callbacks):
    settings.PAYOUT_SECOND_APPROVAL_MINOR = 50_000
    small = make_seller("Task Small")
    large = make_seller("Task Large")
    no_bank = make_seller("Task No Bank", bank=False)
    shipped_order(small)
    shipped_order(large, items=[Item(90_000)])
    shipped_order(no_bank)
    with django_capture_on_commit_callbacks(execute=True):
        assert payouts_run_and_send(run_date=RUN) == 1
    statuses = {p.seller_id: p.status for p in Payout.objects.all()}
    assert statuses == {
        small.pk: Payout.Status.PAID,
        large.pk: Payout.Status.PENDING_APPROVAL,
        no_bank.pk: Payout.Status.APPROVED,
    }


def test_monthly_commission_invoices_cover_the_previous_month():
    import time_machine

    assert previous_month(dt.date(2026, 3, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert previous_month(dt.date(2026, 1, 15)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    busy = make_seller("Monthly Busy")
    make_seller("Monthly Idle")
    with time_machine.travel(dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC), tick=False):
        make_order(busy)
    start, end = dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    assert commission_invoices_issue(period_start=start, period_end=end) == 1
    assert commission_invoices_issue(period_start=start, period_end=end) == 1  # same invoice
    [invoice] = busy.invoices.filter(kind="commission")
    assert invoice.total_minor == 4_500
