"""Orders: one per seller per checkout, with the lines, insurance and tracking."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.accounts.models import Company, Seller
from recommerce.catalog.models import Variant
from recommerce.offers.models import Offer
from recommerce.payments.models import Payment
from recommerce.platform.models import TimeStampedModel


class Order(TimeStampedModel):
    """What one buyer bought from one seller in one checkout.

    The addresses, names and prices are copies taken at purchase: later edits of the
    address book or the offer do not change an order or its invoice.
    """

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        PAID = "paid", "Paid"
        ACCEPTED = "accepted", "Accepted by the seller"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    class DeliveredBy(models.TextChoices):
        """Who said the parcel arrived: every shipped order is delivered one way or another."""

        CARRIER = "carrier", "Reported by the carrier"
        BUYER = "buyer", "Confirmed by the buyer"
        PRESUMED = "presumed", "Presumed after the delivery period"

    number = models.CharField(max_length=20, unique=True)
    checkout_reference = models.CharField(max_length=64, db_index=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="orders")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PAID)
    currency = models.CharField(max_length=3)
    # Amounts, VAT included unless reverse-charged; integer minor units.
    items_minor = models.PositiveIntegerField()
    shipping_minor = models.PositiveIntegerField(default=0)
    insurance_minor = models.PositiveIntegerField(default=0)
    vat_minor = models.PositiveIntegerField(default=0, help_text="VAT included in the total")
    total_minor = models.PositiveIntegerField()
    refunded_minor = models.PositiveIntegerField(default=0)
    commission_minor = models.PositiveIntegerField(default=0)
    reverse_charge = models.BooleanField(default=False)
    # The buyer, as the seller needs them (SHARE-1): copies taken at purchase.
    buyer_email = models.EmailField()
    buyer_title = models.CharField(max_length=4, blank=True)
    delivery_name = models.CharField(max_length=150)
    delivery_company = models.CharField(max_length=150, blank=True)
    delivery_line1 = models.CharField(max_length=200)
    delivery_line2 = models.CharField(max_length=200, blank=True)
    delivery_postal_code = models.CharField(max_length=16)
    delivery_city = models.CharField(max_length=100)
    delivery_region = models.CharField(max_length=100, blank=True)
    delivery_country = models.CharField(max_length=2)
    delivery_phone = models.CharField(max_length=20, blank=True)
    billing_name = models.CharField(max_length=150)
    billing_company = models.CharField(max_length=150, blank=True)
    billing_line1 = models.CharField(max_length=200)
    billing_line2 = models.CharField(max_length=200, blank=True)
    billing_postal_code = models.CharField(max_length=16)
    billing_city = models.CharField(max_length=100)
    billing_country = models.CharField(max_length=2)
    buyer_vat_number = models.CharField(max_length=20, blank=True)
    # Shipping chosen for this seller's parcel.
    shipping_method = models.CharField(max_length=32)
    shipping_label = models.CharField(max_length=100)
    delivery_estimate_from = models.DateField()
    delivery_estimate_to = models.DateField()
    carrier = models.CharField(max_length=32, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True, db_index=True)
    hold_reason = models.CharField(max_length=200, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    payout = models.ForeignKey(
        "orders.Payout", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    paid_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.CharField(max_length=8, choices=DeliveredBy.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-paid_at"]),
            models.Index(fields=["seller", "status", "-paid_at"]),
            models.Index(fields=["status", "shipped_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_minor__lte=models.F("total_minor")),
                name="order_refunds_within_total",
            ),
            models.UniqueConstraint(
                fields=["checkout_reference", "seller"], name="order_one_per_seller_per_checkout"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """Units of one offer in an order, at the price paid."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    grade = models.CharField(max_length=16)
    warranty_months = models.PositiveSmallIntegerField()
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.PositiveIntegerField(help_text="VAT included unless reverse charge")
    vat_rate_bp = models.PositiveIntegerField()
    insured_units = models.PositiveIntegerField(default=0)
    insurance_unit_minor = models.PositiveIntegerField(default=0)
    insurance_quote_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_price_minor


class UnitIdentifier(models.Model):
    """The IMEI or serial number of one unit of an order line, recorded at dispatch."""

    class Kind(models.TextChoices):
        IMEI = "imei", "IMEI"
        SERIAL = "serial", "Serial number"

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField(help_text="1 to the line's quantity")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["line", "position"], name="unit_identifier_once"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="unit_identifier_position_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class InsurancePolicy(TimeStampedModel):
    """A device insurance bought with an order line (12 months, from the insurer)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="policies")
    insurer = models.CharField(max_length=32)
    quote_id = models.CharField(max_length=64)
    policy_number = models.CharField(max_length=64, blank=True)
    premium_minor = models.PositiveIntegerField()
    cover = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    certificate_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    def __str__(self) -> str:
        return self.policy_number or f"policy for line {self.line_id}"


class TrackingEvent(models.Model):
    """One step of a parcel's journey, as the carrier reports it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tracking_events")
    code = models.CharField(max_length=32)
    description = models.CharField(max_length=200)
    location = models.CharField(max_length=100, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "code", "occurred_at"], name="tracking_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.code}"
