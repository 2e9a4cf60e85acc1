"""Reads of identity checks: the person's own, a claim's, and customer service's queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from recommerce.support.models import Claim, IdentityCheck, IdentityEvidence

OPEN = (IdentityCheck.Status.REQUESTED, IdentityCheck.Status.SUBMITTED)


def identity_check_for_person(*, user: Any, check_id: int) -> IdentityCheck | None:
    """Return the check ``user`` is asked to answer, or None (another person's is unseen)."""
    if not getattr(user, "pk", None):
        return None
    return (
        IdentityCheck.objects.select_related("claim", "claim__order")
        .filter(pk=check_id, person=user, claim__buyer=user)
        .first()
    )


def identity_checks_of_claim(*, claim: Claim) -> QuerySet[IdentityCheck]:
    return IdentityCheck.objects.filter(claim=claim).order_by("-requested_at", "-id")


def claim_of_buyer(*, user: Any, reference: str) -> Claim | None:
    """Return the claim ``reference`` if ``user`` opened it."""
    if not getattr(user, "pk", None):
        return None
    return Claim.objects.select_related("order").filter(reference=reference, buyer=user).first()


def claim_for_staff(*, reference: str) -> Claim | None:
    return (
        Claim.objects.select_related("order", "line", "buyer").filter(reference=reference).first()
    )


def identity_check_for_staff(*, check_id: int) -> IdentityCheck | None:
    return (
        IdentityCheck.objects.select_related(
            "claim", "claim__order", "person", "requested_by", "decided_by"
        )
        .filter(pk=check_id)
        .first()
    )


def identity_evidence_for_staff(*, evidence_id: int) -> IdentityEvidence | None:
    return (
        IdentityEvidence.objects.select_related("identity_check", "identity_check__claim")
        .filter(pk=evidence_id)
        .first()
    )


def identity_evidence_list(*, check: IdentityCheck) -> list[IdentityEvidence]:
    return list(check.evidence.all())


def identity_checks_waiting() -> QuerySet[IdentityCheck]:
    """Return the checks waiting for a staff decision, oldest submission first."""
    return (
        IdentityCheck.objects.filter(status=IdentityCheck.Status.SUBMITTED)
        .exclude(claim__status=Claim.Status.CLOSED)
        .select_related("claim", "person")
        .order_by("submitted_at", "id")
    )


def claims_flagged_for_identity() -> QuerySet[Claim]:
    """Return open claims the risk rules flagged or an identity check was asked on."""
    checks = IdentityCheck.objects.filter(claim=OuterRef("pk"), status__in=OPEN)
    return (
        Claim.objects.exclude(status=Claim.Status.CLOSED)
        .filter(Q(risk_flagged=True) | Q(identity_required=True))
        .annotate(check_open=Exists(checks))
        .select_related("order")
        .order_by("created_at", "id")
    )
