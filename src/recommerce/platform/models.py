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
