"""Staff looks at identity evidence (each logged) and its deletion after the claim closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from recommerce.platform import clock
from recommerce.privacy.services.logs import staff_access_record
from recommerce.support.models import Claim, IdentityCheck, IdentityEvidence
from recommerce.support.services.identity.common import (
    EVIDENCE_PERMISSION,
    staff_with,
)

# --- Evidence: looks and deletion ------------------------------------------------------------


def identity_evidence_open(*, evidence: IdentityEvidence, staff: Any) -> bytes:
    """Return the decrypted file for staff who may open identity evidence; log the look.

    Any other caller (finance, the data-protection team, a seller, a buyer) gets
    ``PermissionError`` and nothing is read or logged.
    """
    if not staff_with(staff, EVIDENCE_PERMISSION):
        raise PermissionError("Your role does not open identity documents.")
    check = evidence.identity_check
    with evidence.file.open("rb") as handle:
        content = bytes(handle.read())
    staff_access_record(
        staff=staff,
        subject=check.person,
        what=f"{evidence.get_kind_display()} of claim {check.claim.reference}",
        path=f"support/identity/{check.pk}/evidence/{evidence.pk}",
    )
    return content


def identity_evidence_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the evidence of checks whose claim closed more than the kept days ago.

    Return how many files went. The check, its result and its reasons stay.
    """
    now = now or clock.now()
    cutoff = now - dt.timedelta(days=settings.SUPPORT_IDENTITY_EVIDENCE_DAYS)
    due = IdentityCheck.objects.filter(
        claim__status=Claim.Status.CLOSED,
        claim__closed_at__lt=cutoff,
        evidence_deleted_at__isnull=True,
    ).values_list("pk", flat=True)
    deleted = 0
    for check_id in list(due):
        deleted += _check_evidence_delete(check_id, now=now)
    return deleted


@transaction.atomic
def _check_evidence_delete(check_id: int, *, now: dt.datetime) -> int:
    check = IdentityCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None or check.evidence_deleted_at is not None:
        return 0
    rows = list(check.evidence.all())
    names = [(row.file.storage, row.file.name) for row in rows if row.file.name]
    IdentityEvidence.objects.filter(pk__in=[row.pk for row in rows]).delete()
    check.evidence_deleted_at = now
    check.save(update_fields=["evidence_deleted_at"])

    def unlink() -> None:
        for storage, name in names:
            storage.delete(name)

    # Files go once the rows are gone for good: a rollback keeps both.
    transaction.on_commit(unlink)
    return len(rows)
