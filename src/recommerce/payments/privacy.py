"""Personal data held by payments: who paid, and what the provider says about the card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils import dateformat, timezone

from recommerce.payments.models import (
    Chargeback,
    InstalmentPlan,
    Payment,
    Refund,
    SandboxOutbox,
    SandboxSession,
    Transfer,
    WebhookEvent,
)
from recommerce.payments.services.payments import credit_partner, payment_provider
from recommerce.privacy import purposes
from recommerce.privacy.registry import (
    Blocker,
    Erasure,
    Retention,
    not_personal,
    personal,
    registry,
)

ACCOUNTING = Retention.in_years(10, starts="the payment")
PROVIDER_LOG = Retention(days=400, starts="the notification")

registry.register(
    Payment,
    personal(
        "payer",
        "amount_minor",
        "captured_minor",
        "refunded_minor",
        "disputed_minor",
        "captured_at",
        "created_at",
        category="user.financial.payment",
        subject="payer",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Payments",
        recipients=["payment provider"],
    ),
    personal(
        "provider_token",
        "card_brand",
        "card_last4",
        category="user.financial.card",
        subject="payer",
        purposes=[purposes.SERVICE_PAYMENTS],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.DELETE,
        export_label="Card used (brand and last four digits)",
    ),
    not_personal(
        "id",
        "reference",
        "idempotency_key",
        "provider",
        "provider_session_id",
        "provider_payment_id",
        "redirect_url",
        "status",
        "plan",
        "currency",
        "failure_code",
        "failure_message",
        "provider_checked_at",
        "updated_at",
        reason="the payment's processing state",
    ),
)
registry.register(
    InstalmentPlan,
    personal(
        "payment",
        "schedule",
        "count",
        category="user.financial.credit",
        subject="payment__payer",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Instalment plans",
        recipients=["credit partner"],
    ),
    not_personal("id", "partner", "partner_reference", "created_at", "updated_at"),
)
registry.register(
    Refund,
    personal(
        "payment",
        "amount_minor",
        "reason",
        "created_at",
        category="user.financial.payment",
        subject="payment__payer",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Refunds",
    ),
    not_personal("id", "idempotency_key", "context", "status", "provider_refund_id", "updated_at"),
)
registry.register(
    Chargeback,
    personal(
        "payment",
        "amount_minor",
        "reason",
        "created_at",
        category="user.financial.dispute",
        subject="payment__payer",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.FRAUD_PREVENTION],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Payment disputes",
    ),
    not_personal("id", "provider_dispute_id", "status", "updated_at"),
)
registry.register(
    Transfer,
    not_personal(
        "id",
        "seller",
        "idempotency_key",
        "provider",
        "provider_transfer_id",
        "amount_minor",
        "currency",
        "status",
        "failure_message",
        "created_at",
        "updated_at",
        reason="payments to seller companies",
    ),
)


def _webhook_subject(user: Any) -> Q:
    """Match the notifications naming one of the person's payments, refunds or disputes.

    A stored notification names its object by the provider's id for it: the checkout
    session for a payment's events, the payment intent for some, the refund or dispute id
    for those.
    """
    payments = Payment.objects.filter(payer=user.pk)
    named = (
        payments.exclude(provider_session_id="").values("provider_session_id"),
        payments.exclude(provider_payment_id="").values("provider_payment_id"),
        Refund.objects.filter(payment__payer=user.pk)
        .exclude(provider_refund_id="")
        .values("provider_refund_id"),
        Chargeback.objects.filter(payment__payer=user.pk).values("provider_dispute_id"),
    )
    found = Q(pk__in=[])
    for ids in named:
        found |= Q(object_id__in=ids)
    return found


registry.register(
    WebhookEvent,
    personal(
        "payload",
        category="user.financial.payment",
        subject=_webhook_subject,
        subject_note="the payer of the payment or refund it names",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.LEGAL_ACCOUNTING],
        retention=PROVIDER_LOG.counted_from("received_at"),
        erasure=Erasure.DELETE,
        exported=False,
    ),
    not_personal(
        "id", "provider", "event_id", "type", "object_id", "received_at", "processed_at", "error"
    ),
)
registry.register(
    SandboxSession,
    not_personal(
        "id",
        "public_id",
        "idempotency_key",
        "amount_minor",
        "currency",
        "merchant_reference",
        "description",
        "return_url",
        "cancel_url",
        "status",
        "payment_intent_id",
        "card_brand",
        "card_last4",
        "decline_code",
        "challenge_code",
        "confirm_after",
        "refunded_minor",
        "created_at",
        "updated_at",
        reason="the offline sandbox provider's test data (test cards, no real person)",
    ),
)
registry.register(
    SandboxOutbox,
    not_personal(
        "id",
        "event_id",
        "body",
        "deliver_after",
        "attempts",
        "delivered_at",
        "last_error",
        "created_at",
        reason="the offline sandbox provider's test notifications",
    ),
)


# --- Rights engine hooks -------------------------------------------------------------------


def _open_payments(user: Any) -> list[Blocker]:
    found = []
    if Payment.objects.filter(
        payer=user.pk, status__in=(Payment.Status.PENDING, Payment.Status.PROCESSING)
    ).exists():
        found.append(
            Blocker(
                "A payment is being processed.",
                "when the payment provider accepts or refuses it, usually within minutes; "
                "an abandoned payment page expires with its checkout",
            )
        )
    disputes = Chargeback.objects.filter(payment__payer=user.pk, status=Chargeback.Status.OPEN)
    opened = disputes.aggregate(last=Max("created_at"))["last"]
    if opened is not None:
        usually = timezone.localdate(opened) + dt.timedelta(days=settings.PAYMENTS_DISPUTE_DAYS)
        found.append(
            Blocker(
                "A payment dispute is open: the law lets us keep your data until it is settled.",
                "when your bank decides the dispute, which card networks give it "
                f"{settings.PAYMENTS_DISPUTE_DAYS} days to do: usually by "
                f"{dateformat.format(usually, 'j F Y')}",
                usually,
            )
        )
    return found


registry.add_erasure_blocker(_open_payments)
registry.add_recipient_notifier(
    "payment_provider",
    lambda recipient, references: payment_provider().erasure_notify(references=references),
)
registry.add_recipient_notifier(
    "credit_partner",
    lambda recipient, references: credit_partner().erasure_notify(references=references),
)

# How a person's export summary shows a payment, with its plan, refunds and disputes inside.
registry.present(
    Payment,
    title={"en": "Payments", "fr": "Paiements"},
    heading={"en": "Payment {reference}", "fr": "Paiement {reference}"},
    context={"reference": "reference", "status": "status"},
    currency="currency",
)
registry.present(
    InstalmentPlan,
    title={"en": "Instalment plan", "fr": "Paiement en plusieurs fois"},
    within="payment",
)
registry.present(Refund, title={"en": "Refunds", "fr": "Remboursements"}, within="payment")
registry.present(Chargeback, title={"en": "Disputes", "fr": "Contestations"}, within="payment")
