"""Payouts: what sellers are owed for orders shipped long enough ago, and sending it.

A run, on the configured days of the month, makes at most one payout per seller and run
date: the net share of its orders shipped at least ``PAYOUT_AFTER_SHIPPING_DAYS`` days
before, never more than the seller's balance less the payouts not yet sent, so earlier
refunds and chargebacks are recovered first. Above ``PAYOUT_SECOND_APPROVAL_MINOR`` a
payout waits for a second person (ASVS 2.3.5): a finance staff member allowed to
approve payouts who did not create it. Sending goes through the payment provider with
the payout's own idempotency key, so a retried send never pays twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from recommerce.accounts.models import Seller, User
from recommerce.orders.models import Order, Payout
from recommerce.orders.services.ledger import (
    ledger_record_payout,
    ledger_record_payout_reversal,
    order_seller_shares_minor,
    seller_balance_minor,
)
from recommerce.payments import services as payment_services
from recommerce.platform import clock

APPROVE_PERMISSION = "orders.approve_payout"
UNSENT = (Payout.Status.PENDING_APPROVAL, Payout.Status.APPROVED)
NOT_PAYABLE = (Order.Status.CANCELLED, Order.Status.HELD)


def shipped_before(run_date: dt.date) -> dt.datetime:
    """Return the instant before which an order must have shipped to be paid on ``run_date``."""
    last_day = run_date - dt.timedelta(days=int(settings.PAYOUT_AFTER_SHIPPING_DAYS))
    return dt.datetime.combine(
        last_day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def _eligible_orders(*, seller_id: int | None, run_date: dt.date) -> QuerySet[Order]:
    orders = Order.objects.filter(
        payout__isnull=True, shipped_at__isnull=False, shipped_at__lt=shipped_before(run_date)
    ).exclude(status__in=NOT_PAYABLE)
    return orders if seller_id is None else orders.filter(seller_id=seller_id)


def seller_available_minor(*, seller_id: int) -> int:
    """Return the seller's balance less the payouts made but not sent yet."""
    unsent = Payout.objects.filter(seller_id=seller_id, status__in=UNSENT).aggregate(
        total=Sum("amount_minor")
    )["total"]
    return seller_balance_minor(seller_id=seller_id) - (unsent or 0)


@transaction.atomic
def _seller_payout(*, seller_id: int, run_date: dt.date, actor: User | None) -> Payout | None:
    seller = Seller.objects.select_for_update().get(pk=seller_id)
    existing = Payout.objects.filter(seller=seller, run_date=run_date).first()
    if existing is not None:
        return existing
    orders = list(_eligible_orders(seller_id=seller.pk, run_date=run_date).select_for_update())
    if not orders:
        return None
    shares = order_seller_shares_minor(order_ids=[order.pk for order in orders])
    amount = min(sum(shares.values()), seller_available_minor(seller_id=seller.pk))
    if amount <= 0:
        # Nothing to pay yet: the orders wait for a run where the balance covers them.
        return None
    large = amount > int(settings.PAYOUT_SECOND_APPROVAL_MINOR)
    payout = Payout.objects.create(
        seller=seller,
        amount_minor=amount,
        currency=orders[0].currency,
        status=Payout.Status.PENDING_APPROVAL if large else Payout.Status.APPROVED,
        run_date=run_date,
        created_by=actor,
        bank_account_display=seller.bank_account_display,
    )
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(payout=payout)
    return payout


def payouts_run(*, run_date: dt.date, actor: User | None = None) -> list[Payout]:
    """Make the payouts of ``run_date``, one per seller with money due.

    ``actor`` is the staff member running it, or None for the scheduler. Running again
    for the same date returns the same payouts. Each seller's payout is its own
    transaction, so one seller's failure leaves the others' payouts made.
    """
    seller_ids = set(
        _eligible_orders(seller_id=None, run_date=run_date).values_list("seller_id", flat=True)
    )
    seller_ids |= set(Payout.objects.filter(run_date=run_date).values_list("seller_id", flat=True))
    made = (
        _seller_payout(seller_id=seller_id, run_date=run_date, actor=actor)
        for seller_id in sorted(seller_ids)
    )
    return [payout for payout in made if payout is not None]


