"""The privacy core's logs: changes to personal data, staff access (SEC-1), disclosures
(SHARE-5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to a person's data: who did it, to whom, what, which fields (never values)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class StaffAccess(models.Model):
    """A staff member looked at a person's personal data (SEC-1); the DPO reads these."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField(max_length=120)
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "staff access log"
        permissions = [
            ("read_access_log", "Can read the staff access log"),
            ("read_sensitive_data", "Can read decrypted sensitive data (each read is logged)"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} viewed {self.what} of {self.subject_id}"


class Disclosure(models.Model):
    """One disclosure of a person's data to a party outside the platform (SHARE-5).

    Written by the adapter that sends the data, so the log cannot miss a send: the seller
    that fulfils an order, the carrier, the payment provider, the insurer, a credit partner.
    ``fields`` lists field names, never values.
    """

    class RecipientKind(models.TextChoices):
        SELLER = "seller", "Seller"
        CARRIER = "carrier", "Carrier"
        PAYMENT_PROVIDER = "payment_provider", "Payment provider"
        INSURER = "insurer", "Insurer"
        CREDIT_PARTNER = "credit_partner", "Credit partner"
        FRAUD_SERVICE = "fraud_service", "Fraud prevention service"
        AUTHORITY = "authority", "Public authority"
        AD_PARTNER = "ad_partner", "Advertising partner"
        IDENTITY_SERVICE = "identity_service", "Identity-verification service"
        DEVICE_CHECK = "device_check", "Device activation-lock service"

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    recipient = models.CharField(max_length=150, help_text="Who received it, e.g. the seller")
    fields = models.JSONField(default=list)
    purpose = models.CharField(max_length=64)
    legal_basis = models.CharField(max_length=40)
    reference = models.CharField(max_length=64, blank=True, help_text="e.g. the order number")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} received {', '.join(self.fields)} ({self.reference})"
