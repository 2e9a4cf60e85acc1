"""Orders per seller, their fulfilment, invoices, the ledger and payouts."""

from recommerce.orders.models.finance import (
    CommissionRule,
    Invoice,
    InvoiceSequence,
    LedgerEntry,
    LedgerTransaction,
    Payout,
)
from recommerce.orders.models.orders import (
    InsurancePolicy,
    Order,
    OrderLine,
    TrackingEvent,
    UnitIdentifier,
)

__all__ = [
    "CommissionRule",
    "InsurancePolicy",
    "Invoice",
    "InvoiceSequence",
    "LedgerEntry",
    "LedgerTransaction",
    "Order",
    "OrderLine",
    "Payout",
    "TrackingEvent",
    "UnitIdentifier",
]
