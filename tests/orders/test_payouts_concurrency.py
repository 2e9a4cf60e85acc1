"""No double payout on PostgreSQL: concurrent runs and sends of the same payout pay once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from recommerce.orders.models import LedgerTransaction, Order, Payout
from recommerce.orders.services.ledger import ledger_imbalance_minor, seller_balance_minor
from recommerce.orders.services.payouts import payout_send, payouts_run
from recommerce.payments.models import Transfer
from tests.orders.finance_fixtures import make_order, make_seller, race, ship

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
    pytest.mark.django_db(transaction=True),
]

RUN = dt.date(2026, 3, 16)


def test_concurrent_runs_and_sends_pay_once(settings):
    """Idempotency family: the same run x10 and the same send x10 give one transfer."""
    settings.PAYOUT_AFTER_SHIPPING_DAYS = 10
    seller = make_seller("Race Payout Shop")
    for _ in range(3):
        ship(make_order(seller), on=dt.date(2026, 3, 1))

    assert race([lambda: payouts_run(run_date=RUN)] * 10) == []
    [payout] = Payout.objects.all()
    assert payout.amount_minor == 3 * 40_500
    assert Order.objects.filter(payout=payout).count() == 3

    assert race([lambda: payout_send(payout=payout)] * 10) == []
    assert Transfer.objects.count() == 1
    assert LedgerTransaction.objects.filter(kind="payout").count() == 1
    assert seller_balance_minor(seller_id=seller.pk) == 0
    assert ledger_imbalance_minor() == 0
