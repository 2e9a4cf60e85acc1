"""How the provider's facts change the platform's payment records.

Every function here runs inside a transaction with the payment row locked, and is
idempotent: a fact applied twice changes nothing the second time, and each domain event
is published on the one transition that makes it true. Facts may arrive in any order:

- a payment never goes back from captured; a late "failed" after "succeeded" is ignored,
  while "succeeded" after "failed" captures (the money was taken after all);
- a refund or dispute reported before the payment's capture is known is kept, unapplied,
  and applied the moment the payment is captured (``_apply_deferred``), so every order of
  arrival ends in the same amounts;
- a refund that failed stays failed; its amount becomes refundable again.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from recommerce.payments.events import (
    ChargebackOpened,
    PaymentCaptured,
    PaymentFailed,
    RefundFailed,
    RefundSucceeded,
    TransferFailed,
    TransferPaid,
)
from recommerce.payments.models import Chargeback, Payment, Refund, Transfer, WebhookEvent
from recommerce.payments.providers.base import (
    EventKind,
    ProviderEvent,
    SessionState,
    SessionStatus,
)
from recommerce.platform import clock
from recommerce.platform.events import publish

logger = logging.getLogger(__name__)

_WAITING = (Payment.Status.CREATED, Payment.Status.PENDING, Payment.Status.PROCESSING)
_AFTER_CAPTURE = frozenset(
    {EventKind.REFUND_SUCCEEDED, EventKind.REFUND_FAILED, EventKind.DISPUTE_OPENED}
)
PROVIDER_REFUND_REASON = Refund.Reason.PROVIDER


def lock_payment(pk: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=pk)


def event_payload(event: ProviderEvent) -> dict[str, Any]:
    """Return what is kept of a notification: the translated facts, not the raw body."""
    facts = asdict(event)
    facts.pop("raw")
    facts["kind"] = event.kind.value
    return facts


class UnreadableEvent(ValueError):
    """A stored notification whose facts cannot be read back: set aside, never applied."""


_REQUIRED = ("event_id", "kind", "provider_type")
_NUMBERS = frozenset({"amount_minor", "created"})
_EVENT_FIELDS = frozenset(ProviderEvent.__dataclass_fields__) - {"raw"}
_KINDS = frozenset(kind.value for kind in EventKind)


def event_from_payload(payload: object) -> ProviderEvent:
    """Read back the facts ``event_payload`` kept; raise ``UnreadableEvent`` saying why not.

    Rows written by another version, or edited by hand, may lack a fact or hold one of the
    wrong type; the message names what is wrong, for the person who looks at the row.
    """
    if not isinstance(payload, dict):
        raise UnreadableEvent(f"The stored facts are a {type(payload).__name__}, not an object.")
    missing = [name for name in _REQUIRED if name not in payload]
    if missing:
        raise UnreadableEvent(f"The stored facts lack {', '.join(missing)}.")
    facts: dict[str, Any] = {}
    for name in _EVENT_FIELDS & payload.keys():
        value = payload[name]
        wanted, what = (int, "a whole number") if name in _NUMBERS else (str, "text")
        # bool is an int to Python, never to a provider.
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise UnreadableEvent(f"The stored {name} is not {what}.")
        facts[name] = value
    if not facts["event_id"]:
        raise UnreadableEvent("The stored event_id is empty.")
    if facts["kind"] not in _KINDS:
        raise UnreadableEvent(
            f"The stored kind {facts['kind'][:64]!r} is not one the platform knows."
        )
    facts["kind"] = EventKind(facts["kind"])
    return ProviderEvent(**facts)


# --- Payments -----------------------------------------------------------------------------


def capture(
    payment: Payment,
    *,
    amount_minor: int,
    payment_id: str,
    card_brand: str,
    card_last4: str,
    token: str,
) -> bool:
    """Mark a locked payment captured; return whether this call did it."""
    _remember_card(payment, card_brand=card_brand, card_last4=card_last4, token=token)
    if payment_id and not payment.provider_payment_id:
        payment.provider_payment_id = payment_id[:255]
    if payment.status == Payment.Status.CAPTURED:
        payment.save(
            update_fields=[
                "provider_payment_id",
                "card_brand",
                "card_last4",
                "provider_token",
                "updated_at",
            ]
        )
        return False
    payment.status = Payment.Status.CAPTURED
    payment.captured_minor = min(amount_minor or payment.amount_minor, payment.amount_minor)
    payment.captured_at = clock.now()
    payment.failure_code = ""
    payment.failure_message = ""
    payment.save()
    publish(PaymentCaptured(payment_id=payment.pk, reference=payment.reference))
    _apply_deferred(payment)
    return True


def mark_processing(payment: Payment) -> bool:
    """Note that the buyer paid and the confirmation is on its way."""
    if payment.status not in (Payment.Status.CREATED, Payment.Status.PENDING):
        return False
    payment.status = Payment.Status.PROCESSING
    payment.save(update_fields=["status", "updated_at"])
    return True


def fail(payment: Payment, *, code: str, message: str) -> bool:
    """Mark a payment that is still waiting as failed; a captured one stays captured."""
    if payment.status not in _WAITING:
        return False
    payment.status = Payment.Status.FAILED
    payment.failure_code = code[:64]
    payment.failure_message = message[:255]
    payment.save(update_fields=["status", "failure_code", "failure_message", "updated_at"])
    publish(PaymentFailed(payment_id=payment.pk, reference=payment.reference))
    return True


def apply_session_status(payment: Payment, status: SessionStatus) -> None:
    """Apply what the provider says when asked, exactly as its notification would."""
    if status.state == SessionState.SUCCEEDED:
        capture(
            payment,
            amount_minor=status.amount_minor,
            payment_id=status.payment_id,
            card_brand=status.card_brand,
            card_last4=status.card_last4,
            token=status.token,
        )
    elif status.state == SessionState.PROCESSING:
        mark_processing(payment)
    elif status.state == SessionState.FAILED:
        fail(
            payment,
            code=status.failure_code or "failed",
            message=status.failure_message or "The payment failed.",
        )
    elif status.state == SessionState.EXPIRED:
        fail(payment, code="expired", message="The payment page expired.")


def _remember_card(payment: Payment, *, card_brand: str, card_last4: str, token: str) -> None:
    # Only what COLLECT-2 allows: the provider's token, the brand, the last four digits.
    if card_brand and not payment.card_brand:
        payment.card_brand = card_brand[:20]
    if len(card_last4) == 4 and card_last4.isdigit() and not payment.card_last4:
        payment.card_last4 = card_last4
    if token and not payment.provider_token:
        payment.provider_token = token[:255]


# --- Notifications ------------------------------------------------------------------------


def payment_for_event(provider: str, event: ProviderEvent) -> Payment | None:
    """Find and lock the payment a notification is about (by session, then payment id)."""
    ids = Payment.objects.filter(provider=provider).order_by("-id").values_list("pk", flat=True)
    pk: int | None = None
    if event.session_id:
        pk = ids.filter(provider_session_id=event.session_id).first()
    if pk is None and event.payment_id:
        pk = ids.filter(provider_payment_id=event.payment_id).first()
    return lock_payment(pk) if pk is not None else None


def apply_event(provider: str, event: ProviderEvent) -> bool:
    """Apply a verified notification; return False when it must wait (kept for later)."""
    if event.kind in (
        EventKind.PAYMENT_SUCCEEDED,
        EventKind.PAYMENT_PROCESSING,
        EventKind.PAYMENT_FAILED,
    ):
        payment = payment_for_event(provider, event)
        if payment is None:
            return False
        if event.kind == EventKind.PAYMENT_SUCCEEDED:
            capture(
                payment,
                amount_minor=event.amount_minor,
                payment_id=event.payment_id,
                card_brand=event.card_brand,
                card_last4=event.card_last4,
                token=event.token,
            )
        elif event.kind == EventKind.PAYMENT_PROCESSING:
            mark_processing(payment)
        else:
            fail(
                payment,
                code=event.failure_code or "failed",
                message=event.reason or "The payment failed.",
            )
        return True
    if event.kind in (EventKind.REFUND_SUCCEEDED, EventKind.REFUND_FAILED):
        return _apply_refund(provider, event)
    if event.kind == EventKind.DISPUTE_OPENED:
        return _apply_dispute(provider, event)
    if event.kind in (EventKind.TRANSFER_PAID, EventKind.TRANSFER_FAILED):
        return _apply_transfer(provider, event)
    return True


def _apply_refund(provider: str, event: ProviderEvent) -> bool:
    if not event.object_id:
        return True
    known = (
        Refund.objects.filter(provider_refund_id=event.object_id, payment__provider=provider)
        .values_list("payment_id", flat=True)
        .first()
    )
    payment = lock_payment(known) if known is not None else payment_for_event(provider, event)
    if payment is None or payment.status != Payment.Status.CAPTURED:
        return False
    refund = (
        Refund.objects.select_for_update()
        .filter(payment=payment, provider_refund_id=event.object_id)
        .first()
    )
    if refund is None:
        # A refund made at the provider (its dashboard, or a crash before it was recorded).
        failed = event.kind == EventKind.REFUND_FAILED
        amount = event.amount_minor
        if not failed and (amount <= 0 or payment.refunded_minor + amount > payment.captured_minor):
            logger.warning("Refund %s does not fit payment %s.", event.object_id, payment.pk)
            return False
        refund = Refund.objects.create(
            payment=payment,
            idempotency_key=f"{provider}:{event.object_id}"[:100],
            amount_minor=amount,
            reason=PROVIDER_REFUND_REASON,
            status=Refund.Status.FAILED if failed else Refund.Status.PENDING,
            provider_refund_id=event.object_id,
        )
        if failed:
            return True
        payment.refunded_minor += amount
        payment.save(update_fields=["refunded_minor", "updated_at"])
    refund_settle(payment, refund, succeeded=event.kind == EventKind.REFUND_SUCCEEDED)
    return True


def refund_settle(payment: Payment, refund: Refund, *, succeeded: bool) -> bool:
    """Record a refund's outcome on the locked payment; return whether it changed."""
    if succeeded:
        if refund.status != Refund.Status.PENDING:
            return False
        refund.status = Refund.Status.SUCCEEDED
        refund.save(update_fields=["status", "updated_at"])
        publish(
            RefundSucceeded(
                refund_id=refund.pk,
                payment_id=payment.pk,
                amount_minor=refund.amount_minor,
                context=refund.context,
            )
        )
        return True
    if refund.status == Refund.Status.FAILED:
        return False
    payment.refunded_minor = max(0, payment.refunded_minor - refund.amount_minor)
    payment.save(update_fields=["refunded_minor", "updated_at"])
    refund.status = Refund.Status.FAILED
    refund.save(update_fields=["status", "updated_at"])
    publish(
        RefundFailed(
            refund_id=refund.pk,
            payment_id=payment.pk,
            amount_minor=refund.amount_minor,
            context=refund.context,
        )
    )
    return True


