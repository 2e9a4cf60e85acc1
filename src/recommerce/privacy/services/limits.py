"""Restrictions and objections per person and purpose (CONSENT-7); the gate that reads them
is ``selectors.processing_allowed``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from recommerce.privacy.models import DataRequest, ProcessingLimit
from recommerce.privacy.purposes import Family, Purpose

# Direct marketing must stop on objection, always (GDPR Art. 21(3)); the other purposes a
# person may limit are those resting on consent or legitimate interest.
LIMITABLE_BASES = ("consent", "legitimate interest")


class LimitRefused(ValueError):
    """The purpose cannot be limited (a legal obligation or the contract itself)."""


@transaction.atomic
def processing_limit_set(
    *,
    user: Any,
    purpose: Purpose,
    kind: str,
    reason: str = "",
    request: DataRequest | None = None,
) -> ProcessingLimit:
    """Put a restriction or an objection in force for ``user`` and ``purpose``."""
    if purpose.basis.value not in LIMITABLE_BASES and purpose.family is not Family.MARKETING:
        raise LimitRefused(
            f"“{purpose.description}” rests on {purpose.basis.value}; it cannot be stopped "
            "by a restriction or an objection."
        )
    current = (
        ProcessingLimit.objects.select_for_update()
        .filter(user=user, purpose=purpose.code, lifted_at__isnull=True)
        .first()
    )
    if current is not None:
        return current
    return ProcessingLimit.objects.create(
        user=user, purpose=purpose.code, kind=kind, reason=reason, request=request
    )


@transaction.atomic
def processing_limit_lift(*, user: Any, purpose: Purpose) -> int:
    """Lift the limit in force for ``user`` and ``purpose``; return how many were lifted."""
    return ProcessingLimit.objects.filter(
        user=user, purpose=purpose.code, lifted_at__isnull=True
    ).update(lifted_at=timezone.now())