def can_approve_payouts(user: User) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(APPROVE_PERMISSION))


@transaction.atomic
def payout_approve(*, payout: Payout, approver: User) -> Payout:
    """Approve a large payout as the second person (``PermissionError`` for anyone else)."""
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if not can_approve_payouts(approver):
        raise PermissionError("Only finance staff allowed to approve payouts can approve it.")
    if payout.created_by_id is not None and payout.created_by_id == approver.pk:
        raise PermissionError("A payout is approved by a second person, not by its creator.")
    if payout.status == Payout.Status.APPROVED and payout.approved_by_id == approver.pk:
        return payout
    if payout.status != Payout.Status.PENDING_APPROVAL:
        raise ValidationError(
            f"Payout {payout.pk} is {payout.get_status_display().lower()}: nothing to approve."
        )
    payout.status = Payout.Status.APPROVED
    payout.approved_by = approver
    payout.save(update_fields=["status", "approved_by", "updated_at"])
    return payout


def _detach(payout: Payout) -> None:
    Order.objects.filter(payout=payout).update(payout=None)


@transaction.atomic
def payout_send(*, payout: Payout) -> Payout:
    """Send an approved payout to the seller's bank account and book it.

    Without a bank account on file the payout stays approved and ``ValidationError`` says
    why. If refunds or chargebacks lowered the seller's balance since the run, the payout
    is lowered to it; with nothing left it is closed as failed and its orders wait for a
    later run.
    """
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status in (Payout.Status.SENT, Payout.Status.PAID):
        return payout
    if payout.status != Payout.Status.APPROVED:
        raise ValidationError(
            f"Payout {payout.pk} is {payout.get_status_display().lower()}: it cannot be sent."
        )
    seller = Seller.objects.select_for_update().get(pk=payout.seller_id)
    if not seller.iban_last4:
        raise ValidationError(
            f"{seller.name} has no bank account for payouts yet: the payout stays approved "
            "and can be sent once the seller adds one."
        )
    balance = seller_balance_minor(seller_id=seller.pk)
    if balance < payout.amount_minor:
        if balance <= 0:
            payout.status = Payout.Status.FAILED
            payout.save(update_fields=["status", "updated_at"])
            _detach(payout)
            return payout
        payout.amount_minor = balance
    transfer = payment_services.transfer_create(
        seller=seller,
        amount_minor=payout.amount_minor,
        currency=payout.currency,
        idempotency_key=f"payout-{payout.pk}",
        description=f"Recommerce payout {payout.pk}",
    )
    payout.status = Payout.Status.SENT
    payout.transfer_id = transfer.pk
    payout.bank_account_display = seller.bank_account_display
    payout.save(
        update_fields=[
            "status",
            "amount_minor",
            "transfer_id",
            "bank_account_display",
            "updated_at",
        ]
    )
    ledger_record_payout(payout=payout)
    return payout


@transaction.atomic
def payout_mark_paid(*, transfer_id: int) -> Payout | None:
    """Record that the provider paid a payout's transfer (a repeat changes nothing)."""
    payout = Payout.objects.select_for_update().filter(transfer_id=transfer_id).first()
    if payout is None or payout.status != Payout.Status.SENT:
        return payout
    payout.status = Payout.Status.PAID
    payout.paid_at = clock.now()
    payout.save(update_fields=["status", "paid_at", "updated_at"])
    return payout


@transaction.atomic
def payout_mark_failed(*, transfer_id: int) -> Payout | None:
    """Record a failed transfer: the money is owed again and its orders go to a later run."""
    payout = Payout.objects.select_for_update().filter(transfer_id=transfer_id).first()
    if payout is None or payout.status not in (Payout.Status.SENT, Payout.Status.PAID):
        return payout
    payout.status = Payout.Status.FAILED
    payout.paid_at = None
    payout.save(update_fields=["status", "paid_at", "updated_at"])
    ledger_record_payout_reversal(payout=payout)
    _detach(payout)
    return payout
