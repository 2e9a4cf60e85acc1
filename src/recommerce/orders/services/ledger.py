"""The double-entry ledger of money after the sale.

Every movement is one ``LedgerTransaction`` whose entries sum to zero (debit > 0,
credit < 0) and whose ``reference`` is unique: booking the same reference again is a
no-op that returns the first booking, so retried events never count twice.

Accounts:

- ``PROVIDER_CASH``: the money held at the payment provider (an asset: debit balance).
- ``SELLER_PAYABLE``, one per seller: what the marketplace owes the seller (credit).
- ``COMMISSION``: the marketplace's own money. Entries tagged with a seller are the
  commission earned on that seller's orders; untagged entries are insurance premiums,
  collected for the insurer and paid over to it. Premiums are never part of the seller's
  share: the seller does not sell the insurance and does not invoice it.
- ``CHARGEBACK_LOSS``: what the marketplace loses to chargebacks.

A capture credits the seller with items and shipping less commission. Money going
back to the buyer (refunds, chargebacks) is split by cumulative amounts, so a series of
partial refunds adds up exactly to a full one: the seller's items and shipping are
returned first, shared between seller and commission in proportion; the insurance
premium only once those are fully returned. A chargeback debits the seller and the
commission the same way; its premium share, and anything beyond what the order still
held, is the marketplace's chargeback loss.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from recommerce.orders.models import LedgerEntry, LedgerTransaction, Order, Payout
from recommerce.orders.services.commissions import order_commission_minor, round_half_up

Account = LedgerEntry.Account
Kind = LedgerTransaction.Kind

#: (account, seller id or None, amount: debit > 0, credit < 0)
Posting = tuple[str, int | None, int]


@dataclass(frozen=True, slots=True)
class _Returned:
    """How much of an order's money has gone back, per share, once ``taken`` is returned."""

    seller: int
    commission: int
    insurance: int


def _capture_reference(order: Order) -> str:
    return f"capture-{order.number}"


def _book(
    *,
    kind: str,
    reference: str,
    currency: str,
    postings: Iterable[Posting],
    order: Order | None = None,
    seller_id: int | None = None,
    memo: str = "",
) -> LedgerTransaction:
    """Write one balanced transaction, or return the one already booked under ``reference``."""
    existing = _existing(reference=reference, kind=kind)
    if existing is not None:
        return existing
    lines = [p for p in postings if p[2] != 0]
    if sum(amount for _, _, amount in lines) != 0:
        raise ValueError(f"Unbalanced ledger transaction {reference}: {lines}")
    try:
        # A savepoint: a concurrent booking of the same reference wins, this one reads it.
        with transaction.atomic():
            booked = LedgerTransaction.objects.create(
                kind=kind,
                reference=reference,
                order=order,
                seller_id=seller_id,
                currency=currency,
                memo=memo[:200],
            )
    except IntegrityError:
        return LedgerTransaction.objects.get(reference=reference)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=booked, account=account, seller_id=seller, amount_minor=amount)
        for account, seller, amount in lines
    )
    return booked


def _existing(*, reference: str, kind: str) -> LedgerTransaction | None:
    found = LedgerTransaction.objects.filter(reference=reference).first()
    if found is not None and found.kind != kind:
        raise ValueError(f"Ledger reference {reference} is already a {found.kind} transaction.")
    return found


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _returned(order: Order, taken: int) -> _Returned:
    """Split ``taken`` (money returned so far, at most the order total) into its shares."""
    invoiced = order.total_minor - order.insurance_minor
    on_invoice = min(taken, invoiced)
    commission = round_half_up(order.commission_minor * on_invoice, invoiced) if invoiced else 0
    return _Returned(
        seller=on_invoice - commission,
        commission=commission,
        insurance=max(0, min(taken, order.total_minor) - invoiced),
    )


