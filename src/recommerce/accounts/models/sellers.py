"""Seller companies: public profile, onboarding file, their users and API keys."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField

from recommerce.accounts.models.invitations import Invitation
from recommerce.platform.models import TimeStampedModel
from recommerce.privacy.encryption import EncryptedTextField
from recommerce.privacy.encryption.files import sealed_storage

MIN_WARRANTY_MONTHS = 12
MIN_RETURN_DAYS = 30


class Seller(TimeStampedModel):
    """A refurbisher selling on the marketplace (a company, not a person).

    A new seller is a draft until its onboarding file is submitted; staff approve it
    (``ACTIVE``) or reject it with a reason. Only an active seller's offers are published.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        REJECTED = "rejected", "Rejected"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    legal_name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code")
    city = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Onboarding file: identity, tax and legal terms.
    vat_number = models.CharField("VAT number", max_length=20, blank=True)
    registration_number = models.CharField(max_length=32, blank=True)
    return_line1 = models.CharField("Return address", max_length=200, blank=True)
    return_postal_code = models.CharField(max_length=16, blank=True)
    return_city = models.CharField(max_length=100, blank=True)
    return_country = CountryField(blank=True)
    warranty_months = models.PositiveSmallIntegerField(
        default=MIN_WARRANTY_MONTHS, validators=[MinValueValidator(MIN_WARRANTY_MONTHS)]
    )
    return_days = models.PositiveSmallIntegerField(
        default=MIN_RETURN_DAYS, validators=[MinValueValidator(MIN_RETURN_DAYS)]
    )
    # Bank account for payouts: encrypted at rest (SEC-1); the last four characters are kept
    # apart so pages can show it masked without decrypting.
    iban = EncryptedTextField(blank=True)
    iban_last4 = models.CharField(max_length=4, blank=True)
    account_holder = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    # Track record, updated as orders ship and reviews arrive; quality_bp derives from it.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0, help_text="Sum of 1-5 star ratings")
    orders_shipped = models.PositiveIntegerField(default=0)
    orders_late = models.PositiveIntegerField(default=0)
    orders_defective = models.PositiveIntegerField(default=0)
    answer_median_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Median minutes to answer a buyer, last 30 days"
    )
    quality_bp = models.PositiveIntegerField(
        default=5000, help_text="Seller quality in basis points (0-10000), derived from the record"
    )

    class Meta:
        ordering = ["name"]
        permissions = [("review_seller", "Can approve or reject seller applications")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # Product pages list many sellers: resolve the route once, then fill the slug in.
        return _seller_path_prefix() + self.slug + "/"

    @property
    def rating_average(self) -> float | None:
        """Return the mean star rating for display (never used for money)."""
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    @property
    def bank_account_display(self) -> str:
        """Return the payout account as pages show it: masked, without decrypting."""
        return f"IBAN •••• {self.iban_last4}" if self.iban_last4 else ""

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


@lru_cache(maxsize=1)
def _seller_path_prefix() -> str:
    return reverse("offers:seller", kwargs={"slug": "SLUG"}).removesuffix("SLUG/")


class SellerMembership(TimeStampedModel):
    """A user acting for a seller, with one role."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        CATALOG = "catalog", "Catalog manager"
        ORDERS = "orders", "Order manager"
        FINANCE = "finance", "Finance"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="one_membership_per_seller")
        ]


class SellerInvitation(Invitation):
    """An invitation to work for a seller in one role."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=8, choices=SellerMembership.Role.choices)

    class Meta(Invitation.Meta):
        pass


def seller_document_path(instance: SellerDocument, filename: str) -> str:
    # Never the uploaded name: it may carry a path or personal data.
    return f"sellers/{instance.seller_id}/{instance.token}.{instance.extension}"


class SellerDocument(TimeStampedModel):
    """A document of the onboarding file (registration extract, proof of bank account…)."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Company registration extract"
        BANK = "bank", "Proof of bank account"
        OTHER = "other", "Other"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # Sealed in private storage (SEC-1): no URL reaches it, only the access-checked view.
    file = models.FileField(upload_to=seller_document_path, storage=sealed_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class SellerApiKey(TimeStampedModel):
    """A key a seller's systems use on the API: shown once, stored as a hash, revocable."""

    class Scope(models.TextChoices):
        OFFERS_READ = "offers:read", "Read offers"
        OFFERS_WRITE = "offers:write", "Create and change offers"
        ORDERS_READ = "orders:read", "Read orders"
        ORDERS_WRITE = "orders:write", "Accept, ship, cancel and refund orders"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