def _apply_dispute(provider: str, event: ProviderEvent) -> bool:
    if not event.object_id:
        return True
    payment = payment_for_event(provider, event)
    if payment is None or payment.status != Payment.Status.CAPTURED:
        return False
    if Chargeback.objects.filter(provider_dispute_id=event.object_id).exists():
        return True
    amount = min(event.amount_minor or payment.captured_minor, payment.captured_minor)
    chargeback = Chargeback.objects.create(
        payment=payment,
        provider_dispute_id=event.object_id,
        amount_minor=amount,
        reason=event.reason[:100],
    )
    payment.disputed_minor += amount
    payment.save(update_fields=["disputed_minor", "updated_at"])
    publish(
        ChargebackOpened(chargeback_id=chargeback.pk, payment_id=payment.pk, amount_minor=amount)
    )
    return True


def _apply_deferred(payment: Payment) -> None:
    """Apply the refunds and disputes that were reported before the capture."""
    if not payment.provider_payment_id:
        return
    waiting = WebhookEvent.objects.select_for_update().filter(
        provider=payment.provider,
        processed_at__isnull=True,
        error="",
        payload__payment_id=payment.provider_payment_id,
    )
    for stored in waiting.order_by("received_at", "id"):
        try:
            event = event_from_payload(stored.payload)
        except UnreadableEvent as error:
            # One unreadable row must not stop the capture, nor the rows after it.
            set_aside(stored, error)
            continue
        if event.kind in _AFTER_CAPTURE and apply_event(payment.provider, event):
            stored.processed_at = clock.now()
            stored.save(update_fields=["processed_at"])


