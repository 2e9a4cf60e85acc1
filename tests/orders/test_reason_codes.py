"""Accounting records keep a reason code, never a person's words (RETAIN-1, RIGHT-3).

Hardening 4.3: a buyer's free-text cancel reason was copied into refunds and credit notes,
both kept 10 years. The migrations convert the rows written before.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps

from recommerce.orders.models import Invoice
from recommerce.orders.services.invoices import credit_note_issue
from recommerce.payments.models import Refund
from tests.orders.finance_fixtures import Item, make_order, make_seller

pytestmark = pytest.mark.django_db

payments_0004 = import_module("recommerce.payments.migrations.0004_refund_reason_code")
orders_0005 = import_module(
    "recommerce.orders.migrations.0005_delivered_by_and_credit_note_reasons"
)
# Short enough for today's column: old rows held up to 200 characters of such text.
WORDS = "Zyxwq found cheaper"


def test_p_retain_1_existing_refunds_and_credit_notes_lose_the_persons_words():
    """Hardening 4.3: the data migrations turn old free text into codes and their labels.

    promise: RETAIN-1
    """
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)):
        order = make_order(make_seller("Old Rows"), [Item(45_000)])
        payment = order.payment
        rows = {
            key: Refund.objects.create(
                payment=payment, idempotency_key=key, amount_minor=100, reason=WORDS
            )
            for key in (f"cancel-{order.number}", "refund-R1-abc", "unfulfilled-x-1", "misc")
        }
        cancelled = rows[f"cancel-{order.number}"]
        note = credit_note_issue(
            order=order, amount_minor=1_000, reason=WORDS, reference=f"refund-{cancelled.pk}"
        )
    assert note is not None and WORDS in note.lines[0]["description"]

    payments_0004.to_codes(apps, None)
    orders_0005.relabel_credit_notes(apps, None)

    codes = {key: Refund.objects.get(pk=row.pk).reason for key, row in rows.items()}
    assert codes == {
        f"cancel-{order.number}": "order_cancelled",
        "refund-R1-abc": "order_refund",
        "unfulfilled-x-1": "not_fulfilled",
        "misc": "other",
    }
    note = Invoice.objects.get(pk=note.pk)
    assert [line["description"] for line in note.lines] == ["Order cancelled"]
    assert note.total_minor == -1_000  # amounts untouched
