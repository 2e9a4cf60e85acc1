"""Reviews of purchases and satisfaction surveys."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recommerce.accounts.models import Seller
from recommerce.catalog.models import DeviceModel
from recommerce.orders.models import Order, OrderLine
from recommerce.privacy.encryption.files import sealed_storage
from recommerce.support.models.claims import Claim


class Review(models.Model):
    """A buyer's review of one item bought and delivered (a verified purchase).

    Shown with ``author_display`` (first name and initial, taken when it is written);
    staff may hide it with a reason, which its author is told.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden by moderation"

    line = models.OneToOneField(OrderLine, on_delete=models.PROTECT, related_name="review")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    author_display = models.CharField(max_length=40)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="reviews")
    device_model = models.ForeignKey(DeviceModel, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    reports = models.PositiveIntegerField(default=0)
    hidden_reason = models.CharField(max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["device_model", "status", "-created_at"]),
            models.Index(fields=["seller", "status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            )
        ]
        permissions = [("moderate_review", "Can hide and restore reviews")]

    def __str__(self) -> str:
        return f"{self.rating}/5 on line {self.line_id}"


def review_photo_path(instance: ReviewPhoto, filename: str) -> str:
    return f"support/reviews/{instance.review_id}/{filename}"


class ReviewPhoto(models.Model):
    """A photo with a review; served by the review's page while the review is published."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=review_photo_path, storage=sealed_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"photo {self.pk} of review {self.review_id}"


class ReviewReport(models.Model):
    """Someone reported a review to moderation."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="report_rows")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once")
        ]

    def __str__(self) -> str:
        return f"report on review {self.review_id}"


class Survey(models.Model):
    """A satisfaction survey offered after a delivery or a closed claim, and its answers."""

    class Trigger(models.TextChoices):
        DELIVERY = "delivery", "After delivery"
        CLAIM_CLOSED = "claim_closed", "After a claim"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    token = models.CharField(max_length=43, unique=True)
    offered_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0 to 10"
    )
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    easy = models.BooleanField(null=True, blank=True, help_text="Was it easy?")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "trigger"],
                condition=models.Q(trigger="delivery"),
                name="survey_once_per_delivery",
            ),
            models.UniqueConstraint(
                fields=["claim", "trigger"],
                condition=models.Q(trigger="claim_closed"),
                name="survey_once_per_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"survey {self.pk} ({self.trigger})"
