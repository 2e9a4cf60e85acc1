"""Two acceptances of one returned device at once refund it once (PostgreSQL row locks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from recommerce.accounts.models import SellerMembership
from recommerce.orders.models import Invoice, LedgerTransaction, Order
from recommerce.payments.models import Refund
from recommerce.support.models import Claim
from recommerce.support.services import returns
from tests.orders.conftest import race
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

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
    pytest.mark.django_db(transaction=True),
]
N = 4


def test_accept_x4_at_once_refunds_once(paid_order: Order, commit: Callable[[], Any]) -> None:
    """SEC-3 cleared, then N sellers' clicks at once: one refund, one debit, one credit note."""
    owner = SellerMembership.objects.get(seller=paid_order.seller).user
    claim = resolution_start(
        agreed_claim(paid_order, kind=Claim.Kind.NOT_AS_DESCRIBED), paid_order.buyer
    )
    returns.claim_return_received(claim=claim, actor=owner)

    errors = race([lambda: returns.claim_inspection_accept(claim=claim, actor=owner)] * N)
    assert errors == []
    sandbox().outbox_deliver_due()

    refund = Refund.objects.get()
    assert (refund.status, refund.amount_minor) == (Refund.Status.SUCCEEDED, 45_000)
    assert fresh(claim).refund_id == refund.pk
    assert fresh(claim).events.filter(action="refund_started").count() == 1
    assert LedgerTransaction.objects.filter(reference__startswith="refund-").count() == 1
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 1
