"""Erase again, after a backup restore, whoever the restore brought back (RIGHT-3).

The list of erasures comes from the erasure ledger (``privacy.ledger``), a store outside the
database, so a restore cannot take it back in time with the data.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from recommerce.privacy.ledger import (
    ErasureEntry,
    LedgerStore,
    email_hash,
    erasure_plan_version,
    ledger_store,
)
from recommerce.privacy.models import DataRequest, ErasureRecord
from recommerce.privacy.selectors import (
    erasure_traces,
    ledger_entry_matches,
    person_holdings_exist,
)
from recommerce.privacy.services.erasure import account_get, erase_data, erasure_fail

logger = logging.getLogger(__name__)


class LedgerMismatch(Exception):
    """The ledger cannot be the one of this database; the message says why."""


@dataclass(slots=True)
class ReplayReport:
    """What a replay found and did, per account number."""

    ledger: str
    entries: int = 0
    erased_again: list[int] = field(default_factory=list)
    already_erased: int = 0
    gone: int = 0
    # Numbers now held by a later account (the email differs and it joined after the
    # erasure): left alone, and listed, for a person to look at.
    reused: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # Erasures this database knows and the ledger did not: written to it now.
    recorded_now: list[int] = field(default_factory=list)
    # Requests the ledger proves that the restored database has lost.
    requests_missing: list[str] = field(default_factory=list)


def erasures_replay(*, store: LedgerStore | None = None) -> ReplayReport:
    """Erase again every account the ledger lists that a backup restore brought back.

    Recipients were told the first time; the replay only erases data. Raises
    ``LedgerUnavailable`` when the ledger is missing or unreachable, and ``LedgerMismatch``
    when it is empty while this database shows erasures (it is not this database's ledger,
    or it was lost): a replay against the wrong ledger would say "nothing to do" and leave
    erased people restored. One account that fails is reported and does not stop the others.
    """
    store = store or ledger_store()
    entries = store.erasures()
    report = ReplayReport(ledger=store.describe(), entries=len(entries))
    traces = erasure_traces()
    if not entries and traces:
        raise LedgerMismatch(
            f"The erasure ledger ({store.describe()}) is empty, but this database shows "
            f"{traces} erased account(s). It is not this database's ledger, or it was lost: "
            "restore the ledger from its own backup before serving anyone."
        )
    latest: dict[int, ErasureEntry] = {}
    for entry in entries:
        latest.setdefault(entry.account_id, entry)  # the first erasure decides
    for account_id, entry in sorted(latest.items()):
        user = account_get(account_id)
        if user is None:
            report.gone += 1
        elif not person_holdings_exist(user):
            report.already_erased += 1
        elif not ledger_entry_matches(user, entry):
            logger.warning("Account %s is not the one erased under that number.", account_id)
            report.reused.append(account_id)
        elif _erase_again(user):
            report.erased_again.append(account_id)
        else:
            report.failed.append(account_id)
    report.recorded_now = ledger_fill(store, known=set(latest))
    report.requests_missing = _requests_missing(store)
    return report


def _erase_again(user: Any) -> bool:
    record = ErasureRecord.objects.create(
        subject_id=user.pk, request_reference="replay", attempts=1
    )
    try:
        record = erase_data(record, user, queue_notices=False)
    except Exception as error:  # reported on the record; the next replay retries
        logger.exception("Replay of erasure %s failed.", record.pk)
        erasure_fail(record, f"Data not erased: {error}")
        return False
    record.status, record.finished_at = ErasureRecord.Status.DONE, timezone.now()
    record.save(update_fields=["status", "finished_at"])
    return True


def ledger_fill(store: LedgerStore, *, known: Collection[int] = ()) -> list[int]:
    """Write to the ledger the erasures this database holds and the ledger lacks.

    Used once when a ledger is started for a database that already erased people
    (``recommerce privacy ledger-init``), and by the replay for any it finds.
    """
    missing = (
        ErasureRecord.objects.filter(erased_at__isnull=False)
        .exclude(subject_id__in=known)
        .order_by("subject_id", "erased_at")
    )
    recorded: list[int] = []
    for record in missing:
        if record.subject_id in recorded:
            continue
        # The address is already erased: the hash can only be of the shell's.
        shell = account_get(record.subject_id)
        store.erasure_append(
            ErasureEntry(
                account_id=record.subject_id,
                email_hash=email_hash(str(getattr(shell, "email", "") or "")),
                erased_at=record.erased_at or timezone.now(),
                plan_version=erasure_plan_version(),
                request_reference=record.request_reference,
            )
        )
        recorded.append(record.subject_id)
    return recorded


def _requests_missing(store: LedgerStore) -> list[str]:
    references = {step.reference for step in store.request_steps()}
    present = set(
        DataRequest.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    return sorted(references - present)
