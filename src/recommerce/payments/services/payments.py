"""Start a payment at the provider, and bring it up to date by asking the provider."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommerce.payments.models import InstalmentPlan, Payment
from recommerce.payments.providers.base import PaymentProvider
from recommerce.payments.providers.credit import CreditDecision, CreditPartner
from recommerce.payments.selectors import payments_awaiting_provider
from recommerce.payments.services import transitions
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, get_provider
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record

if TYPE_CHECKING:
    from recommerce.accounts.models import User

logger = logging.getLogger(__name__)

INSTALMENT_COUNTS = {Payment.Plan.X3: 3, Payment.Plan.X4: 4}
DECLINED_CODE = "instalments_declined"
MAX_KEY_LENGTH = 100


class InstalmentsDeclined(ProviderError):
    """The credit partner refused the instalment plan: nothing was charged."""


def payment_provider() -> PaymentProvider:
    """Return the configured payment provider."""
    return cast(PaymentProvider, get_provider("payments"))


def credit_partner() -> CreditPartner:
    """Return the configured credit partner (instalments)."""
    return cast(CreditPartner, get_provider("credit"))


def _check_start(
    *, reference: str, amount_minor: int, currency: str, plan: str, idempotency_key: str
) -> None:
    errors: dict[str, str] = {}
    if not reference or len(reference) > 64:
        errors["reference"] = "A payment names what it pays for in 1 to 64 characters."
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        errors["amount_minor"] = "A payment is a positive whole number of minor units."
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        errors["currency"] = "A currency is a three-letter ISO 4217 code, such as EUR."
    if plan not in Payment.Plan.values:
        errors["plan"] = "Choose to pay now, or in 3 or 4 instalments."
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        errors["idempotency_key"] = f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters."
    if errors:
        raise ValidationError(errors)


def _replay(payment: Payment, *, reference: str, amount_minor: int, currency: str) -> Payment:
    """Answer a repeated start as the first one was answered."""
    if (payment.reference, payment.amount_minor, payment.currency) != (
        reference,
        amount_minor,
        currency,
    ):
        raise ValidationError("This idempotency key was already used for another payment.")
    if payment.failure_code == DECLINED_CODE:
        raise InstalmentsDeclined(payment.failure_message, code=DECLINED_CODE)
    return payment


def payment_start(
    *,
    reference: str,
    amount_minor: int,
    currency: str,
    payer: User,
    plan: str,
    description: str,
    idempotency_key: str,
    return_url: str,
    cancel_url: str,
    buyer_country: str,
) -> Payment:
    """Open the provider's payment page for ``amount_minor``; return the pending payment.

    The same ``idempotency_key`` returns the same payment (and the provider, which gets
    the key too, the same session). For 3 or 4 instalments the credit partner decides
    first; a refusal raises ``InstalmentsDeclined`` and nothing is charged. Each party
    that receives the payer's data is recorded (SHARE-2, SHARE-5), even when the
    provider then fails, because the data was sent.
    """
    _check_start(
        reference=reference,
        amount_minor=amount_minor,
        currency=currency,
        plan=plan,
        idempotency_key=idempotency_key,
    )
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replay(existing, reference=reference, amount_minor=amount_minor, currency=currency)
    provider = payment_provider()
    problem: ProviderError | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    reference=reference,
                    idempotency_key=idempotency_key,
                    provider=provider.name,
                    payer=payer,
                    plan=plan,
                    amount_minor=amount_minor,
                    currency=currency,
                )
        except IntegrityError:
            # A concurrent start with the same key won; its answer is this one's answer.
            payment = Payment.objects.get(idempotency_key=idempotency_key)
            return _replay(
                payment, reference=reference, amount_minor=amount_minor, currency=currency
            )
        if plan in INSTALMENT_COUNTS:
            decision = _ask_credit_partner(
                payment, count=INSTALMENT_COUNTS[Payment.Plan(plan)], buyer_country=buyer_country
            )
            if not decision.accepted:
                # Kept as the answer to a repeat of this key; no event, as nothing started.
                payment.status = Payment.Status.FAILED
                payment.failure_code = DECLINED_CODE
                payment.failure_message = decision.reason[:255]
                payment.save()
                problem = InstalmentsDeclined(decision.reason, code=DECLINED_CODE)
        if problem is None:
            try:
                session = provider.session_create(
                    amount_minor=amount_minor,
                    currency=currency,
                    reference=reference,
                    description=description,
                    customer_email=payer.email,
                    return_url=return_url,
                    cancel_url=cancel_url,
                    idempotency_key=idempotency_key,
                )
            except ProviderError as error:
                # Free the key for a retry, but keep the record of what was already sent.
                payment.delete()
                problem = error
            else:
                disclosure_record(
                    subject=payer,
                    recipient_kind=Disclosure.RecipientKind.PAYMENT_PROVIDER,
                    recipient=f"payment provider ({provider.name})",
                    fields=["email", "amount_minor"],
                    purpose=purposes.SERVICE_PAYMENTS,
                    reference=reference,
                )
                payment.provider_session_id = session.session_id
                payment.redirect_url = session.redirect_url
                payment.status = Payment.Status.PENDING
                payment.save()
    if problem is not None:
        raise problem
    return payment


def _ask_credit_partner(payment: Payment, *, count: int, buyer_country: str) -> CreditDecision:
    partner = credit_partner()
    payer = payment.payer
    assert payer is not None
    decision = partner.decide(
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        count=count,
        buyer_email=payer.email,
        buyer_country=buyer_country,
    )
    disclosure_record(
        subject=payer,
        recipient_kind=Disclosure.RecipientKind.CREDIT_PARTNER,
        recipient=f"credit partner ({partner.name})",
        fields=["email", "amount_minor", "country"],
        purpose=purposes.SERVICE_PAYMENTS,
        reference=payment.reference,
    )
    if decision.accepted:
        InstalmentPlan.objects.create(
            payment=payment,
            partner=partner.name,
            partner_reference=decision.reference[:100],
            count=count,
            schedule=[
                {"due": due.isoformat(), "amount_minor": amount}
                for due, amount in decision.schedule
            ],
        )
    return decision


def payment_sync(*, payment: Payment) -> Payment:
    """Ask the provider where a payment stands and apply it as its notification would.

    Used by the buyer's return page and by reconciliation; raises ``ProviderError`` when
    the provider cannot answer. Each question is noted (``provider_checked_at``), answered
    or not, so reconciliation asks the others before asking this one again.
    """
    provider = payment_provider()
    if not payment.provider_session_id or payment.provider != provider.name:
        return Payment.objects.get(pk=payment.pk)
    try:
        status = provider.session_status(session_id=payment.provider_session_id)
    except ProviderError:
        Payment.objects.filter(pk=payment.pk).update(provider_checked_at=clock.now())
        raise
    with transaction.atomic():
        locked = transitions.lock_payment(payment.pk)
        transitions.apply_session_status(locked, status)
        locked.provider_checked_at = clock.now()
        locked.save(update_fields=["provider_checked_at"])
    return locked


# A payment confirmed while its notification is lost and its buyer never comes back is
# found by the next run (every minute) once it is this old; at most this many are asked
# about per run, so a provider is never asked more than about 100 times a minute.
RECONCILE_AFTER = dt.timedelta(minutes=1)
RECONCILE_BATCH = 100


def payments_reconcile(
    *, older_than: dt.timedelta = RECONCILE_AFTER, limit: int = RECONCILE_BATCH
) -> int:
    """Bring up to date the payments a lost notification left waiting; return how many moved.

    Notifications kept for later are applied first (an unreadable one is set aside, the
    rest still applied), then the provider is asked about at most ``limit`` payments
    still pending or processing after ``older_than``, the least recently asked first. A
    payment the provider cannot answer for, or whose capture fails downstream, is logged
    and the run goes on with the next.
    """
    from recommerce.payments.services.webhooks import webhook_events_retry

    moved = webhook_events_retry()
    for payment in list(payments_awaiting_provider(older_than=older_than)[:limit]):
        try:
            synced = payment_sync(payment=payment)
        except ProviderError:
            logger.warning("The provider could not say where payment %s stands.", payment.pk)
            continue
        except Exception:
            # e.g. placing the orders after the capture failed: the capture itself is
            # committed, and checkout's reconciliation places them on its next run.
            logger.exception("Payment %s could not be brought up to date.", payment.pk)
            continue
        moved += synced.status != payment.status
    return moved
