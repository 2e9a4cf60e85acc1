"""Payments, refunds, chargebacks and transfers, as the payment provider reports them.

Card data never reaches the platform (COLLECT-2, PCI DSS SAQ-A): the buyer pays on the
provider's page, and only the provider's token, the card brand and its last four digits
are stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.accounts.models import Seller
from recommerce.platform.models import TimeStampedModel


class Payment(TimeStampedModel):
    """One buyer payment for one checkout (``reference``), through one provider."""

    class Status(models.TextChoices):
        CREATED = "created", "Created"
        PENDING = "pending", "Waiting for the buyer"
        PROCESSING = "processing", "Processing"
        CAPTURED = "captured", "Paid"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Plan(models.TextChoices):
        FULL = "full", "Pay now"
        X3 = "x3", "3 instalments"
        X4 = "x4", "4 instalments"

    reference = models.CharField(max_length=64, db_index=True, help_text="What it pays for")
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider = models.CharField(max_length=32)
    provider_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    provider_payment_id = models.CharField(max_length=255, blank=True, db_index=True)
    redirect_url = models.URLField(max_length=1000, blank=True)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    plan = models.CharField(max_length=8, choices=Plan.choices, default=Plan.FULL)
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    captured_minor = models.PositiveIntegerField(default=0)
    refunded_minor = models.PositiveIntegerField(default=0)
    disputed_minor = models.PositiveIntegerField(default=0)
    # What the provider tells about the means of payment: never the card number.
    provider_token = models.CharField(max_length=255, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    # When reconciliation last asked the provider: the least recently asked go first, so a
    # long queue of abandoned pages never starves a payment that was just made.
    provider_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_minor__lte=models.F("captured_minor")),
                name="payment_refunds_within_capture",
            ),
            models.CheckConstraint(
                condition=models.Q(captured_minor__lte=models.F("amount_minor")),
                name="payment_capture_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} payment {self.pk} · {self.reference} · {self.status}"

    @property
    def refundable_minor(self) -> int:
        """Return what can still be refunded: captured, less refunds and disputed amounts."""
        # Refunds and disputes are recorded as the provider reports them, so together they
        # can exceed the capture (a dispute opened on an already refunded payment).
        return max(0, self.captured_minor - self.refunded_minor - self.disputed_minor)


class InstalmentPlan(TimeStampedModel):
    """A credit partner's acceptance of paying a payment in instalments."""

    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="instalments")
    partner = models.CharField(max_length=32)
    partner_reference = models.CharField(max_length=100)
    count = models.PositiveSmallIntegerField()
    schedule = models.JSONField(default=list, help_text="[{due: ISO date, amount_minor: int}]")

    def __str__(self) -> str:
        return f"{self.count} instalments via {self.partner}"


class Refund(TimeStampedModel):
    """Money sent back to the buyer on a payment (full or partial)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"

    class Reason(models.TextChoices):
        """Why the money went back, as an accounting record keeps it: a code, never the
        buyer's or a seller's own words (the record is kept 10 years)."""

        ORDER_CANCELLED = "order_cancelled", "Order cancelled"
        HOLD_REJECTED = "hold_rejected", "Order refused after review"
        REVIEW_LAPSED = "review_lapsed", "Order not reviewed in time"
        NOT_SHIPPED = "not_shipped", "Order not shipped in time"
        ORDER_REFUND = "order_refund", "Refund on the order"
        CLAIM_RETURN = "claim_return", "Returned under a claim"
        CLAIM = "claim", "Refund after a claim"
        NOT_FULFILLED = "not_fulfilled", "Payment not turned into an order"
        PROVIDER = "provider", "Refunded at the payment provider"
        OTHER = "other", "Refund"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=100, unique=True)
    amount_minor = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.OTHER)
    context = models.CharField(max_length=64, blank=True, help_text="e.g. the order number")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_refund_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Refund {self.amount_minor} on payment {self.payment_id}"


class Chargeback(TimeStampedModel):
    """A buyer's bank disputed a payment; the amount is taken back from the marketplace."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="chargebacks")
    provider_dispute_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveIntegerField()
    reason = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    def __str__(self) -> str:
        return f"Chargeback {self.provider_dispute_id} on payment {self.payment_id}"


class Transfer(TimeStampedModel):
    """Money sent to a seller's bank account through the provider (a payout's execution)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="transfers")
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider = models.CharField(max_length=32)
    provider_transfer_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    failure_message = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Transfer {self.amount_minor} {self.currency} to seller {self.seller_id}"


class WebhookEvent(models.Model):
    """A provider notification, stored once per provider event id (duplicates are no-ops)."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=64)
    # Indexed: the rights engine finds a person's notifications by their payments' ids.
    object_id = models.CharField(
        max_length=255, blank=True, db_index=True, help_text="Payment/refund id"
    )
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Set when the stored facts cannot be read back (a row an older version wrote, or one
    # edited by hand): the row is set aside for a person and never retried.
    error = models.CharField(
        max_length=255, blank=True, help_text="Why the stored notification cannot be applied"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"


class SandboxSession(TimeStampedModel):
    """The offline sandbox provider's own state for one hosted payment page.

    It stands for the provider's systems: the platform's tables above never read it.
    Only the brand and last four digits of a test card are kept, as a provider would
    show them; the number typed on the page is not stored.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CHALLENGE = "challenge", "Waiting for 3-D Secure"
        PROCESSING = "processing", "Processing"
        SUCCEEDED = "succeeded", "Succeeded"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    public_id = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    merchant_reference = models.CharField(max_length=64)
    description = models.CharField(max_length=200, blank=True)
    return_url = models.URLField(max_length=1000)
    cancel_url = models.URLField(max_length=1000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    payment_intent_id = models.CharField(max_length=64, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    decline_code = models.CharField(max_length=64, blank=True)
    challenge_code = models.CharField(max_length=6, blank=True)
    confirm_after = models.DateTimeField(
        null=True, blank=True, help_text="When a processing payment counts as succeeded"
    )
    refunded_minor = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"sandbox {self.public_id} {self.status}"


class SandboxOutbox(models.Model):
    """A signed event the sandbox provider still has to deliver (retried until accepted)."""

    event_id = models.CharField(max_length=64, unique=True)
    body = models.TextField()
    deliver_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deliver_after", "id"]

    def __str__(self) -> str:
        return f"sandbox event {self.event_id}"
