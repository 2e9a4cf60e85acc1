"""People who sign in, and their address book."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

from recommerce.platform.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: buyer, trade-in customer, seller user or staff member."""

    class Title(models.TextChoices):
        NONE = "", "No title"
        MR = "mr", "Mr"
        MS = "ms", "Ms"
        MX = "mx", "Mx"
        DR = "dr", "Dr"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    title = models.CharField(max_length=4, choices=Title.choices, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +33612345678")
    country = CountryField(blank=True, help_text="Country of residence")
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Channels for account and order messages (marketing consent lives with consent records).
    notify_by_email = models.BooleanField(default=True)
    notify_by_sms = models.BooleanField(default=False)
    # Age declaration (AGE-1): a date of birth, or an attestation of being an adult, as the
    # person's country asks; a minor needs a recorded parental authorisation to transact.
    birth_date = models.DateField(null=True, blank=True)
    adult_attested_at = models.DateTimeField(null=True, blank=True)
    parental_authorisation_at = models.DateTimeField(null=True, blank=True)
    parental_authorisation_by = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        permissions = [("view_personal_data", "Can view a person's personal data")]

    def __str__(self) -> str:
        return self.email


class Address(TimeStampedModel):
    """A postal address in a person's or a company's address book."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", "Delivery"
        BILLING = "billing", "Billing"

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses"
    )
    company = models.ForeignKey(
        "accounts.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="addresses",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    is_default = models.BooleanField(default=False)
    full_name = models.CharField(max_length=150)
    company_name = models.CharField(max_length=150, blank=True)
    line1 = models.CharField("Address", max_length=200)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    postal_code = models.CharField(max_length=16)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    country = CountryField()
    phone = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-is_default", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, company__isnull=True)
                | Q(user__isnull=True, company__isnull=False),
                name="address_one_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(is_default=True, user__isnull=False),
                name="address_one_default_per_user_kind",
            ),
            models.UniqueConstraint(
                fields=["company", "kind"],
                condition=Q(is_default=True, company__isnull=False),
                name="address_one_default_per_company_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.postal_code} {self.city}"

    def lines(self) -> list[str]:
        """Return the address as the lines of an envelope."""
        rows = [self.full_name, self.company_name, self.line1, self.line2]
        rows.append(f"{self.postal_code} {self.city}".strip())
        rows += [self.region, self.country.name]
        return [row for row in rows if row]


class ParentalConsent(TimeStampedModel):
    """A minor's request for a parent's authorisation, confirmed by the parent by email.

    The link's token is stored only as a hash; the authorisation counts once the parent
    confirms it with their name (AGE-1).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parental_consents")
    guardian_email = models.EmailField()
    guardian_name = models.CharField(max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
