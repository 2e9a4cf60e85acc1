"""Reads of the privacy core."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from recommerce.privacy.models import AuditEvent, StaffAccess


def audit_event_list(*, subject: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(subject=subject)


def staff_access_list(*, subject: Any = None) -> QuerySet[StaffAccess]:
    found = StaffAccess.objects.select_related("staff", "subject")
    return found.filter(subject=subject) if subject is not None else found