def order_returned_minor(*, order: Order) -> int:
    """Return the money gone back from an order through refunds and chargebacks, as booked."""
    total = LedgerEntry.objects.filter(
        transaction__order=order,
        transaction__kind__in=[Kind.REFUND, Kind.CHARGEBACK],
        account=Account.PROVIDER_CASH,
    ).aggregate(total=Sum("amount_minor"))["total"]
    return -(total or 0)


def order_refundable_minor(*, order: Order) -> int:
    """Return what may still be refunded on an order: captured less refunds and chargebacks."""
    if not LedgerTransaction.objects.filter(reference=_capture_reference(order)).exists():
        return 0
    return max(0, order.total_minor - order_returned_minor(order=order))


@transaction.atomic
def ledger_record_capture(*, order: Order) -> LedgerTransaction:
    """Book a buyer's payment for an order and set the order's commission.

    The provider holds the whole total; the seller is owed items and shipping less the
    commission; the insurance premium is held for the insurer.
    """
    reference = _capture_reference(order)
    order = _locked(order)
    existing = _existing(reference=reference, kind=Kind.CAPTURE)
    if existing is not None:
        return existing
    invoiced = order.total_minor - order.insurance_minor
    if invoiced < 0:
        raise ValidationError("The order's insurance exceeds its total.")
    commission = min(order_commission_minor(order=order), invoiced)
    Order.objects.filter(pk=order.pk).update(commission_minor=commission)
    order.commission_minor = commission
    return _book(
        kind=Kind.CAPTURE,
        reference=reference,
        order=order,
        seller_id=order.seller_id,
        currency=order.currency,
        memo=f"Order {order.number} paid",
        postings=[
            (Account.PROVIDER_CASH, None, order.total_minor),
            (Account.SELLER_PAYABLE, order.seller_id, -(invoiced - commission)),
            (Account.COMMISSION, order.seller_id, -commission),
            (Account.COMMISSION, None, -order.insurance_minor),
        ],
    )


def _require_captured(order: Order) -> None:
    if not LedgerTransaction.objects.filter(reference=_capture_reference(order)).exists():
        raise ValidationError(f"Order {order.number} has no recorded payment.")


def _require_positive(amount_minor: int) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationError("The amount must be a positive whole number of minor units.")


@transaction.atomic
def ledger_record_refund(*, order: Order, amount_minor: int, reference: str) -> LedgerTransaction:
    """Book money refunded to the buyer, taken back from the seller and the commission.

    Refuses (``ValidationError``) to refund more than the order's capture less earlier
    refunds and chargebacks.
    """
    _require_positive(amount_minor)
    # Lock first: a concurrent booking of the same reference is then seen, not recomputed.
    order = _locked(order)
    existing = _existing(reference=reference, kind=Kind.REFUND)
    if existing is not None:
        return existing
    _require_captured(order)
    before = order_returned_minor(order=order)
    if before + amount_minor > order.total_minor:
        left = max(0, order.total_minor - before)
        raise ValidationError(
            f"Order {order.number} can be refunded {left} more at most, not {amount_minor}."
        )
    was, now = _returned(order, before), _returned(order, before + amount_minor)
    return _book(
        kind=Kind.REFUND,
        reference=reference,
        order=order,
        seller_id=order.seller_id,
        currency=order.currency,
        memo=f"Refund on order {order.number}",
        postings=[
            (Account.PROVIDER_CASH, None, -amount_minor),
            (Account.SELLER_PAYABLE, order.seller_id, now.seller - was.seller),
            (Account.COMMISSION, order.seller_id, now.commission - was.commission),
            (Account.COMMISSION, None, now.insurance - was.insurance),
        ],
    )


