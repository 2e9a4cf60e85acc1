"""Personal data held by the privacy core itself."""

from __future__ import annotations

from recommerce.privacy import purposes
from recommerce.privacy.models import AuditEvent, StaffAccess
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
