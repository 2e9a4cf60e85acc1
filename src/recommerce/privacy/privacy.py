"""Personal data held by the privacy core itself."""

from __future__ import annotations

from recommerce.platform.models import IdempotentRequest
from recommerce.privacy import purposes
from recommerce.privacy.models import AuditEvent, Disclosure, StaffAccess
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

# Accountability records outlive the account they describe (CCPA regs keep 24 months).
ACCOUNTABILITY = Retention(days=3 * 365, starts="the event")

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
        subject="actor",
        purposes=[purposes.SERVICE_ORDERS, purposes.SECURITY],
        retention=Retention(days=2, starts="the request"),
        erasure=Erasure.DELETE,
        export_label="",
    ),
    not_personal("id", "key", "operation", "request_hash", "status_code", "created_at"),
)
