"""Erase a person (RIGHT-3): one atomic pass over the registry, then the recipients.

Steps, each recorded on the person's ``ErasureRecord`` so a failure can be resumed:

1. blockers (an open order, an open dispute) postpone the erasure with their reasons;
2. in one transaction: every registered row of the person is deleted, anonymised or
   detached under its legal hold, the apps' hooks run, and a notice is queued for each
   recipient of earlier disclosures;
3. each notice goes through the recipient's adapter; any failure leaves the record
   ``failed`` and resumable, never ``done``.

The erasure is also written to the erasure ledger (``privacy.ledger``), a store outside the
database, before the transaction commits: an erasure the ledger cannot record does not
happen. After a backup restore, ``erasures_replay`` reads that ledger and erases again
whoever the restore brought back (``services.replay``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from recommerce.privacy.ledger import (
    ErasureEntry,
    LedgerUnavailable,
    email_hash,
    erasure_plan_version,
    ledger_store,
)
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
    ErasureNotice,
    ErasureRecord,
    ExportArchive,
)
from recommerce.privacy.registry import Blocker, Registry, registry
from recommerce.privacy.rights import erase
from recommerce.privacy.rights.kept import kept_under_hold
from recommerce.privacy.rights.rows import person_holdings

ERASED_ANSWER = (
    "Your data is erased. Records the law makes us keep (invoices, accounting) are kept apart "
    "from any account until their legal period ends."
)

logger = logging.getLogger(__name__)


def erasure_blocker_list(*, user: Any, reg: Registry = registry) -> list[Blocker]:
    """Return what stands in the way of erasing ``user``, each with when it ends."""
    found: list[Blocker] = []
    for blocker in reg.erasure_blockers:
        for item in blocker(user):
            # A bare sentence (an app not yet saying when it ends) is still shown.
            found.append(Blocker(item, "") if isinstance(item, str) else item)
    return found


def erasure_blockers(*, user: Any, reg: Registry = registry) -> list[str]:
    """Return why ``user`` cannot be erased yet, as sentences that end with when it ends."""
    return [str(blocker) for blocker in erasure_blocker_list(user=user, reg=reg)]


def erasure_start(*, user: Any, request_reference: str = "", actor: Any = None) -> ErasureRecord:
    """Open an erasure of ``user`` in the ledger and run it as far as it can go."""
    record = ErasureRecord.objects.create(subject_id=user.pk, request_reference=request_reference)
    return erasure_run(record=record, user=user, actor=actor)


def erasure_run(
    *, record: ErasureRecord, user: Any = None, notify: bool = True, actor: Any = None
) -> ErasureRecord:
    """Run or resume ``record``: check blockers, erase the data once, tell the recipients.

    Once every recipient is told, the erasure request the record answers is closed, also
    when that happens on a later resume.
    """
    if record.erased_at is None:
        user = user if user is not None else account_get(record.subject_id)
        if user is None:
            return erasure_fail(record, "The account no longer exists and was never erased.")
        reasons = erasure_blockers(user=user)
        if reasons:
            record.status, record.blockers = ErasureRecord.Status.POSTPONED, reasons
            record.save(update_fields=["status", "blockers"])
            return record
        _count_attempt(record)
        try:
            record = erase_data(record, user, queue_notices=notify)
        except LedgerUnavailable as error:
            logger.error("Erasure %s not done: %s", record.pk, error)
            return erasure_fail(record, f"Data not erased: it could not be recorded. {error}")
        except Exception as error:  # reported on the record, resumable
            logger.exception("Erasure %s failed before commit.", record.pk)
            return erasure_fail(record, f"Data not erased: {error}")
    elif record.status != ErasureRecord.Status.DONE:
        _count_attempt(record)
    if notify and record.status != ErasureRecord.Status.DONE:
        _send_notices(record)
        if record.status == ErasureRecord.Status.DONE:
            _request_close(record, actor)
    return record


def _count_attempt(record: ErasureRecord) -> None:
    # Saved on its own, so an attempt rolled back still counts towards the retry limit.
    record.attempts += 1
    record.save(update_fields=["attempts"])


def account_get(pk: int) -> Any:
    """Return the account numbered ``pk``, active or not, or ``None``."""
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.filter(pk=pk).first()


@transaction.atomic
def erase_data(record: ErasureRecord, user: Any, *, queue_notices: bool) -> ErasureRecord:
    """Erase ``user``'s data in one transaction and write the erasure to the ledger."""
    record = ErasureRecord.objects.select_for_update().get(pk=record.pk)
    if record.erased_at is not None:
        return record
    recipients: dict[tuple[str, str], set[str]] = {}
    if queue_notices:
        for kind, recipient, reference in Disclosure.objects.filter(subject=user).values_list(
            "recipient_kind", "recipient", "reference"
        ):
            recipients.setdefault((kind, recipient), set()).add(reference)
    files: list[str] = []
    email = str(getattr(user, "email", "") or "")
    private = _private_files(user)
    report: dict[str, Any] = {}
    holdings = person_holdings(user)
    # Read before the walk: it detaches the kept rows and the requests from the account.
    record.kept = kept_under_hold(holdings)
    record.related_requests = _related_requests(user, record.request_reference)
    for holding in holdings:
        action, count = erase.holding_erase(holding, subject_pk=user.pk, on_file=files.append)
        report[holding.label] = {"action": action, "rows": count}
    # The hooks see the account as the pass above left it, never the values it had.
    user.refresh_from_db()
    for hook in registry.erasure_hooks:
        hook(user)
    ErasureNotice.objects.bulk_create(
        ErasureNotice(
            erasure=record, recipient_kind=kind, recipient=recipient, references=sorted(refs)
        )
        for (kind, recipient), refs in sorted(recipients.items())
    )
    record.status, record.report, record.blockers = ErasureRecord.Status.ERASED, report, []
    record.erased_at, record.error = timezone.now(), ""
    record.save(
        update_fields=["status", "report", "blockers", "erased_at", "error", "kept",
                       "related_requests"]
    )  # fmt: skip
    # Last before the commit: if the ledger refuses, everything above rolls back.
    ledger_store().erasure_append(
        ErasureEntry(
            account_id=user.pk,
            email_hash=email_hash(email),
            erased_at=record.erased_at,
            plan_version=erasure_plan_version(),
            request_reference=record.request_reference,
        )
    )
    transaction.on_commit(lambda: _delete_files(files, private))
    return record


