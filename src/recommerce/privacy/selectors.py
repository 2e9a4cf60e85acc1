"""Reads of the privacy core."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from recommerce.privacy.models import AuditEvent, Disclosure, ProcessingLimit, StaffAccess
from recommerce.privacy.purposes import Purpose
from recommerce.privacy.registry import registry


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


def processing_allowed(*, user: Any, purpose: Purpose) -> bool:
    """Tell whether code acting for ``purpose`` may process ``user``'s data (CONSENT-7)."""
    if user is None or not getattr(user, "pk", None):
        return True
    return not ProcessingLimit.objects.filter(
        user=user, purpose=purpose.code, lifted_at__isnull=True
    ).exists()


def people_allowed(*, user_ids: Iterable[int], purpose: Purpose) -> set[int]:
    """Return the ids among ``user_ids`` that ``purpose`` may process, in one query."""
    ids = set(user_ids)
    blocked = set(
        ProcessingLimit.objects.filter(
            user_id__in=ids, purpose=purpose.code, lifted_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return ids - blocked


def processing_limit_list(*, user: Any) -> QuerySet[ProcessingLimit]:
    return ProcessingLimit.objects.filter(user=user, lifted_at__isnull=True)


def identity_matches(*, user: Any, facts: dict[str, str]) -> bool:
    """Tell whether at least one fact given by a requester matches ``user``'s account."""
    for name, value in facts.items():
        entry = registry.identity_facts.get(name)
        if entry is not None and value.strip() and entry[1](user, value.strip()):
            return True
    return False
