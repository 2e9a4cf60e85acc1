"""Consent and choices as evidence (CONSENT-1 to CONSENT-6) and the published privacy
notice's versions (NOTICE-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NoticeVersion(models.Model):
    """One published version of the privacy notice, kept readable after the next one."""

    version = models.SlugField(max_length=20, unique=True, help_text="e.g. 2026-11-23")
    published_at = models.DateTimeField()
    summary = models.TextField(help_text="What changed, in a few lines, for the announcement")
    content_en = models.TextField(help_text="The notice as published, in English (HTML)")
    content_fr = models.TextField(help_text="The notice as published, in French (HTML)")
    content_hash = models.CharField(max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_notice", "Can publish a new version of the privacy notice")]

    def __str__(self) -> str:
        return f"privacy notice {self.version}"


class ConsentRecord(models.Model):
    """One choice about cookies and tracking, kept as evidence (CONSENT-2).

    Who (the account, or a hash of the browser session), what (the categories allowed),
    which notice version was shown, when, and how (banner, settings page, API, a Global
    Privacy Control signal). The IP address is kept only as a keyed hash.
    """

    class Method(models.TextChoices):
        BANNER = "banner", "Banner"
        SETTINGS = "settings", "Cookie settings page"
        API = "api", "App (API)"
        GPC = "gpc", "Global Privacy Control signal"
        OPT_OUT = "opt_out", "Do Not Sell or Share page"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    browser = models.CharField(max_length=64, blank=True, help_text="Keyed hash of the cookie id")
    categories = models.JSONField(default=list, help_text="Categories allowed, necessary aside")
    notice_version = models.CharField(max_length=20, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.method}: {', '.join(self.categories) or 'necessary only'}"


class PersonalConsent(models.Model):
    """A consent or objection a person gives outside cookies, reusable across features.

    Biometric checks need explicit consent to a given text (CONSENT-5); a person may object
    to the recording of calls and chats with customer service (CONSENT-6). The latest row
    per person and kind is in force.
    """

    class Kind(models.TextChoices):
        BIOMETRIC = "biometric", "Facial biometric identity check"
        RECORDING_OBJECTION = "recording_objection", "Objection to call and chat recording"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_consents"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    given = models.BooleanField(help_text="True: consent given / objection made")
    text_version = models.CharField(max_length=40, blank=True, help_text="The text shown")
    method = models.CharField(max_length=20, help_text="profile, support, api, identity check")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {'yes' if self.given else 'no'} for {self.user_id}"
