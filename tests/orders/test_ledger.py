"""Commissions and the double-entry ledger: exact entries, idempotency, refused refunds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from recommerce.catalog.models import Category
from recommerce.orders.models import CommissionRule, LedgerEntry, LedgerTransaction, Payout
from recommerce.orders.services.commissions import commission_rate_bp, order_commission_minor
from recommerce.orders.services.ledger import (
    ledger_imbalance_minor,
    ledger_record_capture,
    ledger_record_chargeback,
    ledger_record_payout,
    ledger_record_payout_reversal,
    ledger_record_refund,
    seller_balance_minor,
)
from tests.orders.finance_fixtures import Item, make_order, make_seller, phone

pytestmark = pytest.mark.django_db

A = LedgerEntry.Account


Posting = tuple[str, int | None, int]


def _key(posting: Posting) -> tuple[str, int, int]:
    return (posting[0], posting[1] or 0, posting[2])


def norm(items: list[Posting]) -> list[Posting]:
    return sorted(items, key=_key)


def postings(txn: LedgerTransaction) -> list[Posting]:
    entries = LedgerEntry.objects.filter(transaction=txn)
    return norm([(e.account, e.seller_id, e.amount_minor) for e in entries])


# ---- Commission rates --------------------------------------------------------------------------


def test_commission_rate_most_specific_rule_wins(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    seller = make_seller("Atelier Rate")
    other = make_seller("Atelier Other")
    smartphones = phone().device_model.category
    phones = Category.objects.create(name="Phones", slug="phones")
    Category.objects.filter(pk=smartphones.pk).update(parent=phones)
    rate = lambda: commission_rate_bp(seller_id=seller.pk, category_id=smartphones.pk)  # noqa: E731

    assert rate() == 1000  # the setting, without any rule
    CommissionRule.objects.create(rate_bp=950)
    assert rate() == 950  # the default rule
    CommissionRule.objects.create(category=phones, rate_bp=900)
    assert rate() == 900  # a rule on the parent category covers its children
    CommissionRule.objects.create(category=smartphones, rate_bp=850)
    assert rate() == 850  # the category's own rule beats its parent's
    CommissionRule.objects.create(seller=seller, rate_bp=800)
    assert rate() == 800  # seller beats category
    CommissionRule.objects.create(seller=seller, category=phones, rate_bp=700)
    assert rate() == 700  # seller + category beats seller
    CommissionRule.objects.create(seller=seller, category=smartphones, rate_bp=600)
    assert rate() == 600
    assert commission_rate_bp(seller_id=other.pk, category_id=smartphones.pk) == 850
    assert commission_rate_bp(seller_id=other.pk, category_id=None) == 950


def test_order_commission_rounds_the_exact_sum_once_and_skips_shipping_and_insurance():
    seller = make_seller("Atelier Round")
    # 105 at 10 % is 10.5 per line: rounded once on the sum, 21 (not 11 + 11).
    order = make_order(
        seller,
        [Item(105), Item(105, insured_units=1, insurance_unit_minor=999)],
        shipping_minor=5_000,
        book=False,
    )
    assert order_commission_minor(order=order) == 21
    CommissionRule.objects.create(seller=seller, rate_bp=1250)
    big = make_order(seller, [Item(45_001)], shipping_minor=700, book=False)
    assert order_commission_minor(order=big) == 5625  # 5625.125 rounded half up


# ---- Capture -----------------------------------------------------------------------------------


def test_capture_books_exact_entries_and_sets_the_commission_once():
    seller = make_seller("Atelier Capture")
    order = make_order(
        seller,
        [Item(50_000, quantity=2, insured_units=1, insurance_unit_minor=5_000)],
        shipping_minor=1_000,
        book=False,
    )
    txn = ledger_record_capture(order=order)
    order.refresh_from_db()
    assert order.commission_minor == 10_000
    assert postings(txn) == norm(
        [
            (A.PROVIDER_CASH, None, 106_000),
            (A.SELLER_PAYABLE, seller.pk, -91_000),  # items + shipping - commission
            (A.COMMISSION, seller.pk, -10_000),
            (A.COMMISSION, None, -5_000),  # the insurer's premium, never the seller's
        ]
    )
    for _ in range(5):
        assert ledger_record_capture(order=order).pk == txn.pk
    assert LedgerTransaction.objects.filter(order=order).count() == 1
    assert LedgerEntry.objects.count() == 4
    assert seller_balance_minor(seller_id=seller.pk) == 91_000
    assert ledger_imbalance_minor() == 0


# ---- Refunds -----------------------------------------------------------------------------------


def test_refunds_split_in_proportion_and_add_up_to_the_capture():
    seller = make_seller("Atelier Refund")
    order = make_order(
        seller,
        [Item(50_000, quantity=2, insured_units=1, insurance_unit_minor=5_000)],
        shipping_minor=1_000,
    )
    first = ledger_record_refund(order=order, amount_minor=50_500, reference="refund-1")
    assert postings(first) == norm(
        [
            (A.PROVIDER_CASH, None, -50_500),
            (A.SELLER_PAYABLE, seller.pk, 45_500),
            (A.COMMISSION, seller.pk, 5_000),
        ]
    )
    second = ledger_record_refund(order=order, amount_minor=55_500, reference="refund-2")
    assert postings(second) == norm(
        [
            (A.PROVIDER_CASH, None, -55_500),
            (A.SELLER_PAYABLE, seller.pk, 45_500),
            (A.COMMISSION, seller.pk, 5_000),
            (A.COMMISSION, None, 5_000),  # the premium goes back last
        ]
    )
    assert seller_balance_minor(seller_id=seller.pk) == 0
    assert ledger_imbalance_minor() == 0


def test_refund_beyond_what_is_left_is_refused_and_books_nothing():
    seller = make_seller("Atelier Over")
    order = make_order(seller, [Item(10_000)])
    ledger_record_refund(order=order, amount_minor=9_000, reference="refund-a")
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="1000 more at most"):
        ledger_record_refund(order=order, amount_minor=1_001, reference="refund-b")
    for bad in (0, -5):
        with pytest.raises(ValidationError):
            ledger_record_refund(order=order, amount_minor=bad, reference=f"refund-{bad}")
    assert LedgerEntry.objects.count() == before
    assert not LedgerTransaction.objects.filter(reference="refund-b").exists()
    assert ledger_imbalance_minor() == 0


def test_refund_without_a_capture_is_refused():
    seller = make_seller("Atelier Uncaptured")
    order = make_order(seller, [Item(10_000)], book=False)
    with pytest.raises(ValidationError, match="no recorded payment"):
        ledger_record_refund(order=order, amount_minor=100, reference="refund-x")
    assert LedgerEntry.objects.count() == 0


def test_same_refund_reference_books_once_duplicates_x5():
    seller = make_seller("Atelier Dup")
    order = make_order(seller, [Item(10_000)])
    txns = {
        ledger_record_refund(order=order, amount_minor=2_500, reference="refund-77").pk
        for _ in range(5)
    }
    assert len(txns) == 1
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1
    assert seller_balance_minor(seller_id=seller.pk) == 9_000 - 2_250


# ---- Chargebacks -------------------------------------------------------------------------------


def test_chargeback_debits_seller_and_commission_and_the_rest_is_a_loss():
    seller = make_seller("Atelier Dispute")
    order = make_order(
        seller, [Item(20_000, insured_units=1, insurance_unit_minor=2_000)], shipping_minor=0
    )
    ledger_record_refund(order=order, amount_minor=10_000, reference="refund-cb")
    # 12 000 left: 10 000 of the invoice, 2 000 premium; the bank takes 13 000.
    txn = ledger_record_chargeback(order=order, amount_minor=13_000, reference="chargeback-1")
    assert postings(txn) == norm(
        [
            (A.PROVIDER_CASH, None, -13_000),
            (A.SELLER_PAYABLE, seller.pk, 9_000),
            (A.COMMISSION, seller.pk, 1_000),
            (A.CHARGEBACK_LOSS, seller.pk, 3_000),  # premium 2 000 + 1 000 beyond the order
        ]
    )
    assert seller_balance_minor(seller_id=seller.pk) == 0
    assert ledger_imbalance_minor() == 0
    with pytest.raises(ValidationError):
        ledger_record_refund(order=order, amount_minor=1, reference="refund-late")


# ---- Payouts -----------------------------------------------------------------------------------


def test_payout_and_its_reversal_move_the_balance_and_book_once():
    seller = make_seller("Atelier Payout")
    make_order(seller, [Item(10_000)])
    payout = Payout.objects.create(
        seller=seller, amount_minor=9_000, currency="EUR", status="sent", run_date="2026-03-06"
    )
    with pytest.raises(ValidationError, match="never booked as sent"):
        ledger_record_payout_reversal(payout=payout)
    for _ in range(3):
        ledger_record_payout(payout=payout)
    assert seller_balance_minor(seller_id=seller.pk) == 0
    for _ in range(3):
        reversal = ledger_record_payout_reversal(payout=payout)
    assert postings(reversal) == norm(
        [(A.SELLER_PAYABLE, seller.pk, -9_000), (A.PROVIDER_CASH, None, 9_000)]
    )
    assert seller_balance_minor(seller_id=seller.pk) == 9_000
    assert LedgerTransaction.objects.filter(kind__startswith="payout").count() == 2
    assert ledger_imbalance_minor() == 0
