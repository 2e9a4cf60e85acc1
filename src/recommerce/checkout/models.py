"""Carts, and checkouts that reserve stock until the payment is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.accounts.models import Company, Seller
from recommerce.offers.models import Offer
from recommerce.payments.models import Payment
from recommerce.platform.models import TimeStampedModel


class Cart(TimeStampedModel):
    """A buyer's cart: a signed-in person's, or an anonymous session's until sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(session_key__isnull=False),
                name="cart_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(models.Model):
    """Units of one offer in a cart, with the price the buyer saw when adding it."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    price_seen_minor = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "offer"], name="cart_line_once_per_offer"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="cart_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x offer {self.offer_id}"


class Checkout(TimeStampedModel):
    """One purchase in progress: the cart's lines frozen, their stock reserved, one payment.

    Stock is taken from the offers when the checkout starts and given back if it expires,
    fails or is abandoned; a captured payment turns it into one order per seller.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAYING = "paying", "Waiting for payment"
        COMPLETED = "completed", "Completed"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"
        BLOCKED = "blocked", "Refused by the risk check"

    class Risk(models.TextChoices):
        UNCHECKED = "", "Not checked"
        APPROVE = "approve", "Approved"
        REVIEW = "review", "Held for review"
        BLOCK = "block", "Blocked"

    reference = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts"
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3)
    delivery = models.JSONField(default=dict, help_text="Delivery address copied at checkout")
    billing = models.JSONField(default=dict, help_text="Billing address copied at checkout")
    buyer_vat_number = models.CharField(max_length=20, blank=True)
    reverse_charge = models.BooleanField(default=False)
    plan = models.CharField(max_length=8, choices=Payment.Plan.choices, default=Payment.Plan.FULL)
    items_minor = models.PositiveIntegerField(default=0)
    shipping_minor = models.PositiveIntegerField(default=0)
    insurance_minor = models.PositiveIntegerField(default=0)
    vat_minor = models.PositiveIntegerField(default=0)
    total_minor = models.PositiveIntegerField(default=0)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk = models.CharField(max_length=8, choices=Risk.choices, blank=True, default="")
    risk_reasons = models.JSONField(default=list)
    expires_at = models.DateTimeField(db_index=True)
    stock_released = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    failure_message = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.reference


class CheckoutLine(models.Model):
    """Units of one offer bought in a checkout, at the price shown at its start."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.PositiveIntegerField(help_text="VAT included unless reverse charge")
    vat_rate_bp = models.PositiveIntegerField()
    insured_units = models.PositiveIntegerField(default=0)
    insurance_quote_id = models.CharField(max_length=64, blank=True)
    insurance_unit_minor = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x offer {self.offer_id}"


class CheckoutParcel(models.Model):
    """The shipping chosen for one seller's part of a checkout."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="parcels")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=32)
    label = models.CharField(max_length=100)
    price_minor = models.PositiveIntegerField()
    estimate_from = models.DateField()
    estimate_to = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "seller"], name="parcel_once_per_seller")
        ]

    def __str__(self) -> str:
        return f"{self.checkout_id} · seller {self.seller_id} · {self.method}"
