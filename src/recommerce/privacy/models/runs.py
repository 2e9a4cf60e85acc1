"""The erasure ledger and the retention job's runs."""

from __future__ import annotations

from django.db import models


class ErasureRecord(models.Model):
    """One person's erasure, by account number only, so it can be resumed and replayed.

    The account number of an erased account points at an empty shell: the ledger holds no
    identifying value, and after a backup is restored ``replay-erasures`` erases again every
    account it lists.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        POSTPONED = "postponed", "Postponed"
        ERASED = "erased", "Data erased, recipients being told"
        DONE = "done", "Done"
        FAILED = "failed", "Failed (resumable)"

    subject_id = models.PositiveBigIntegerField(db_index=True)
    request_reference = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    blockers = models.JSONField(default=list, blank=True)
    report = models.JSONField(default=dict, blank=True, help_text="Rows touched per model")
    kept = models.JSONField(
        default=list, blank=True, help_text="Records kept under a legal hold: what, why, until"
    )
    related_requests = models.JSONField(
        default=list, blank=True, help_text="The person's other open requests, closed with it"
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"erasure of account {self.subject_id} ({self.status})"


class ErasureNotice(models.Model):
    """A recipient of earlier disclosures, to be told that the person's data was erased."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    erasure = models.ForeignKey(ErasureRecord, on_delete=models.CASCADE, related_name="notices")
    recipient_kind = models.CharField(max_length=20)
    recipient = models.CharField(max_length=150)
    references = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.status})"


class RetentionRun(models.Model):
    """One pass of the retention job, with what each rule removed or would remove."""

    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=list, help_text="[{rule, model, action, rows}]")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        permissions = [("run_retention", "Can run the retention job")]

    def __str__(self) -> str:
        return f"retention run {self.pk}"
