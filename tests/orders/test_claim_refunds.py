"""Refunds after a claim keep their own reason code, and become a numbered credit note and a
seller debit once the payment provider confirms them (the sandbox's notification)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

import recommerce.orders.handlers  # noqa: F401  (subscribes orders to payment events)
from recommerce.accounts.models import SellerMembership, User
from recommerce.orders.models import Invoice, LedgerEntry, Order
from recommerce.orders.services import fulfilment
from recommerce.orders.services.ledger import ledger_imbalance_minor, seller_balance_minor
from recommerce.payments.models import Refund
from tests.orders.finance_fixtures import Item, make_order, make_seller
from tests.payments.conftest import pay_and_confirm, sandbox, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel("2031-03-14 10:00:00+00:00", tick=False) as traveller:
        yield traveller


def test_claim_reason_codes_exist() -> None:
    assert (Refund.Reason.CLAIM_RETURN.value, Refund.Reason.CLAIM_RETURN.label) == (
        "claim_return",
        "Returned under a claim",
    )
    assert (Refund.Reason.CLAIM.value, Refund.Reason.CLAIM.label) == (
        "claim",
        "Refund after a claim",
    )


@pytest.mark.parametrize(
    ("code", "label"),
    [
        (Refund.Reason.CLAIM, "Refund after a claim"),
        (Refund.Reason.CLAIM_RETURN, "Returned under a claim"),
    ],
)
def test_a_confirmed_claim_refund_gives_a_credit_note_and_a_seller_debit(
    frozen: Any, django_capture_on_commit_callbacks: Any, code: str, label: str
) -> None:
    seller = make_seller("Claim Shop")

    def commit() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    # A real sandbox payment, so the provider confirms the refund as it would in production.
    buyer = User.objects.create_user("claimant@example.com", None)
    payment = pay_and_confirm(
        start(buyer, amount_minor=45_000, reference="CK-CLAIM"), frozen, commit
    )
    order = make_order(seller, [Item(45_000)], buyer=buyer, payment=payment)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
    balance = seller_balance_minor(seller_id=seller.pk)

    with commit():
        refund = fulfilment.order_refund(
            order=order,
            actor=_seller_owner(seller),
            amount_minor=12_000,
            reason="Screen flickers, claim accepted",
            idempotency_key="claim-1",
            code=code,
        )
    assert (refund.reason, refund.amount_minor, refund.context) == (code, 12_000, order.number)
    frozen.shift(3)
    with commit():
        sandbox().outbox_deliver_due()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED

    order.refresh_from_db()
    assert order.refunded_minor == 12_000
    [note] = Invoice.objects.filter(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    assert note.number  # numbered in the seller's sequence
    assert (note.total_minor, [line["description"] for line in note.lines]) == (-12_000, [label])
    debit = LedgerEntry.objects.get(
        transaction__reference=f"refund-{refund.pk}",
        account=LedgerEntry.Account.SELLER_PAYABLE,
    )
    # A debit of the seller's share of 12 000: 10 % commission, given back in proportion.
    assert debit.amount_minor == 12_000 - 1_200
    assert seller_balance_minor(seller_id=order.seller_id) == balance - 10_800
    assert ledger_imbalance_minor() == 0


def _seller_owner(seller: Any) -> User:
    return (
        SellerMembership.objects.filter(seller=seller, role=SellerMembership.Role.OWNER)
        .select_related("user")
        .get()
        .user
    )


def test_an_unknown_reason_code_is_refused_and_nothing_refunded(
    django_capture_on_commit_callbacks: Any,
) -> None:
    seller = make_seller("Code Shop")
    order = make_order(seller, [Item(45_000)])
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_refund(
            order=order,
            actor=_seller_owner(seller),
            amount_minor=1_000,
            reason="x",
            idempotency_key="bad-code",
            code="goodwill",
        )
    assert refused.value.message_dict == {"code": ["“goodwill” is not a refund reason code."]}
    assert Refund.objects.count() == 0
