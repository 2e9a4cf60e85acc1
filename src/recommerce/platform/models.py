"""Abstract bases shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Record when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotentRequest(models.Model):
    """The stored answer to an unsafe API call made with an ``Idempotency-Key`` header.

    ``actor`` names who called ("user:12", "seller:3"), so two callers' keys never meet.
    """

    actor = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="idempotency_key_once_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"


class TaskLock(models.Model):
    """The lock of a periodic or long task: one holder at a time, for a bounded time.

    ``holder`` names the process and thread ("host:pid:start:thread"), so a lock whose
    process died on this machine is taken over at once; one held on another machine is
    taken over when ``expires_at`` passes (``platform.locks``).
    """

    name = models.CharField(max_length=150, primary_key=True)
    holder = models.CharField(max_length=200)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.holder})"


class OutboundEmail(models.Model):
    """One email on its way out: written before it is sent, so no crash can lose it.

    ``key`` makes writing it idempotent ("campaign:12:ana@example.com"); ``message_id`` is
    the same for every attempt, so a receiver can drop the copy a crash between the mail
    server's acceptance and the row's update may cause. Once sent, only the delivery record
    stays: the address, subject and bodies are cleared.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=300, unique=True)
    to = models.TextField()  # one address per line
    subject = models.TextField()
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=20)
    message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        permissions = [("view_outbox", "Can see the outgoing email queue and retry failures")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class QueuedTask(models.Model):
    """A task message the queue could not take while it was down, kept until it can.

    ``eta`` is set for a task scheduled for later (a retry, a delayed task).
    """

    message = models.BinaryField()
    priority = models.IntegerField(null=True, blank=True)
    eta = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"queued task {self.pk}"
