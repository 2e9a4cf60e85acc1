"""Reads of the privacy core."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from recommerce.privacy.models import AuditEvent, Disclosure, StaffAccess


def audit_event_list(*, subject: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subject=subject)


def staff_access_list(*, subject: Any = None) -> QuerySet[StaffAccess]:
    found = StaffAccess.objects.select_related("staff", "subject")
    return found.filter(subject=subject) if subject is not None else found


def disclosure_list(*, subject: Any = None, reference: str = "") -> QuerySet[Disclosure]:
    """Return disclosures, newest first, of one person's data and/or about one reference."""
    found = Disclosure.objects.all()
    if subject is not None:
        found = found.filter(subject=subject)
    if reference:
        found = found.filter(reference=reference)
    return found
