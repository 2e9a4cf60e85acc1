"""Reads of the platform's own tables, for the staff pages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from recommerce.platform import clock
from recommerce.platform.models import OutboundEmail

Status = OutboundEmail.Status
EMAIL_ADDRESS = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+")


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """The outgoing email queue at a glance."""

    waiting: int
    sending: int
    failed: int
    sent_last_day: int
    retrying: int  # waiting after at least one failed attempt


def outbox_counts() -> OutboxCounts:
    """Count the outbox's emails by state (sent: over the last 24 hours)."""
    since = clock.now() - dt.timedelta(days=1)
    found = OutboundEmail.objects.aggregate(
        waiting=Count("pk", filter=Q(status=Status.PENDING)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        sent_last_day=Count("pk", filter=Q(status=Status.SENT, sent_at__gte=since)),
        retrying=Count("pk", filter=Q(status=Status.PENDING, attempts__gt=0)),
    )
    return OutboxCounts(**found)


def outbox_attention() -> QuerySet[OutboundEmail]:
    """Return the emails a person should look at: failed, or waiting after a failure."""
    return OutboundEmail.objects.filter(
        Q(status=Status.FAILED) | Q(status__in=[Status.PENDING, Status.SENDING], attempts__gt=0)
    ).order_by("-created_at", "-pk")


def _masked(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}•••@{domain}" if local else "•••"


def masked_addresses(to: str) -> str:
    """Return the addresses of an email as "a•••@example.com", one per line joined by ", "."""
    return ", ".join(_masked(line.strip()) for line in to.splitlines() if line.strip())


def masked_text(text: str) -> str:
    """Return ``text`` with every email address in it masked (mail servers' errors name the
    recipient)."""
    return EMAIL_ADDRESS.sub(lambda found: _masked(found.group(0)), text)