def _private_files(user: Any) -> list[str]:
    """Return the person's exports and identity documents in private storage.

    Their rows name the files by a plain storage name, so the registry's walk, which
    deletes the files of file fields, would leave them behind.
    """
    names = list(
        ExportArchive.objects.filter(user=user)
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    )
    names += [
        name
        for name in DataRequest.objects.filter(user=user).values_list(
            "identity_document", flat=True
        )
        if name
    ]
    return names


def _delete_files(names: list[str], private: list[str]) -> None:
    for storage, found in ((default_storage, names), (storages["private"], private)):
        for name in found:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete an erased person's file %s.", name)


def _send_notices(record: ErasureRecord) -> None:
    failed = 0
    for notice in record.notices.exclude(status=ErasureNotice.Status.SENT):
        notifier = registry.recipient_notifiers.get(notice.recipient_kind)
        notice.attempts += 1
        try:
            if notifier is None:
                raise LookupError(f"No adapter tells a {notice.recipient_kind} of an erasure.")
            notifier(notice.recipient, notice.references)
        except Exception as error:  # kept on the notice, retried on resume
            notice.status, notice.last_error = ErasureNotice.Status.FAILED, str(error)[:500]
            failed += 1
        else:
            notice.status, notice.sent_at = ErasureNotice.Status.SENT, timezone.now()
            notice.last_error = ""
        notice.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    if failed:
        erasure_fail(record, f"{failed} recipient(s) could not be told; resume to retry.")
        return
    record.status, record.finished_at, record.error = (
        ErasureRecord.Status.DONE,
        timezone.now(),
        "",
    )
    record.save(update_fields=["status", "finished_at", "error"])


def _related_requests(user: Any, own_reference: str) -> list[str]:
    """Return the person's other open requests, by account or by its email address."""
    email = str(getattr(user, "email", "") or "")
    mine = Q(user=user) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    return sorted(
        DataRequest.objects.filter(mine, status__in=DataRequest.OPEN)
        .exclude(reference=own_reference)
        .values_list("reference", flat=True)
    )


def _request_close(record: ErasureRecord, actor: Any) -> None:
    """Close the erasure request the record answers, and the person's other open requests."""
    from recommerce.privacy.services.requests import (
        data_request_close,
        data_requests_close_related,
    )

    request = None
    if record.request_reference:
        request = DataRequest.objects.filter(
            reference=record.request_reference,
            kind=DataRequest.Kind.ERASURE,
            status__in=DataRequest.OPEN,
        ).first()
    if request is not None:
        # Closing it closes the related requests too.
        data_request_close(request=request, actor=actor, answer=ERASED_ANSWER)
    else:
        data_requests_close_related(record=record, actor=actor)


def erasure_fail(record: ErasureRecord, message: str) -> ErasureRecord:
    """Mark ``record`` failed (resumable) with ``message``."""
    record.status, record.error = ErasureRecord.Status.FAILED, message[:2000]
    record.save(update_fields=["status", "error"])
    return record
