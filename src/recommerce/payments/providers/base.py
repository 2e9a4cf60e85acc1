"""The payment provider interface: hosted payment pages, refunds, transfers, webhooks.

Implementations: ``sandbox.SandboxPaymentProvider`` (offline, inside the app, the
default) and ``stripe.StripePaymentProvider`` (Stripe's official SDK). Checkout, refunds
and payouts only ever talk to this interface, through ``payments.services``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from recommerce.platform.providers import ProviderError


class InvalidWebhook(ProviderError):
    """A notification whose signature, secret or timestamp does not check out."""


class SessionState(enum.StrEnum):
    OPEN = "open"  # the buyer has not finished
    PROCESSING = "processing"  # paid, confirmation still to come
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class HostedSession:
    """A payment page opened at the provider for one payment."""

    session_id: str
    redirect_url: str


@dataclass(frozen=True, slots=True)
class SessionStatus:
    """What the provider says about a session when asked (return page, reconciliation)."""

    session_id: str
    state: SessionState
    payment_id: str = ""
    amount_minor: int = 0
    currency: str = ""
    card_brand: str = ""
    card_last4: str = ""
    token: str = ""
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True, slots=True)
class RefundResult:
    refund_id: str
    succeeded: bool  # False: pending, a webhook confirms later
    failure_message: str = ""


@dataclass(frozen=True, slots=True)
class TransferResult:
    transfer_id: str
    paid: bool
    failure_message: str = ""


class EventKind(enum.StrEnum):
    """The notifications the platform acts on, whatever the provider calls them."""

    PAYMENT_PROCESSING = "payment.processing"  # paid, the money still on its way
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_FAILED = "refund.failed"
    DISPUTE_OPENED = "dispute.opened"
    TRANSFER_PAID = "transfer.paid"
    TRANSFER_FAILED = "transfer.failed"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A verified webhook notification, translated into the platform's terms."""

    event_id: str
    kind: EventKind
    provider_type: str  # the provider's own event type, as received
    session_id: str = ""
    payment_id: str = ""
    object_id: str = ""  # refund, dispute or transfer id
    amount_minor: int = 0
    currency: str = ""
    card_brand: str = ""
    card_last4: str = ""
    token: str = ""
    failure_code: str = ""
    reason: str = ""
    created: int = 0  # provider's timestamp (seconds), to order events
    raw: Mapping[str, object] = field(default_factory=dict)


class PaymentProvider(Protocol):
    """What every payment provider implementation offers."""

    name: str

    def session_create(
        self,
        *,
        amount_minor: int,
        currency: str,
        reference: str,
        description: str,
        customer_email: str,
        return_url: str,
        cancel_url: str,
        idempotency_key: str,
    ) -> HostedSession:
        """Open a hosted payment page; the same idempotency key returns the same session."""
        ...

    def session_status(self, *, session_id: str) -> SessionStatus:
        """Ask the provider for the current state of a session."""
        ...

    def refund_create(
        self, *, payment_id: str, amount_minor: int, idempotency_key: str
    ) -> RefundResult: ...

    def transfer_create(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        description: str,
        idempotency_key: str,
    ) -> TransferResult: ...

    def payout_destination(self, *, seller_id: int, iban: str) -> str:
        """Return where a transfer to this seller goes: its bank account or its account here.

        Raises ``ProviderError`` when the seller cannot be paid through this provider yet.
        """
        ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Tell the payment provider that the person behind ``references`` had their data erased.

        ``references`` are the platform's references the payment provider received (order numbers).
        Raises ``ProviderUnavailable`` when the payment provider cannot be reached, so the erasure's
        notice stays pending and is retried.
        """
        ...

    def webhook_verify(self, *, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Check the signature and timestamp of a notification and translate it.

        Raises ``InvalidWebhook`` for a missing, wrong or stale signature.
        """
        ...
