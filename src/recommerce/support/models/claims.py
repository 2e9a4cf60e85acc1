"""Claims: what a buyer asks for after delivery, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.orders.models import Order, OrderLine
from recommerce.payments.models import Refund
from recommerce.platform.models import TimeStampedModel


class Claim(TimeStampedModel):
    """One after-sales claim on one order (and, usually, one of its items).

    Its life: ``open`` (the seller answers by ``seller_due_at``) → ``proposed`` (the seller
    offered another outcome; the buyer agrees or escalates) → ``escalated`` (customer
    service decides) → ``returning`` (a prepaid label, the parcel on its way back) →
    ``inspecting`` (the seller has it: activation-lock check and inspection) → ``closed``
    with an ``outcome``. A device still locked to someone's account waits in ``locked``
    until a re-check finds it free (SEC-3).
    """

    class Kind(models.TextChoices):
        RETURN = "return", "Return (change of mind)"
        TRANSIT_DAMAGE = "transit_damage", "Damaged in transit"
        NOT_RECEIVED = "not_received", "Parcel not received"
        WARRANTY = "warranty", "Defect under warranty"
        NOT_AS_DESCRIBED = "not_as_described", "Not as described or wrong item"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the seller"
        PROPOSED = "proposed", "Seller proposed an outcome"
        ESCALATED = "escalated", "With customer service"
        RETURNING = "returning", "Device on its way back"
        INSPECTING = "inspecting", "Seller checking the device"
        LOCKED = "locked", "Device locked to an account"
        CLOSED = "closed", "Closed"

    class Resolution(models.TextChoices):
        """What the seller offers, the buyer agrees to, or customer service decides."""

        RETURN_REFUND = "return_refund", "Return the device for a refund"
        REPAIR = "repair", "Return the device for a repair"
        REPLACEMENT = "replacement", "Return the device for a replacement"
        REFUND = "refund", "Refund without return"
        PARTIAL_REFUND = "partial_refund", "Partial refund, keep the device"
        REJECT = "reject", "Claim refused"

    class Outcome(models.TextChoices):
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        REPAIRED = "repaired", "Repaired"
        REPLACED = "replaced", "Replaced"
        REJECTED = "rejected", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn by the buyer"

    class ReturnReason(models.TextChoices):
        CHANGED_MIND = "changed_mind", "I changed my mind"
        FOUND_CHEAPER = "found_cheaper", "I found it cheaper"
        NOT_COMPATIBLE = "not_compatible", "It does not work with my carrier or accessories"
        ORDERED_BY_MISTAKE = "ordered_by_mistake", "I ordered it by mistake"
        OTHER = "other", "Another reason"

    reference = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="claims")
    line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    reason_code = models.CharField(max_length=20, choices=ReturnReason.choices, blank=True)
    description = models.TextField(blank=True, help_text="The buyer's words")
    # The buyer's wish, the seller's answer and what was finally agreed or decided.
    requested = models.CharField(max_length=16, choices=Resolution.choices)
    proposal = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    proposal_amount_minor = models.PositiveIntegerField(default=0)
    proposal_note = models.TextField(blank=True)
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    resolution_amount_minor = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    decision_note = models.TextField(blank=True, help_text="Customer service's reasons")
    window_closes_on = models.DateField(help_text="Last day the claim could be opened")
    seller_due_at = models.DateTimeField(null=True, blank=True)
    seller_answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.CharField(max_length=10, blank=True, help_text="buyer, seller, auto")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The return parcel (a prepaid label from the carrier).
    return_carrier = models.CharField(max_length=32, blank=True)
    return_tracking_number = models.CharField(max_length=64, blank=True, db_index=True)
    return_shipped_at = models.DateTimeField(null=True, blank=True)
    return_received_at = models.DateTimeField(null=True, blank=True)
    # Identity: asked by customer service for a large claim or one the risk rules flag.
    risk_flagged = models.BooleanField(default=False)
    identity_required = models.BooleanField(default=False)
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "seller_due_at"]),
            models.Index(fields=["buyer", "-created_at"]),
        ]
        constraints = [
            # One open claim per item at a time; a closed one may be followed by another.
            models.UniqueConstraint(
                fields=["order", "line"],
                condition=~models.Q(status="closed"),
                name="claim_one_open_per_line",
            ),
        ]
        permissions = [
            ("decide_claim", "Can decide escalated claims and refund them"),
            ("view_identity_evidence", "Can open identity documents of claims"),
        ]

    def __str__(self) -> str:
        return self.reference


class ClaimEvent(models.Model):
    """One step of a claim, shown to both sides as its history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    side = models.CharField(max_length=8, help_text="buyer, seller, staff or system")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action}"


class DeviceCheck(models.Model):
    """An activation-lock check of a returned device (SEC-3), as the checking service said."""

    class Result(models.TextChoices):
        CLEAR = "clear", "Not linked to any account"
        LOCKED = "locked", "Linked to an account"
        UNAVAILABLE = "unavailable", "Service unavailable"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="device_checks")
    identifier = models.CharField(max_length=32, help_text="The IMEI or serial checked")
    provider = models.CharField(max_length=32)
    result = models.CharField(max_length=12, choices=Result.choices)
    lock_kind = models.CharField(max_length=16, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.result}"
