"""Personal data held by the privacy core itself."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from recommerce.platform.models import IdempotentRequest, OutboundEmail, QueuedTask, TaskLock
from recommerce.privacy import purposes
from recommerce.privacy.deadlines import REQUEST_RECORD_RETENTION_DAYS
from recommerce.privacy.models import (
    AuditEvent,
    ConsentRecord,
    DataRequest,
    DataRequestEvent,
    Disclosure,
    ErasureNotice,
    ErasureRecord,
    ExportArchive,
    NoticeVersion,
    PersonalConsent,
    ProcessingLimit,
    RetentionRun,
    StaffAccess,
)
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

# Accountability records outlive the account they describe (CCPA regs keep 24 months).
ACCOUNTABILITY = Retention(days=3 * 365, starts="the event", clock=("created_at",))

registry.register(
    AuditEvent,
    personal(
        "actor",
        "subject",
        "fields",
        "created_at",
        category="user.activity.audit",
        subject="subject",
        purposes=[purposes.LEGAL_DATA_PROTECTION, purposes.SECURITY],
        retention=ACCOUNTABILITY,
        erasure=Erasure.PSEUDONYMISE,
        export_label="Changes made to your data",
    ),
    not_personal("id", "action", "object_type", "object_id", reason="what changed, not who"),
)

registry.register(
    StaffAccess,
    personal(
        "staff",
        "subject",
        "what",
        "path",
        "created_at",
        category="user.activity.staff_access",
        subject="subject",
        purposes=[purposes.LEGAL_DATA_PROTECTION, purposes.SECURITY],
        retention=ACCOUNTABILITY,
        erasure=Erasure.PSEUDONYMISE,
        export_label="Staff who viewed your data",
    ),
    not_personal("id", reason="surrogate key"),
)

registry.register(
    Disclosure,
    personal(
        "subject",
        "recipient",
        "fields",
        "reference",
        "created_at",
        category="user.activity.disclosure",
        subject="subject",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=ACCOUNTABILITY,
        erasure=Erasure.PSEUDONYMISE,
        export_label="Who received your data",
    ),
    not_personal("id", "recipient_kind", "purpose", "legal_basis", reason="kinds and codes"),
)

registry.register(
    IdempotentRequest,
    personal(
        "actor",
        "response",
        category="user.activity.api",
        subject=lambda user: Q(actor=f"user:{user.pk}"),
        subject_note="the signed-in caller",
        purposes=[purposes.SERVICE_ORDERS, purposes.SECURITY],
        retention=Retention(days=2, starts="the request", clock=("created_at",)),
        erasure=Erasure.DELETE,
        exported=False,
    ),
    not_personal("id", "key", "operation", "request_hash", "status_code", "created_at"),
)


def _addressee(user: Any) -> Q:
    """Match the outbox rows addressed to ``user`` (one address per line of ``to``)."""
    email = user.email
    return (
        Q(to__iexact=email)
        | Q(to__istartswith=f"{email}\n")
        | Q(to__iendswith=f"\n{email}")
        | Q(to__icontains=f"\n{email}\n")
    )


# The outbox (ADR 0017): an email waits there until sent; its bodies are cleared once sent.
registry.register(
    OutboundEmail,
    personal(
        "to",
        "key",
        "subject",
        "body",
        "html",
        "headers",
        "attachments",
        "last_error",
        category="user.contact.email",
        subject=_addressee,
        subject_note="the addressee",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SERVICE_ORDERS, purposes.MARKETING_EMAIL],
        retention=Retention(days=30, starts="the sending", clock=("sent_at", "created_at")),
        erasure=Erasure.DELETE,
        exported=False,
    ),
    not_personal(
        "id",
        "category",
        "message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created_at",
        reason="the email's delivery state",
    ),
)
registry.register(
    TaskLock,
    not_personal("name", "holder", "acquired_at", "expires_at", reason="which process runs a task"),
)
registry.register(
    QueuedTask,
    not_personal(
        "id",
        "message",
        "priority",
        "eta",
        "created_at",
        reason="a task's name and row ids, kept while the queue is down",
    ),
)

# Request records prove the answer: kept 24 months after closing, even past an erasure.
REQUEST_RECORDS = Retention(
    days=REQUEST_RECORD_RETENTION_DAYS, starts="the request's closing", clock=("closed_at",)
)

registry.register(
    DataRequest,
    personal(
        "user",
        "full_name",
        "email",
        "details",
        "data_points",
        "answer",
        "extension_reason",
        category="user.requests.data_protection",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=REQUEST_RECORDS,
        erasure=Erasure.LEGAL_HOLD,
        export_label="Your data-protection requests",
    ),
    personal(
        "identity_document",
        "identity_document_type",
        category="user.government_id.document",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=Retention(days=None, starts="the request's closing"),
        erasure=Erasure.DELETE,
        exported=False,
        sensitive=True,
    ),
    not_personal(
        "id",
        "reference",
        "kind",
        "status",
        "channel",
        "jurisdiction",
        "purpose",
        "received_at",
        "acknowledge_by",
        "acknowledged_at",
        "due_on",
        "extended_due_on",
        "extension_notified_at",
        "code_hash",
        "code_expires_at",
        "code_attempts",
        "verified_at",
        "verification_method",
        "document_requested_at",
        "closed_at",
        "handled_by",
        reason="the request's handling, by staff acting for the platform",
    ),
)
registry.register(
    DataRequestEvent,
    personal(
        "note",
        category="user.requests.data_protection",
        subject="request__user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=REQUEST_RECORDS.counted_from("request__closed_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Steps of your requests",
    ),
    not_personal("id", "request", "actor", "action", "created_at", reason="the handling step"),
)
registry.register(
    ExportArchive,
    personal(
        "user",
        "file_name",
        category="user.requests.export",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=Retention(days=30, starts="the export", clock=("created_at",)),
        erasure=Erasure.DELETE,
        exported=False,
    ),
    not_personal(
        "id",
        "request",
        "status",
        "size",
        "expires_at",
        "ready_at",
        "downloaded_at",
        "error",
        "created_at",
    ),
    not_personal(
        "code_hash",
        "code_attempts",
        reason="a keyed hash of the download's one-time code and the tries left",
    ),
)
registry.register(
    ProcessingLimit,
    personal(
        "user",
        "purpose",
        "kind",
        "reason",
        "created_at",
        "lifted_at",
        category="user.preferences.objection",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=Retention(days=None, starts="the account's erasure"),
        erasure=Erasure.DELETE,
        export_label="Restrictions and objections you made",
    ),
    not_personal("id", "request", reason="link to the request"),
)
registry.register(
    ErasureRecord,
    not_personal(
        "id",
        "subject_id",
        "request_reference",
        "status",
        "blockers",
        "report",
        "kept",
        "related_requests",
        "error",
        "attempts",
        "created_at",
        "erased_at",
        "finished_at",
        reason="the erasure ledger holds only the number of an account emptied of its data",
    ),
)
registry.register(
    ErasureNotice,
    not_personal(
        "id",
        "erasure",
        "recipient_kind",
        "recipient",
        "references",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        reason="which companies were told; order numbers point at records already erased",
    ),
)
registry.register(
    RetentionRun,
    not_personal(
        "id", "dry_run", "started_at", "finished_at", "report", "error", reason="counts per rule"
    ),
)

registry.register(
    ConsentRecord,
    personal(
        "user",
        "browser",
        "categories",
        "notice_version",
        "method",
        "ip_hash",
        "created_at",
        category="user.preferences.consent",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        # Proof of consent outlives the choice it proves; then it goes.
        retention=ACCOUNTABILITY,
        erasure=Erasure.LEGAL_HOLD,
        export_label="Your cookie and tracking choices",
    ),
    not_personal("id", reason="surrogate key"),
)
registry.register(
    PersonalConsent,
    personal(
        "user",
        "kind",
        "given",
        "text_version",
        "method",
        "created_at",
        category="user.preferences.consent",
        subject="user",
        purposes=[purposes.LEGAL_DATA_PROTECTION],
        retention=Retention(days=None, starts="the account's erasure"),
        erasure=Erasure.DELETE,
        export_label="Your consents and objections (biometric checks, call recording)",
    ),
    not_personal("id", "recorded_by", reason="the staff member who recorded it, for the platform"),
)
registry.register(
    NoticeVersion,
    not_personal(
        "id",
        "version",
        "published_at",
        "summary",
        "content_en",
        "content_fr",
        "content_hash",
        "published_by",
        reason="the platform's own published document",
    ),
)

# How a person's export summary shows their requests, choices and the logs about their data.
registry.present(
    DataRequest,
    title={"en": "Your requests about your data", "fr": "Vos demandes sur vos données"},
    heading={"en": "Request {reference}", "fr": "Demande {reference}"},
    context={
        "reference": "reference",
        "kind": "kind",
        "status": "status",
        "received": "received_at",
    },
)
registry.present(
    DataRequestEvent,
    title={"en": "Steps", "fr": "Étapes"},
    context={"step": "action", "at": "created_at"},
    within="request",
)
registry.present(
    ConsentRecord,
    title={"en": "Your cookie choices", "fr": "Vos choix de cookies"},
)
registry.present(PersonalConsent, title={"en": "Your consents", "fr": "Vos consentements"})
registry.present(
    Disclosure,
    title={"en": "Who received your data", "fr": "Qui a reçu vos données"},
)
registry.present(
    AuditEvent,
    title={"en": "Changes made to your data", "fr": "Modifications de vos données"},
)
