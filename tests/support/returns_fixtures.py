"""Fixtures of the return tests: an agreed claim on a delivered order, its device's units,
and the sandbox activation-lock service.

Claims are written through the ORM at the step a test needs (an outcome agreed, the claim
row as the claims services leave it), then ``claim_resolution_start`` runs as they call it:
inside a transaction with the row locked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from stdnum import luhn

from recommerce.orders.models import Order, UnitIdentifier
from recommerce.payments.events import PaymentCaptured
from recommerce.payments.models import Payment
from recommerce.platform import clock
from recommerce.platform import events as platform_events
from recommerce.platform.providers import clear_provider_cache
from recommerce.support.models import Claim
from recommerce.support.providers.activation import get_activation_lock
from recommerce.support.services import returns
from recommerce.support.services.common import claim_locked, claim_reference_new
from tests.accounts.conftest import make_user
from tests.orders.finance_fixtures import Item, make_order, make_seller
from tests.payments.conftest import pay_and_confirm
from tests.payments.conftest import start as payment_start


def imei_of(body: str) -> str:
    """Return the 15-digit IMEI made of the 14 digits ``body`` and its Luhn check digit."""
    assert len(body) == 14 and body.isdigit()
    return body + luhn.calc_check_digit(body)


# Digits 9 to 14 starting with 9: the sandbox service reports the device locked.
CLEAR_IMEI = imei_of("35209900176148")
LOCKED_IMEI = imei_of("35209900912345")


@pytest.fixture
def activation() -> Iterator[Any]:
    """The sandbox activation-lock service, with no device released by an earlier test."""
    cache.clear()
    yield get_activation_lock()
    cache.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what waits for the test's transaction to commit (emails, events)."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


def with_return_address(order: Order) -> Order:
    seller = order.seller
    seller.return_line1 = "5 quai des Ateliers"
    seller.return_postal_code = "69002"
    seller.return_city = "Lyon"
    seller.return_country = "FR"
    seller.save()
    return order


def record_units(order: Order, *values: str) -> None:
    line = order.lines.get()
    for position, value in enumerate(values, start=1):
        kind = UnitIdentifier.Kind.IMEI if value.isdigit() else UnitIdentifier.Kind.SERIAL
        UnitIdentifier.objects.create(line=line, kind=kind, value=value, position=position)


def agreed_claim(
    order: Order,
    *,
    resolution: str = Claim.Resolution.RETURN_REFUND,
    kind: str = Claim.Kind.RETURN,
    amount_minor: int = 0,
    seller_actor: Any = None,
) -> Claim:
    """A claim on the order's item whose outcome was just agreed (not yet carried out)."""
    claim = Claim.objects.create(
        reference=claim_reference_new(),
        order=order,
        line=order.lines.get(),
        buyer=order.buyer,
        kind=kind,
        status=Claim.Status.PROPOSED,
        reason_code=Claim.ReturnReason.CHANGED_MIND if kind == Claim.Kind.RETURN else "",
        requested=resolution,
        proposal=resolution,
        resolution=resolution,
        resolution_amount_minor=amount_minor,
        window_closes_on=clock.today() + dt.timedelta(days=30),
        seller_answered_at=clock.now(),
    )
    if seller_actor is not None:
        from recommerce.support.services.common import claim_event_add

        claim_event_add(claim, action="answered", side="seller", actor=seller_actor)
    return claim


def start(claim: Claim, actor: Any, side: str = "buyer") -> Claim:
    """Carry out the agreed outcome as the claims services do: in a transaction, row locked."""
    with transaction.atomic():
        return returns.claim_resolution_start(claim=claim_locked(claim), actor=actor, side=side)


def fresh(claim: Claim) -> Claim:
    return Claim.objects.select_related("order", "line", "refund").get(pk=claim.pk)


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel("2031-03-14 10:00:00+00:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def paid_order(
    db: None,
    settings: Any,
    frozen: Any,
    commit: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
    activation: Any,
) -> Order:
    """A delivered order paid through the sandbox provider, booked and invoiced."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_provider_cache()
    # The payment stands alone: no checkout is waiting to turn it into orders.
    monkeypatch.setitem(platform_events._handlers, PaymentCaptured, [])
    buyer = make_user("alice@example.com", full_name="Alice Martin")
    payment = pay_and_confirm(payment_start(buyer, amount_minor=45_000), frozen, commit)
    assert payment.status == Payment.Status.CAPTURED
    seller = make_seller("Refurb Lyon")
    order = make_order(seller, [Item(45_000)], buyer=buyer, payment=payment)
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.DELIVERED,
        carrier="Sandbox Parcel",
        tracking_number="SP0000000001",
        shipped_at=clock.now() - dt.timedelta(days=3),
        delivered_at=clock.now() - dt.timedelta(days=1),
    )
    record_units(order, CLEAR_IMEI)
    mail.outbox.clear()
    return Order.objects.select_related("seller", "buyer").get(pk=order.pk)
