"""A claim's refund end to end: the sandbox payment provider confirms it, the orders
pipeline books the seller's debit and issues the credit note (SEC-3 checked first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recommerce.accounts.models import SellerMembership, User
from recommerce.orders.models import Invoice, LedgerEntry, LedgerTransaction, Order
from recommerce.payments.models import Refund
from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.services import returns
from tests.payments.conftest import sandbox
from tests.support.returns_fixtures import (
    activation,
    agreed_claim,
    commit,
    fresh,
    frozen,
    paid_order,
)
from tests.support.returns_fixtures import start as resolution_start

__all__ = ["activation", "commit", "frozen", "paid_order"]


def test_sec_3_checked_return_is_refunded_with_credit_note_and_seller_debit(
    paid_order: Order, commit: Callable[[], Any]
) -> None:
    """SEC-3 then the money path: clear check → accept → refund confirmed → ledger, note."""
    buyer = paid_order.buyer
    assert isinstance(buyer, User)
    owner = SellerMembership.objects.get(seller=paid_order.seller).user
    claim = resolution_start(agreed_claim(paid_order, kind=Claim.Kind.NOT_AS_DESCRIBED), buyer)
    returns.claim_return_received(claim=claim, actor=owner)
    assert DeviceCheck.objects.get().result == DeviceCheck.Result.CLEAR

    with commit():
        returns.claim_inspection_accept(claim=claim, actor=owner, note="As described")
    with commit():
        # The provider's confirmation, delivered after the refund's short delay.
        sandbox().outbox_deliver_due()

    claim = fresh(claim)
    refund = Refund.objects.get()
    assert (claim.status, claim.outcome, claim.refund_id) == (
        Claim.Status.CLOSED,
        Claim.Outcome.REFUNDED,
        refund.pk,
    )
    assert (refund.status, refund.amount_minor, refund.reason) == (
        Refund.Status.SUCCEEDED,
        45_000,
        Refund.Reason.CLAIM_RETURN,
    )
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert (note.total_minor, [line["description"] for line in note.lines]) == (
        -45_000,
        ["Returned under a claim"],
    )
    invoice = Invoice.objects.get(kind=Invoice.Kind.SALE, order=paid_order)
    # The seller's series: the sale was the first number, the credit note the next.
    assert (invoice.number, note.number) == ("REFURB-2031-000001", "REFURB-2031-000002")
    booked = LedgerTransaction.objects.get(reference=f"refund-{refund.pk}")
    entries = sorted(
        LedgerEntry.objects.filter(transaction=booked).values_list("account", "amount_minor")
    )
    # The buyer's money leaves the provider; the seller is debited net of the commission,
    # which the commission rules reverse.
    assert entries == [
        ("commission", 4_500),
        ("provider_cash", -45_000),
        ("seller_payable", 40_500),
    ]
    paid_order.refresh_from_db()
    assert paid_order.refunded_minor == 45_000
