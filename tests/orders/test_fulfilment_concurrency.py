"""Concurrent steps on one order act once (PostgreSQL row locks)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from recommerce.accounts.models import Seller
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.orders.providers.carrier import get_carrier
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import RefundRecorder, World, race, units_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fulfilment_env"),
]
N = 10


def test_cancel_x10_cancels_and_refunds_once(world: World, refunds: RefundRecorder) -> None:
    order = world.make(quantity=2)
    errors = race([lambda: fulfilment.order_cancel(order=order, actor=world.buyer, reason="")] * N)
    assert len(errors) == N - 1
    assert all(isinstance(e, ValidationError) and "already cancelled" in str(e) for e in errors)
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert len(refunds.calls) == 1 and Refund.objects.count() == 1
    assert Offer.objects.get(pk=world.side.offer.pk).stock == 5


def test_concurrent_refunds_never_exceed_the_total(world: World) -> None:
    order = world.make(status=Order.Status.DELIVERED)
    calls = [
        (lambda i=i: fulfilment.order_refund(
            order=order, actor=world.side.owner, amount_minor=20_000, reason="x",
            idempotency_key=f"key-{i}",
        ))
        for i in range(N)
    ]  # fmt: skip
    errors = race(calls)
    assert len(errors) == N - 2
    assert all(isinstance(e, ValidationError) for e in errors)
    assert sorted(Refund.objects.values_list("amount_minor", flat=True)) == [20_000, 20_000]


def test_ship_x10_registers_one_parcel(world: World) -> None:
    order = world.make(status=Order.Status.ACCEPTED)
    errors = race(
        [lambda: fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)]
        * N
    )
    assert len(errors) == N - 1
    assert Seller.objects.get(pk=world.side.seller.pk).orders_shipped == 1
    assert Disclosure.objects.filter(recipient_kind="carrier").count() == 1
    assert get_carrier().shipments == [order.number]  # type: ignore[attr-defined]