@transaction.atomic
def ledger_record_chargeback(
    *, order: Order, amount_minor: int, reference: str
) -> LedgerTransaction:
    """Book money the buyer's bank took back: debited to the seller and the commission.

    The bank takes what it takes: anything beyond what the order still held, and the
    insurance premium's share, is the marketplace's loss.
    """
    _require_positive(amount_minor)
    # Lock first: a concurrent booking of the same reference is then seen, not recomputed.
    order = _locked(order)
    existing = _existing(reference=reference, kind=Kind.CHARGEBACK)
    if existing is not None:
        return existing
    _require_captured(order)
    before = min(order_returned_minor(order=order), order.total_minor)
    within = min(amount_minor, order.total_minor - before)
    was, now = _returned(order, before), _returned(order, before + within)
    return _book(
        kind=Kind.CHARGEBACK,
        reference=reference,
        order=order,
        seller_id=order.seller_id,
        currency=order.currency,
        memo=f"Chargeback on order {order.number}",
        postings=[
            (Account.PROVIDER_CASH, None, -amount_minor),
            (Account.SELLER_PAYABLE, order.seller_id, now.seller - was.seller),
            (Account.COMMISSION, order.seller_id, now.commission - was.commission),
            (
                Account.CHARGEBACK_LOSS,
                order.seller_id,
                now.insurance - was.insurance + (amount_minor - within),
            ),
        ],
    )


def _payout_reference(payout: Payout) -> str:
    return f"payout-{payout.pk}"


@transaction.atomic
def ledger_record_payout(*, payout: Payout) -> LedgerTransaction:
    """Book money sent to a seller: the debt to the seller and the provider's cash shrink."""
    return _book(
        kind=Kind.PAYOUT,
        reference=_payout_reference(payout),
        seller_id=payout.seller_id,
        currency=payout.currency,
        memo=f"Payout {payout.pk}",
        postings=[
            (Account.SELLER_PAYABLE, payout.seller_id, payout.amount_minor),
            (Account.PROVIDER_CASH, None, -payout.amount_minor),
        ],
    )


@transaction.atomic
def ledger_record_payout_reversal(*, payout: Payout) -> LedgerTransaction:
    """Book a payout that failed: the money is back at the provider and owed again."""
    reference = f"{_payout_reference(payout)}-reversal"
    existing = _existing(reference=reference, kind=Kind.PAYOUT_REVERSAL)
    if existing is not None:
        return existing
    sent = LedgerEntry.objects.filter(
        transaction__reference=_payout_reference(payout), account=Account.SELLER_PAYABLE
    ).aggregate(total=Sum("amount_minor"))["total"]
    if not sent:
        raise ValidationError(f"Payout {payout.pk} was never booked as sent.")
    return _book(
        kind=Kind.PAYOUT_REVERSAL,
        reference=reference,
        seller_id=payout.seller_id,
        currency=payout.currency,
        memo=f"Payout {payout.pk} failed",
        postings=[
            (Account.SELLER_PAYABLE, payout.seller_id, -sent),
            (Account.PROVIDER_CASH, None, sent),
        ],
    )


def seller_balance_minor(*, seller_id: int) -> int:
    """Return what the marketplace owes the seller now (negative: the seller owes)."""
    total = LedgerEntry.objects.filter(
        account=Account.SELLER_PAYABLE, seller_id=seller_id
    ).aggregate(total=Sum("amount_minor"))["total"]
    return -(total or 0)


def order_seller_shares_minor(*, order_ids: Iterable[int]) -> dict[int, int]:
    """Return each order's net share for its seller, refunds and chargebacks deducted."""
    shares = dict.fromkeys(order_ids, 0)
    rows = (
        LedgerEntry.objects.filter(
            account=Account.SELLER_PAYABLE, transaction__order_id__in=list(shares)
        )
        .values_list("transaction__order_id")
        .annotate(total=Sum("amount_minor"))
    )
    for order_id, total in rows:
        shares[order_id] = -(total or 0)
    return shares


def ledger_imbalance_minor() -> int:
    """Return the sum of every entry of the ledger; anything but 0 is a bookkeeping bug."""
    total = LedgerEntry.objects.aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)
