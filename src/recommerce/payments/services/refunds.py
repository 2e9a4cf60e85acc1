"""Send money back to a buyer through the provider."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.payments.models import Payment, Refund
from recommerce.payments.services import transitions
from recommerce.payments.services.payments import MAX_KEY_LENGTH, payment_provider
from recommerce.platform.money import format_money
from recommerce.platform.providers import ProviderError
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record


@transaction.atomic
def refund_create(
    *,
    payment: Payment,
    amount_minor: int,
    idempotency_key: str,
    reason: str = Refund.Reason.OTHER,
    context: str = "",
) -> Refund:
    """Refund ``amount_minor`` of a captured payment; the same key returns the same refund.

    ``reason`` is a ``Refund.Reason`` code; anything else is kept as ``other``, so no
    person's own words reach the accounting record. The payment row stays locked from
    the check to the record, so concurrent refunds can never add up to more than was
    captured. The provider gets the key too, so a
    retry after a lost answer refunds once. The outcome usually arrives later, by
    notification (``RefundSucceeded``).
    """
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        raise ValidationError(f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.")
    code = reason if reason in Refund.Reason.values else Refund.Reason.OTHER
    locked = transitions.lock_payment(payment.pk)
    earlier = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if earlier is not None:
        if earlier.payment_id != locked.pk or earlier.amount_minor != amount_minor:
            raise ValidationError("This idempotency key was already used for another refund.")
        return earlier
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationError({"amount_minor": "A refund is a positive amount."})
    if locked.status != Payment.Status.CAPTURED:
        raise ValidationError("Only a captured payment can be refunded.")
    if amount_minor > locked.refundable_minor:
        most = format_money(locked.refundable_minor, locked.currency)
        raise ValidationError({"amount_minor": f"At most {most} can be refunded."})
    provider = payment_provider()
    if provider.name != locked.provider:
        raise ProviderError(
            f"This payment was made through {locked.provider}, which is not configured.",
            code="provider_mismatch",
        )
    result = provider.refund_create(
        payment_id=locked.provider_payment_id,
        amount_minor=amount_minor,
        idempotency_key=idempotency_key,
    )
    disclosure_record(
        subject=locked.payer,
        recipient_kind=Disclosure.RecipientKind.PAYMENT_PROVIDER,
        recipient=f"payment provider ({provider.name})",
        fields=["amount_minor"],
        purpose=purposes.SERVICE_PAYMENTS,
        reference=locked.reference,
    )
    refund = (
        Refund.objects.select_for_update()
        .filter(payment=locked, provider_refund_id=result.refund_id)
        .first()
    )
    if refund is not None:
        # Its notification came first (e.g. after a crash before this record): adopt it.
        refund.idempotency_key = idempotency_key
        refund.reason = code
        refund.context = context[:64]
        refund.save(update_fields=["idempotency_key", "reason", "context", "updated_at"])
    else:
        refund = Refund.objects.create(
            payment=locked,
            idempotency_key=idempotency_key,
            amount_minor=amount_minor,
            reason=code,
            context=context[:64],
            provider_refund_id=result.refund_id,
        )
        locked.refunded_minor += amount_minor
        locked.save(update_fields=["refunded_minor", "updated_at"])
    if result.succeeded:
        transitions.refund_settle(locked, refund, succeeded=True)
    elif result.failure_message:
        transitions.refund_settle(locked, refund, succeeded=False)
    return refund
