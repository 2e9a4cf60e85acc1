"""First-party analytics: page and product views, recorded with analytics consent only.

Nothing here leaves the platform: no third-party script, pixel or service sees a view.
A row keeps the path without its query string, the referring site's host name and a keyed
hash standing for the visitor, never an IP address or a user agent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PageView(models.Model):
    """One page a visitor who allowed analytics saw."""

    path = models.CharField(max_length=500, help_text="Without the query string")
    referrer_host = models.CharField(
        max_length=255, blank=True, help_text="Host name of the referring site, if another one"
    )
    # Null when the visitor cannot be told apart (no browser id, not signed in): such a
    # view counts as a view but never as a distinct visitor.
    visitor = models.CharField(max_length=64, null=True, blank=True, help_text="Keyed hash")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_statistics", "Can read the site's usage statistics")]

    def __str__(self) -> str:
        return f"{self.path} at {self.created_at:%Y-%m-%d %H:%M}"


class ProductView(models.Model):
    """One product page (a catalog variant) a visitor who allowed analytics saw."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64, null=True, blank=True, help_text="Keyed hash")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"variant {self.variant_id} at {self.created_at:%Y-%m-%d %H:%M}"
