"""Writes of the privacy logs: audit rows, staff access (SEC-1) and disclosures (SHARE-5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from recommerce.privacy.models import AuditEvent, Disclosure, StaffAccess
from recommerce.privacy.purposes import Purpose


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


def staff_access_record_many(
    *, staff: Any, looks: Iterable[tuple[Any, str]], path: str = ""
) -> int:
    """Log several looks of one staff member at once: ``(subject id or None, what)`` each."""
    rows = [
        StaffAccess(staff=staff, subject_id=subject, what=what[:120], path=path[:300])
        for subject, what in looks
    ]
    return len(StaffAccess.objects.bulk_create(rows))


def disclosure_record(
    *,
    subject: Any,
    recipient_kind: str,
    recipient: str,
    fields: Iterable[str],
    purpose: Purpose,
    reference: str = "",
) -> Disclosure:
    """Log that ``recipient`` received ``fields`` of ``subject``'s data (SHARE-5).

    Called by the adapter that sends the data, in the same transaction as the send's record.
    """
    names = sorted(set(fields))
    if not names:
        raise ValueError("A disclosure names at least one field.")
    return Disclosure.objects.create(
        subject=subject if getattr(subject, "pk", None) else None,
        recipient_kind=recipient_kind,
        recipient=recipient[:150],
        fields=names,
        purpose=purpose.code,
        legal_basis=purpose.basis.value,
        reference=reference[:64],
    )
