"""Pay sellers: transfers to their bank account through the provider."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommerce.accounts.models import Seller
from recommerce.payments.models import Transfer
from recommerce.payments.services import transitions
from recommerce.payments.services.payments import MAX_KEY_LENGTH, payment_provider
from recommerce.privacy import purposes
from recommerce.privacy.services.sensitive import sensitive_read


@transaction.atomic
def transfer_create(
    *,
    seller: Seller,
    amount_minor: int,
    currency: str,
    idempotency_key: str,
    description: str,
) -> Transfer:
    """Send ``amount_minor`` to the seller's bank account; the same key pays once.

    The bank details are decrypted here only, for the provider. Sellers are companies,
    so no personal data is disclosed. Raises ``ProviderError`` when the provider refuses;
    nothing is then recorded and the same key can be tried again.
    """
    errors: dict[str, str] = {}
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        errors["amount_minor"] = "A transfer is a positive whole number of minor units."
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        errors["currency"] = "A currency is a three-letter ISO 4217 code, such as EUR."
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        errors["idempotency_key"] = f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    provider = payment_provider()
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                seller=seller,
                idempotency_key=idempotency_key,
                provider=provider.name,
                amount_minor=amount_minor,
                currency=currency,
            )
    except IntegrityError:
        transfer = Transfer.objects.get(idempotency_key=idempotency_key)
        if (transfer.seller_id, transfer.amount_minor, transfer.currency) != (
            seller.pk,
            amount_minor,
            currency,
        ):
            raise ValidationError(
                "This idempotency key was already used for another transfer."
            ) from None
        return transfer
    iban = sensitive_read(
        model=Seller, pk=seller.pk, field="iban", purpose=purposes.SERVICE_PAYMENTS
    )
    result = provider.transfer_create(
        amount_minor=amount_minor,
        currency=currency,
        destination=provider.payout_destination(seller_id=seller.pk, iban=iban),
        description=description[:200],
        idempotency_key=idempotency_key,
    )
    transfer.provider_transfer_id = result.transfer_id
    transfer.save(update_fields=["provider_transfer_id", "updated_at"])
    if result.paid:
        transitions.transfer_settle(transfer, paid=True)
    elif result.failure_message:
        transitions.transfer_settle(transfer, paid=False, failure_message=result.failure_message)
    return transfer
