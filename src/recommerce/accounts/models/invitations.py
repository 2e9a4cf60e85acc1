"""Invitations by email to join a company or a seller; the token is kept only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.platform.models import TimeStampedModel


class Invitation(TimeStampedModel):
    """What every invitation holds; subclasses add what it is an invitation to, and roles."""

    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
