"""Conversations: buyer and seller about an order, or a person and customer service."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.accounts.models import Seller
from recommerce.orders.models import Order
from recommerce.privacy.encryption.files import sealed_storage
from recommerce.support.models.claims import Claim


class Conversation(models.Model):
    """A thread of messages.

    ``order``: one per order, between the buyer and the seller; customer service joins when
    a claim on the order is escalated. ``support``: a person's chat with customer service,
    from an order or a claim. A support chat with a person who objected to recording
    (CONSENT-6) is ``recorded=False``: its messages are deleted when it closes and only the
    note customer service writes for the claim stays.
    """

    class Kind(models.TextChoices):
        ORDER = "order", "Buyer and seller"
        SUPPORT = "support", "Customer service chat"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="conversations"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    recorded = models.BooleanField(default=True)
    staff_joined_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-last_message_at"]),
            models.Index(fields=["seller", "-last_message_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(kind="order"), name="conversation_per_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} conversation {self.pk}"


class Message(models.Model):
    """One message; contact details typed into it are masked before anyone reads it."""

    class Side(models.TextChoices):
        BUYER = "buyer", "Buyer"
        SELLER = "seller", "Seller"
        STAFF = "staff", "Customer service"
        SYSTEM = "system", "Recommerce"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    masked = models.JSONField(default=list, blank=True, help_text="Kinds of details hidden")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"support/attachments/{instance.message.conversation_id}/{filename}"


class Attachment(models.Model):
    """A file sent with a message: checked by its content, encrypted, never public."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=sealed_storage, max_length=200)
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class CallNote(models.Model):
    """What customer service noted of a phone call with a person.

    ``recording_reference`` points at the call's recording in the telephony system; it is
    refused for a person who objected to recording (CONSENT-6).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_notes"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="call_notes"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField()
    recording_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"call note {self.pk}"
