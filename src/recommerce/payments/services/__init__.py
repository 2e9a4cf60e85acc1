"""The payments app's public services (used by checkout, orders and payouts)."""

from recommerce.payments.services.payments import (
    InstalmentsDeclined,
    credit_partner,
    payment_provider,
    payment_start,
    payment_sync,
    payments_reconcile,
)
from recommerce.payments.services.refunds import refund_create
from recommerce.payments.services.transfers import transfer_create
from recommerce.payments.services.webhooks import webhook_events_retry, webhook_receive

__all__ = [
    "InstalmentsDeclined",
    "credit_partner",
    "payment_provider",
    "payment_start",
    "payment_sync",
    "payments_reconcile",
    "refund_create",
    "transfer_create",
    "webhook_events_retry",
    "webhook_receive",
]
