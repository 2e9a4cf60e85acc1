"""Take the provider's notifications: verify, store once, apply."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from recommerce.payments.models import WebhookEvent
from recommerce.payments.providers.base import InvalidWebhook
from recommerce.payments.services import transitions
from recommerce.payments.services.payments import payment_provider
from recommerce.platform import clock

logger = logging.getLogger(__name__)


def webhook_receive(
    *, provider_name: str, body: bytes, headers: Mapping[str, str]
) -> WebhookEvent | None:
    """Verify a notification, store it once and apply it; None for a repeat.

    Raises ``InvalidWebhook`` (nothing stored, nothing changed) when the signature,
    secret or timestamp does not check out. A notification that cannot be applied yet
    (its payment is not known or not captured) is kept and applied later.
    """
    provider = payment_provider()
    if provider_name != provider.name:
        raise InvalidWebhook(f"No payment provider named {provider_name[:32]!r} is in use.")
    event = provider.webhook_verify(body=body, headers=headers)
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = WebhookEvent.objects.create(
                    provider=provider.name,
                    event_id=event.event_id,
                    type=event.provider_type[:64],
                    object_id=(event.object_id or event.session_id or event.payment_id)[:255],
                    payload=transitions.event_payload(event),
                )
        except IntegrityError:
            # Seen before: no second effect, though a waiting one may now apply.
            _apply_stored(provider.name, event_id=event.event_id)
            return None
        if transitions.apply_event(provider.name, event):
            stored.processed_at = clock.now()
            stored.save(update_fields=["processed_at"])
    return stored


def _apply_stored(provider: str, *, event_id: str) -> bool:
    stored = (
        WebhookEvent.objects.select_for_update()
        .filter(provider=provider, event_id=event_id, processed_at__isnull=True, error="")
        .first()
    )
    if stored is None:
        return False
    try:
        event = transitions.event_from_payload(stored.payload)
    except transitions.UnreadableEvent as error:
        transitions.set_aside(stored, error)
        return False
    if not transitions.apply_event(provider, event):
        return False
    stored.processed_at = clock.now()
    stored.save(update_fields=["processed_at"])
    return True


def webhook_events_retry(
    *,
    older_than: dt.timedelta = dt.timedelta(minutes=1),
    within: dt.timedelta = dt.timedelta(days=3),
) -> int:
    """Apply kept notifications whose payment or transfer has become known; return how many.

    A row whose stored facts cannot be read is set aside (``error`` says why, staff see it
    on the notifications' admin page) and the rows after it are still applied; so are they
    when applying one fails for another reason, which is logged and tried again next time.
    """
    now = clock.now()
    waiting = (
        WebhookEvent.objects.filter(
            processed_at__isnull=True,
            error="",
            received_at__lt=now - older_than,
            received_at__gte=now - within,
        )
        .order_by("received_at", "id")
        .values_list("provider", "event_id")
    )
    applied = 0
    for provider, event_id in list(waiting):
        try:
            with transaction.atomic():
                applied += _apply_stored(provider, event_id=event_id)
        except Exception:
            logger.exception("Kept %s notification %s could not be applied.", provider, event_id)
    return applied
