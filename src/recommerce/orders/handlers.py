"""Orders' reactions to payment events: refunds, chargebacks and payout transfers.

Events may be delivered more than once: every reaction is keyed on the provider's
object (``refund-<id>``, ``chargeback-<id>-<order>``, the transfer), so a repeat is a
no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from recommerce.orders.models import Invoice, LedgerTransaction, Order
from recommerce.orders.services.invoices import credit_note_issue
from recommerce.orders.services.ledger import (
    ledger_record_chargeback,
    ledger_record_refund,
    order_refundable_minor,
)
from recommerce.orders.services.payouts import payout_mark_failed, payout_mark_paid
from recommerce.payments.events import (
    ChargebackOpened,
    RefundSucceeded,
    TransferFailed,
    TransferPaid,
)
from recommerce.payments.models import Refund
from recommerce.platform.events import subscribe
from recommerce.platform.mail import send_templated
from recommerce.platform.money import format_money

logger = logging.getLogger(__name__)


def split_in_proportion(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` over ``weights`` in proportion, in integers that sum to ``amount``.

    Largest remainders get the leftover units; equal remainders go to the earlier weight.
    """
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        return [amount, *([0] * (len(weights) - 1))]
    shares = [amount * weight // total for weight in weights]
    leftover = amount - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for index in by_remainder[:leftover]:
        shares[index] += 1
    return shares


@transaction.atomic
def refund_apply(
    *, refund_id: int, payment_id: int, amount_minor: int, order_number: str
) -> Order | None:
    """Apply a refund the provider confirmed to its order: amounts, ledger, credit note, email.

    Never takes an order beyond what it still holds; a refund that does not name one of
    the payment's orders is left to staff (logged).
    """
    order = (
        Order.objects.select_for_update().filter(number=order_number, payment_id=payment_id).first()
    )
    if order is None:
        logger.warning("Refund %s names no order of payment %s.", refund_id, payment_id)
        return None
    reference = f"refund-{refund_id}"
    if LedgerTransaction.objects.filter(reference=reference).exists():
        return order
    room = min(order.total_minor - order.refunded_minor, order_refundable_minor(order=order))
    amount = min(amount_minor, room)
    if amount < amount_minor:
        logger.error(
            "Refund %s of %s exceeds what order %s still holds (%s): booked %s.",
            refund_id,
            amount_minor,
            order.number,
            room,
            max(amount, 0),
        )
    if amount <= 0:
        return order
    order.refunded_minor += amount
    order.save(update_fields=["refunded_minor", "updated_at"])
    ledger_record_refund(order=order, amount_minor=amount, reference=reference)
    code = Refund.objects.filter(pk=refund_id).values_list("reason", flat=True).first()
    # The credit note names the reason by its code's label, never in anyone's own words.
    label = Refund.Reason(code).label if code in Refund.Reason.values else "Refund"
    note = credit_note_issue(order=order, amount_minor=amount, reason=label, reference=reference)
    transaction.on_commit(lambda: _refund_email(order, amount, note))
    return order


def _refund_email(order: Order, amount_minor: int, note: Invoice | None) -> None:
    language = order.buyer.language if order.buyer else None
    send_templated(
        to=[order.buyer_email],
        subject=f"Your refund for order {order.number}",
        template="orders/emails/refund",
        context={
            "order": order,
            "amount": format_money(amount_minor, order.currency),
            "credit_note": note,
            "fully_refunded": order.refunded_minor >= order.total_minor,
        },
        language=language,
    )


@transaction.atomic
def chargeback_apply(
    *, chargeback_id: int, payment_id: int, amount_minor: int
) -> list[LedgerTransaction]:
    """Debit a chargeback to the payment's orders, in proportion to their totals."""
    orders = list(Order.objects.select_for_update().filter(payment_id=payment_id).order_by("id"))
    if not orders:
        logger.warning("Chargeback %s on payment %s: no orders.", chargeback_id, payment_id)
        return []
    shares = split_in_proportion(amount_minor, [order.total_minor for order in orders])
    return [
        ledger_record_chargeback(
            order=order, amount_minor=share, reference=f"chargeback-{chargeback_id}-{order.number}"
        )
        for order, share in zip(orders, shares, strict=True)
        if share > 0
    ]


@subscribe(RefundSucceeded)
def on_refund_succeeded(event: RefundSucceeded) -> None:
    refund_apply(
        refund_id=event.refund_id,
        payment_id=event.payment_id,
        amount_minor=event.amount_minor,
        order_number=event.context,
    )


@subscribe(ChargebackOpened)
def on_chargeback_opened(event: ChargebackOpened) -> None:
    chargeback_apply(
        chargeback_id=event.chargeback_id,
        payment_id=event.payment_id,
        amount_minor=event.amount_minor,
    )


@subscribe(TransferPaid)
def on_transfer_paid(event: TransferPaid) -> None:
    payout_mark_paid(transfer_id=event.transfer_id)


@subscribe(TransferFailed)
def on_transfer_failed(event: TransferFailed) -> None:
    payout_mark_failed(transfer_id=event.transfer_id)
