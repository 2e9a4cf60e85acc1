"""Events payments publishes; orders and checkout subscribe (they sit above payments)."""

from __future__ import annotations

from dataclasses import dataclass

from recommerce.platform.events import Event


@dataclass(frozen=True)
class PaymentCaptured(Event):
    payment_id: int
    reference: str


@dataclass(frozen=True)
class PaymentFailed(Event):
    payment_id: int
    reference: str


@dataclass(frozen=True)
class RefundSucceeded(Event):
    refund_id: int
    payment_id: int
    amount_minor: int
    context: str


@dataclass(frozen=True)
class RefundFailed(Event):
    """A refund the provider could not complete: the amount is refundable again."""

    refund_id: int
    payment_id: int
    amount_minor: int
    context: str


@dataclass(frozen=True)
class ChargebackOpened(Event):
    chargeback_id: int
    payment_id: int
    amount_minor: int


@dataclass(frozen=True)
class TransferPaid(Event):
    transfer_id: int


@dataclass(frozen=True)
class TransferFailed(Event):
    transfer_id: int
