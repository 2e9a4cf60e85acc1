"""Sellers' offers on catalog variants."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recommerce.accounts.models import Seller
from recommerce.catalog.models import Variant
from recommerce.offers.grading import MIN_BATTERY_HEALTH_PCT, MIN_WARRANTY_MONTHS, Grade
from recommerce.platform.models import TimeStampedModel


class Offer(TimeStampedModel):
    """A seller's offer of a number of units of one variant in one condition grade."""

    seller = models.ForeignKey(Seller, related_name="offers", on_delete=models.PROTECT)
    variant = models.ForeignKey(Variant, related_name="offers", on_delete=models.PROTECT)
    grade = models.CharField(max_length=16, choices=Grade.choices)
    price_minor = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3, default="EUR")
    stock = models.PositiveIntegerField(default=0)
    warranty_months = models.PositiveSmallIntegerField(
        default=MIN_WARRANTY_MONTHS, validators=[MinValueValidator(MIN_WARRANTY_MONTHS)]
    )
    battery_health_min_pct = models.PositiveSmallIntegerField(
        default=MIN_BATTERY_HEALTH_PCT,
        validators=[MinValueValidator(MIN_BATTERY_HEALTH_PCT), MaxValueValidator(100)],
        help_text="Guaranteed minimum battery health, in percent",
    )
    dispatch_days = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(30)], help_text="Business days to dispatch"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["variant", "grade"]),
            models.Index(fields=["seller", "is_active"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "variant", "grade"], name="offer_one_per_seller_variant_grade"
            ),
            models.CheckConstraint(
                condition=models.Q(warranty_months__gte=MIN_WARRANTY_MONTHS),
                name="offer_warranty_at_least_minimum",
            ),
            models.CheckConstraint(
                condition=models.Q(battery_health_min_pct__gte=MIN_BATTERY_HEALTH_PCT)
                & models.Q(battery_health_min_pct__lte=100),
                name="offer_battery_health_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(price_minor__gt=0), name="offer_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} · {self.get_grade_display()} · {self.seller}"
