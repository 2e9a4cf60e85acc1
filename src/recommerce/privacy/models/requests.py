"""Data-subject requests (RIGHT-1 to RIGHT-5), their audit trail, export archives, and the
restrictions and objections a person has in force (CONSENT-7)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from recommerce.privacy.encryption.files import sealed_storage


def identity_document_path(instance: DataRequest, filename: str) -> str:
    # Never the uploaded name: it may carry the person's name.
    return f"identity/{instance.reference}-{secrets.token_hex(8)}"


class DataRequest(models.Model):
    """One request from a person about their data, from receipt to an answer."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access to my data"
        PORTABILITY = "portability", "A copy of my data to take elsewhere"
        RECTIFICATION = "rectification", "Correct my data"
        ERASURE = "erasure", "Erase my data"
        RESTRICTION = "restriction", "Restrict the use of my data"
        OBJECTION = "objection", "Object to a use of my data"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        VERIFIED = "verified", "Identity verified"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        PARTLY_DONE = "partly_done", "Partly done"
        REFUSED = "refused", "Refused"

    class Channel(models.TextChoices):
        ACCOUNT = "account", "From the account"
        WEB_FORM = "web_form", "Public web form"
        WRITTEN = "written", "Written request entered by staff"

    class Jurisdiction(models.TextChoices):
        GDPR = "gdpr", "GDPR (EU)"
        CCPA = "ccpa", "CCPA (California)"

    OPEN = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    jurisdiction = models.CharField(max_length=8, choices=Jurisdiction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_requests",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    details = models.TextField(blank=True, help_text="What the person asks, in their words")
    purpose = models.CharField(max_length=64, blank=True, help_text="For restriction/objection")
    received_at = models.DateTimeField()
    acknowledge_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_notified_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    data_points = models.JSONField(default=dict, blank=True, help_text="Facts given to match")
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_method = models.CharField(max_length=64, blank=True)
    document_requested_at = models.DateTimeField(null=True, blank=True)
    # Sealed in private storage (SEC-1), deleted when the request closes (RIGHT-4).
    identity_document = models.FileField(
        blank=True, upload_to=identity_document_path, storage=sealed_storage
    )
    identity_document_type = models.CharField(max_length=60, blank=True)
    answer = models.TextField(blank=True, help_text="The answer sent, or why it was refused")
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        permissions = [("handle_datarequest", "Can handle data-subject requests")]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def answer_by(self):  # type: ignore[no-untyped-def]
        return self.extended_due_on or self.due_on


class DataRequestEvent(models.Model):
    """One step of a request: who did what, when (never the data itself)."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class ExportArchive(models.Model):
    """A person's data as a ZIP file, downloadable once over a signed, expiring link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready to download"
        DOWNLOADED = "downloaded", "Downloaded"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    # The one-time code emailed with the link: whoever is not the owner signed in needs it.
    code_hash = models.CharField(max_length=64, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"


class ProcessingLimit(models.Model):
    """A restriction or objection in force for one person and one purpose (CONSENT-7)."""

    class Kind(models.TextChoices):
        RESTRICTION = "restriction", "Restriction"
        OBJECTION = "objection", "Objection"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="processing_limits"
    )
    purpose = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(blank=True)
    request = models.ForeignKey(
        DataRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_limit_in_force_per_purpose",
            )
        ]
        indexes = [models.Index(fields=["purpose", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.kind} of {self.purpose} for {self.user_id}"
