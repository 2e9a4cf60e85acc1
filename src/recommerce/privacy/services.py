"""Writes of the privacy core: audit rows and the staff access log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from recommerce.privacy.models import AuditEvent, StaffAccess


def audit_event_record(
    *,
    actor: Any,
    subject: Any,
    action: str,
    target: Any,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Write one audit row for a change to ``subject``'s data (field names, never values)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject=subject,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk or ""),
        fields=sorted(fields),
    )


def staff_access_record(*, staff: Any, subject: Any, what: str, path: str = "") -> StaffAccess:
    """Log that a staff member viewed ``subject``'s personal data (SEC-1)."""
    return StaffAccess.objects.create(staff=staff, subject=subject, what=what, path=path[:300])
