"""Reads of payments, for checkout, orders, reconciliation and staff pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from recommerce.payments.models import Payment, Refund, WebhookEvent
from recommerce.platform import clock


def payment_get(*, reference: str) -> Payment | None:
    """Return the latest payment attempt for ``reference`` (a checkout), or None."""
    return Payment.objects.filter(reference=reference).order_by("-created_at", "-id").first()


def payment_get_by_session(*, provider: str, session_id: str) -> Payment | None:
    """Return the payment a provider's session belongs to (the buyer's return page)."""
    return (
        Payment.objects.filter(provider=provider, provider_session_id=session_id)
        .order_by("-id")
        .first()
    )


def payments_captured_since(*, since: dt.datetime) -> QuerySet[Payment]:
    """Return the payments captured at or after ``since``, oldest first."""
    return Payment.objects.filter(status=Payment.Status.CAPTURED, captured_at__gte=since).order_by(
        "captured_at", "id"
    )


def payments_awaiting_provider(
    *, older_than: dt.timedelta, within: dt.timedelta = dt.timedelta(days=2)
) -> QuerySet[Payment]:
    """Return payments still waiting for the provider's word after ``older_than``."""
    now = clock.now()
    return Payment.objects.filter(
        status__in=[Payment.Status.PENDING, Payment.Status.PROCESSING],
        created_at__lt=now - older_than,
        created_at__gte=now - within,
    ).order_by("created_at", "id")


def refunds_of(*, payment: Payment) -> QuerySet[Refund]:
    return Refund.objects.filter(payment=payment).order_by("created_at", "id")


def webhook_events_waiting() -> QuerySet[WebhookEvent]:
    """Return the notifications kept because they could not be applied yet."""
    return WebhookEvent.objects.filter(processed_at__isnull=True).order_by("received_at", "id")
