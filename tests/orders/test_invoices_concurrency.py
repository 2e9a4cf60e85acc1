"""Concurrent invoicing on PostgreSQL: numbers without gaps or duplicates, one per order."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection

from recommerce.orders.models import Invoice, InvoiceSequence, Order
from recommerce.orders.services.invoices import credit_note_issue, invoice_issue_for_order
from tests.orders.finance_fixtures import make_order, make_seller, race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


# New Year's first half hour in Paris (still 31 December in UTC): invoices take the local
# year, and the expected numbers do not depend on the day the suite runs.
NEW_YEAR_IN_PARIS = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)


@time_machine.travel(NEW_YEAR_IN_PARIS)
def test_twenty_concurrent_invoices_of_one_seller_are_numbered_1_to_20():
    """Hardening 5.10: numbered in the year of a fixed day, not of today."""
    seller = make_seller("Race Shop")
    orders = [make_order(seller, book=False) for _ in range(THREADS)]
    assert not InvoiceSequence.objects.exists()  # the series' first row is raced for too

    errors = race([lambda o=order: invoice_issue_for_order(order=o) for order in orders])

    assert errors == []
    year = 2027
    issued = sorted(Invoice.objects.filter(seller=seller).values_list("number", flat=True))
    assert issued == [f"RACESH-{year}-{n:06d}" for n in range(1, THREADS + 1)]
    assert InvoiceSequence.objects.get(issuer=f"seller:{seller.pk}").next_value == THREADS + 1
    assert Invoice.objects.filter(order__in=orders).values("order").distinct().count() == THREADS


@time_machine.travel(NEW_YEAR_IN_PARIS)
def test_same_order_and_same_refund_issued_concurrently_give_one_document_each():
    """Hardening 5.10: numbered in the year of a fixed day, not of today."""
    seller = make_seller("Twice Shop")
    order: Order = make_order(seller, book=False)

    errors = race([lambda: invoice_issue_for_order(order=order)] * 10)
    assert errors == []
    assert Invoice.objects.filter(order=order, kind="sale").count() == 1

    errors = race(
        [
            lambda: credit_note_issue(
                order=order, amount_minor=1_000, reason="Dent", reference="refund-race"
            )
        ]
        * 10
    )
    assert errors == []
    notes = Invoice.objects.filter(order=order, kind="credit_note")
    assert [n.total_minor for n in notes] == [-1_000]
    year = 2027
    assert sorted(Invoice.objects.filter(seller=seller).values_list("number", flat=True)) == [
        f"TWICES-{year}-000001",
        f"TWICES-{year}-000002",
    ]