def set_aside(stored: WebhookEvent, error: UnreadableEvent) -> None:
    """Mark a stored notification that cannot be read, so nothing retries it again."""
    stored.error = str(error)[:255]
    stored.save(update_fields=["error"])
    logger.warning(
        "Stored %s notification %s (%s) cannot be read and is set aside: %s",
        stored.provider,
        stored.event_id,
        stored.type,
        stored.error,
    )


# --- Transfers ----------------------------------------------------------------------------


def _apply_transfer(provider: str, event: ProviderEvent) -> bool:
    pk = (
        Transfer.objects.filter(provider=provider, provider_transfer_id=event.object_id)
        .values_list("pk", flat=True)
        .first()
    )
    if not event.object_id or pk is None:
        return False
    transfer = Transfer.objects.select_for_update().get(pk=pk)
    transfer_settle(
        transfer,
        paid=event.kind == EventKind.TRANSFER_PAID,
        failure_message=event.reason or "The bank refused the transfer.",
    )
    return True


def transfer_settle(transfer: Transfer, *, paid: bool, failure_message: str = "") -> bool:
    """Record a transfer's outcome; a refusal after payment (a return) makes it failed."""
    if paid:
        if transfer.status != Transfer.Status.PENDING:
            return False
        transfer.status = Transfer.Status.PAID
        transfer.save(update_fields=["status", "updated_at"])
        publish(TransferPaid(transfer_id=transfer.pk))
        return True
    if transfer.status == Transfer.Status.FAILED:
        return False
    transfer.status = Transfer.Status.FAILED
    transfer.failure_message = failure_message[:255]
    transfer.save(update_fields=["status", "failure_message", "updated_at"])
    publish(TransferFailed(transfer_id=transfer.pk))
    return True
