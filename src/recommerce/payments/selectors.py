"""Reads of payments, for checkout, orders, reconciliation and staff pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

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


# In its first hour a payment waiting for the provider is asked about at every run (a
# minute apart; 45 s leaves room for a run that starts a little early), then every ten
# minutes until its page has long expired (``within``).
ASK_EVERY = dt.timedelta(seconds=45)
ASK_EVERY_LATER = dt.timedelta(minutes=10)
ASK_OFTEN_FOR = dt.timedelta(hours=1)


def payments_awaiting_provider(
    *, older_than: dt.timedelta, within: dt.timedelta = dt.timedelta(days=2)
) -> QuerySet[Payment]:
    """Return payments still waiting for the provider's word after ``older_than``, due a question.

    Never asked first, then the least recently asked, oldest first among equals: a batch
    taken from the front reaches every payment in turn, however many pages were abandoned.
    """
    now = clock.now()
    due = (
        Q(provider_checked_at__isnull=True)
        | Q(provider_checked_at__lt=now - ASK_EVERY, created_at__gte=now - ASK_OFTEN_FOR)
        | Q(provider_checked_at__lt=now - ASK_EVERY_LATER)
    )
    return (
        Payment.objects.filter(
            status__in=[Payment.Status.PENDING, Payment.Status.PROCESSING],
            created_at__lte=now - older_than,
            created_at__gte=now - within,
        )
        .filter(due)
        .order_by(F("provider_checked_at").asc(nulls_first=True), "created_at", "id")
    )


def refunds_of(*, payment: Payment) -> QuerySet[Refund]:
    return Refund.objects.filter(payment=payment).order_by("created_at", "id")


def webhook_events_waiting() -> QuerySet[WebhookEvent]:
    """Return the notifications kept because they could not be applied yet."""
    return WebhookEvent.objects.filter(processed_at__isnull=True, error="").order_by(
        "received_at", "id"
    )


def webhook_events_set_aside() -> QuerySet[WebhookEvent]:
    """Return the stored notifications that could not be read, for a person to look at."""
    return WebhookEvent.objects.exclude(error="").order_by("received_at", "id")
