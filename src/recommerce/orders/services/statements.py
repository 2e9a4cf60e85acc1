"""Seller statements, computed from the ledger, and the reads the finance pages need.

A statement row is one ledger transaction touching the seller: a sale credits the gross
(items and delivery) less the commission; a refund or chargeback takes back the seller's
share and gives back the commission on it; a payout pays the balance out. Every row's
net is what it changed in the seller's balance, so the opening balance plus the nets is
the closing balance, and the closing balance today is ``seller_balance_minor``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from recommerce.accounts.models import Seller
from recommerce.orders.models import Invoice, LedgerEntry, LedgerTransaction, Payout
from recommerce.orders.services.invoices import day_bounds
from recommerce.platform.money import minor_exponent

Account = LedgerEntry.Account
Kind = LedgerTransaction.Kind
MAX_STATEMENT_DAYS = 400
CSV_HEADER = (
    "date",
    "kind",
    "order number",
    "gross",
    "commission",
    "refunds",
    "net",
    "running balance",
    "currency",
)


@dataclass(frozen=True, slots=True)
class StatementRow:
    date: dt.date
    kind: str
    kind_label: str
    order_number: str
    gross_minor: int
    commission_minor: int  # negative: withheld; positive: returned with a refund
    refunds_minor: int  # negative: taken back for refunds and chargebacks
    net_minor: int
    balance_minor: int


@dataclass(frozen=True, slots=True)
class Statement:
    seller: Seller
    start: dt.date
    end: dt.date
    currency: str
    opening_minor: int
    closing_minor: int
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def gross_minor(self) -> int:
        return sum(row.gross_minor for row in self.rows)

    @property
    def commission_minor(self) -> int:
        return sum(row.commission_minor for row in self.rows)

    @property
    def refunds_minor(self) -> int:
        return sum(row.refunds_minor for row in self.rows)

    @property
    def net_minor(self) -> int:
        return sum(row.net_minor for row in self.rows)


def seller_statement(*, seller: Seller, start: dt.date, end: dt.date) -> Statement:
    """Return a seller's statement from ``start`` to ``end`` (both days included)."""
    since, until = day_bounds(start, end)
    mine = Q(seller=seller) & Q(account__in=[Account.SELLER_PAYABLE, Account.COMMISSION])
    opening = LedgerEntry.objects.filter(
        account=Account.SELLER_PAYABLE, seller=seller, transaction__created_at__lt=since
    ).aggregate(total=Sum("amount_minor"))["total"]
    entries = (
        LedgerEntry.objects.filter(
            mine, transaction__created_at__gte=since, transaction__created_at__lt=until
        )
        .select_related("transaction", "transaction__order")
        .order_by("transaction__created_at", "transaction_id", "id")
    )
    payable: dict[int, int] = defaultdict(int)
    commission: dict[int, int] = defaultdict(int)
    transactions: dict[int, LedgerTransaction] = {}
    for entry in entries:
        transactions.setdefault(entry.transaction_id, entry.transaction)
        if entry.account == Account.SELLER_PAYABLE:
            payable[entry.transaction_id] += entry.amount_minor
        else:
            commission[entry.transaction_id] += entry.amount_minor
    balance = -(opening or 0)
    opening_minor = balance
    rows = []
    currency = ""
    for pk, txn in transactions.items():
        currency = currency or txn.currency
        owed, fee = payable[pk], commission[pk]
        gross = refunds = 0
        if txn.kind == Kind.CAPTURE:
            gross = -(owed + fee)
        elif txn.kind in (Kind.REFUND, Kind.CHARGEBACK):
            refunds = -(owed + fee)
        else:
            fee = 0
        balance -= owed
        rows.append(
            StatementRow(
                date=timezone.localdate(txn.created_at),
                kind=txn.kind,
                kind_label=txn.get_kind_display(),
                order_number=txn.order.number if txn.order else "",
                gross_minor=gross,
                commission_minor=fee,
                refunds_minor=refunds,
                net_minor=-owed,
                balance_minor=balance,
            )
        )
    return Statement(
        seller=seller,
        start=start,
        end=end,
        currency=currency or str(settings.DEFAULT_CURRENCY),
        opening_minor=opening_minor,
        closing_minor=balance,
        rows=rows,
    )


def _major(minor: int, currency: str) -> str:
    exponent = minor_exponent(currency)
    return f"{Decimal(minor).scaleb(-exponent):.{exponent}f}"


def statement_csv(statement: Statement) -> str:
    """Return the statement as CSV: amounts in major units with a dot, dates ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    currency = statement.currency
    writer.writerow(
        [statement.start.isoformat(), "opening balance", "", "", "", "", "",
         _major(statement.opening_minor, currency), currency]
    )  # fmt: skip
    for row in statement.rows:
        writer.writerow(
            [
                row.date.isoformat(),
                row.kind,
                row.order_number,
                _major(row.gross_minor, currency),
                _major(row.commission_minor, currency),
                _major(row.refunds_minor, currency),
                _major(row.net_minor, currency),
                _major(row.balance_minor, currency),
                currency,
            ]
        )
    writer.writerow(
        [statement.end.isoformat(), "closing balance", "", "", "", "", "",
         _major(statement.closing_minor, currency), currency]
    )  # fmt: skip
    return out.getvalue()


# ---- Reads for the finance pages ------------------------------------------------------------


def seller_payouts(*, seller: Seller) -> QuerySet[Payout]:
    return Payout.objects.filter(seller=seller).order_by("-run_date", "-id")


def seller_invoices(*, seller: Seller) -> QuerySet[Invoice]:
    """Return the seller's own invoices and credit notes, and the marketplace's to it."""
    return (
        Invoice.objects.filter(seller=seller).select_related("order").order_by("-issued_at", "-id")
    )


def seller_invoice_get(*, seller: Seller, invoice_id: int) -> Invoice | None:
    return seller_invoices(seller=seller).filter(pk=invoice_id).first()


def payouts_for_staff() -> QuerySet[Payout]:
    """Return the payouts waiting for a second approval or for sending."""
    return (
        Payout.objects.filter(status__in=[Payout.Status.PENDING_APPROVAL, Payout.Status.APPROVED])
        .select_related("seller", "created_by", "approved_by")
        .order_by("run_date", "id")
    )
