"""Checkout's reactions to payment events."""

from __future__ import annotations

from recommerce.checkout.services.completion import checkout_complete
from recommerce.payments.events import PaymentCaptured
from recommerce.payments.models import Payment
from recommerce.platform.events import subscribe


@subscribe(PaymentCaptured)
def place_orders_when_paid(event: PaymentCaptured) -> None:
    payment = Payment.objects.filter(pk=event.payment_id).first()
    if payment is not None:
        # A failure here leaves a paid checkout without orders; reconciliation retries it.
        checkout_complete(payment=payment)
