"""Business buyers (B2B): companies, their members and invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField

from recommerce.accounts.models.invitations import Invitation
from recommerce.platform.models import TimeStampedModel


class Company(TimeStampedModel):
    """A business buyer: its members buy for it and share its addresses."""

    legal_name = models.CharField(max_length=200)
    country = CountryField()
    vat_number = models.CharField(
        "VAT number", max_length=20, blank=True, help_text="With its country prefix"
    )
    vat_verified_at = models.DateTimeField(null=True, blank=True)
    vat_registered_name = models.CharField(max_length=200, blank=True)
    vat_check_reference = models.CharField(max_length=64, blank=True)
    registration_number = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class CompanyMembership(TimeStampedModel):
    """A person buying for a company."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Company admin"
        BUYER = "buyer", "Buyer"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices)

    class Meta:
        constraints = [
            # One company per person keeps "whose prices and addresses" unambiguous.
            models.UniqueConstraint(fields=["user"], name="one_company_per_user"),
        ]


class CompanyInvitation(Invitation):
    """An invitation to buy for a company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=8, choices=CompanyMembership.Role.choices)

    class Meta(Invitation.Meta):
        pass
