"""Restrictions and objections per person and purpose (CONSENT-7); the gate that reads them
is ``selectors.processing_allowed``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from recommerce.privacy.models import DataRequest, ProcessingLimit
from recommerce.privacy.purposes import ALL, Family, LegalBasis, Purpose

LIMITABLE_BASES = (LegalBasis.CONSENT, LegalBasis.LEGITIMATE_INTEREST)


def limitable(purpose: Purpose) -> bool:
    """Tell whether a person can stop ``purpose`` for themselves.

    Direct marketing stops on objection, always (GDPR Art. 21(3)). Other uses resting on
    consent or legitimate interest stop too, except fraud prevention and account security:
    protecting every user's account and payments is a compelling ground (Art. 21(1)).
    Uses the contract or the law require cannot be stopped this way.
    """
    if purpose.family is Family.MARKETING:
        return True
    return purpose.basis in LIMITABLE_BASES and purpose.family is not Family.FRAUD_SECURITY


def limitable_purposes() -> list[Purpose]:
    return [purpose for purpose in ALL if limitable(purpose)]


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
    if not limitable(purpose):
        raise LimitRefused(
            f"“{purpose.description}” rests on {purpose.basis.value}"
            f"{' and protects every account' if purpose.family is Family.FRAUD_SECURITY else ''}"
            "; it cannot be stopped by a restriction or an objection."
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
