"""The sandbox's outbox: signed notifications, delivered until the platform accepts them.

Each notification is stored with the time it is due, then sent by a task (scheduled for
that time) or by the periodic sweep. A failed send is tried again with backoff: 5 s,
doubling, at most an hour apart, 20 tries in all. ``transport`` says how it travels:
``"http"`` (a POST to ``SITE_URL`` + the webhook path), ``"inprocess"`` (the same signed
bytes handed to ``payments.services.webhook_receive``), or ``"auto"``: in-process when
background tasks run immediately in the caller (``HUEY["immediate"]``), HTTP otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse

from recommerce.payments.models import SandboxOutbox, SandboxSession
from recommerce.payments.providers.base import EventKind, InvalidWebhook
from recommerce.payments.providers.sandbox import signing
from recommerce.platform import clock

logger = logging.getLogger(__name__)

DELIVERY_LEASE = dt.timedelta(seconds=60)
MAX_DELIVERY_ATTEMPTS = 20
TRANSPORTS = ("auto", "http", "inprocess")


def retry_delay(attempts: int) -> dt.timedelta:
    """Return how long to wait after ``attempts`` failed deliveries: 5 s, doubling, 1 h at most."""
    return dt.timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), 3600))


def site_path(name: str, fallback: str, **kwargs: str) -> str:
    """Return the path of a payments URL (the documented mount point if it is not mounted)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


class Outbox:
    """Queue, sign, send and retry the notifications of one sandbox provider."""

    def __init__(self, *, provider_name: str, webhook_secret: str, transport: str) -> None:
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}.")
        self.provider_name = provider_name
        self.webhook_secret = webhook_secret
        self.transport = transport

    def queue(
        self,
        event_id: str,
        kind: EventKind,
        *,
        session: SandboxSession | None = None,
        deliver_after: dt.datetime | None = None,
        **data: Any,
    ) -> SandboxOutbox:
        """Store a notification to deliver once the current transaction commits."""
        now = clock.now()
        fields: dict[str, Any] = {}
        if session is not None:
            fields = {
                "session_id": session.public_id,
                "payment_id": session.payment_intent_id,
                "currency": session.currency,
            }
        fields.update(data)
        body = {"id": event_id, "type": kind.value, "created": int(now.timestamp()), "data": fields}
        when = deliver_after or now
        row = SandboxOutbox.objects.create(
            event_id=event_id, body=json.dumps(body, sort_keys=True), deliver_after=when
        )
        # robust: a broker that is down must not undo the payment; the sweep delivers later.
        transaction.on_commit(lambda: self._schedule(event_id, when), robust=True)
        return row

    def deliver(self, *, event_id: str) -> bool:
        """Deliver one due notification; on failure, schedule the next try with backoff."""
        now = clock.now()
        row = SandboxOutbox.objects.filter(event_id=event_id, delivered_at__isnull=True).first()
        if row is None or row.deliver_after > now or row.attempts >= MAX_DELIVERY_ATTEMPTS:
            return False
        # Claim the row without holding a transaction during the send: another worker's
        # claim changes deliver_after, so only one of two concurrent claims succeeds.
        claimed = SandboxOutbox.objects.filter(
            pk=row.pk, delivered_at__isnull=True, deliver_after=row.deliver_after
        ).update(deliver_after=now + DELIVERY_LEASE, attempts=F("attempts") + 1)
        if not claimed:
            return False
        error = self._send(row.body.encode())
        attempts = row.attempts + 1
        if not error:
            SandboxOutbox.objects.filter(pk=row.pk).update(delivered_at=clock.now(), last_error="")
            return True
        retry_at = clock.now() + retry_delay(attempts)
        SandboxOutbox.objects.filter(pk=row.pk).update(
            deliver_after=retry_at, last_error=error[:255]
        )
        logger.warning("Sandbox notification %s failed (try %d): %s", event_id, attempts, error)
        if attempts < MAX_DELIVERY_ATTEMPTS:
            self._schedule(event_id, retry_at)
        return False

    def deliver_due(self, *, limit: int = 200) -> int:
        """Deliver every notification that is due; return how many were accepted."""
        due = (
            SandboxOutbox.objects.filter(
                delivered_at__isnull=True,
                deliver_after__lte=clock.now(),
                attempts__lt=MAX_DELIVERY_ATTEMPTS,
            )
            .order_by("deliver_after", "id")
            .values_list("event_id", flat=True)[:limit]
        )
        return sum(1 for event_id in list(due) if self.deliver(event_id=event_id))

    def signature_header(self, body: bytes, timestamp: int | None = None) -> str:
        """Sign ``body`` now (or at ``timestamp``) as the sandbox signs its notifications."""
        when = int(clock.now().timestamp()) if timestamp is None else timestamp
        return signing.signature_header(secret=self.webhook_secret, body=body, timestamp=when)

    def webhook_url(self) -> str:
        path = site_path(
            "payments:webhook",
            f"/payments/webhooks/{self.provider_name}/",
            provider=self.provider_name,
        )
        return f"{settings.SITE_URL}{path}"

    def _schedule(self, event_id: str, when: dt.datetime) -> None:
        from recommerce.payments.tasks import sandbox_event_deliver

        delay = math.ceil((when - clock.now()).total_seconds())
        if delay > 0:
            sandbox_event_deliver.schedule((event_id,), delay=delay)
        else:
            sandbox_event_deliver(event_id)

    def _transport(self) -> str:
        if self.transport != "auto":
            return self.transport
        return "inprocess" if settings.HUEY.get("immediate") else "http"

    def _send(self, body: bytes) -> str:
        """Send one notification, signed now; return "" on success or what went wrong."""
        headers = {
            signing.SIGNATURE_HEADER: self.signature_header(body),
            "Content-Type": "application/json",
        }
        if self._transport() == "inprocess":
            from recommerce.payments.services import webhook_receive

            try:
                webhook_receive(provider_name=self.provider_name, body=body, headers=headers)
            except InvalidWebhook as error:
                return f"refused: {error}"
            except Exception as error:  # an error answer, as a web server would give
                logger.exception("The platform failed to take a sandbox notification.")
                return f"error: {type(error).__name__}"
            return ""
        url = self.webhook_url()
        if urlsplit(url).scheme not in ("http", "https"):
            return f"not an http(s) address: {url}"
        # The scheme is checked above: only http(s) is ever opened.
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = int(response.status)
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            return f"connection failed: {getattr(error, 'reason', error)}"
        return "" if 200 <= status < 300 else f"HTTP {status}"
