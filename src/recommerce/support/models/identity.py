"""Identity checks of claims (COLLECT-8, CONSENT-5) and their evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from recommerce.privacy.encryption.files import sealed_storage
from recommerce.support.models.claims import Claim


class IdentityCheck(models.Model):
    """Customer service asked the claimant to prove who they are.

    The person chooses the route: documents reviewed by staff, always offered, or a live
    check (document and selfie video) by the identity-verification provider, only with
    their consent to the biometric text in force (CONSENT-5). The provider's result is kept
    as the claim's evidence; documents and videos are deleted ``evidence_days`` after the
    claim closes.
    """

    class Method(models.TextChoices):
        DOCUMENT = "document", "Documents reviewed by customer service"
        BIOMETRIC = "biometric", "Live check with a selfie video"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the person"
        SUBMITTED = "submitted", "Waiting for a decision"
        PASSED = "passed", "Identity confirmed"
        FAILED = "failed", "Identity not confirmed"
        CANCELLED = "cancelled", "Cancelled"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="identity_checks")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identity_checks",
    )
    reason = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    consent_version = models.CharField(max_length=40, blank=True)
    provider = models.CharField(max_length=32, blank=True)
    provider_session = models.CharField(max_length=100, blank=True, db_index=True)
    provider_result = models.CharField(max_length=20, blank=True)
    provider_reasons = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    evidence_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"identity check {self.pk} on {self.claim_id}"


def evidence_path(instance: IdentityEvidence, filename: str) -> str:
    return f"support/identity/{instance.identity_check_id}/{filename}"


class IdentityEvidence(models.Model):
    """A document, proof of address, signed declaration or selfie video, encrypted at rest."""

    class Kind(models.TextChoices):
        IDENTITY_DOCUMENT = "identity_document", "Identity document"
        PROOF_OF_ADDRESS = "proof_of_address", "Proof of address"
        DECLARATION = "declaration", "Signed declaration of non-receipt"
        SELFIE_VIDEO = "selfie_video", "Selfie video"

    identity_check = models.ForeignKey(
        IdentityCheck, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=evidence_path, storage=sealed_storage, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of check {self.identity_check_id}"
