"""Reads of the privacy core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from recommerce.privacy.ledger import (
    ErasureEntry,
    LedgerStore,
    LedgerUnavailable,
    email_hash,
    erasure_plan_version,
    ledger_store,
)
from recommerce.privacy.models import (
    AuditEvent,
    ConsentRecord,
    DataRequest,
    Disclosure,
    ErasureRecord,
    ExportArchive,
    NoticeVersion,
    PersonalConsent,
    ProcessingLimit,
    RetentionRun,
    StaffAccess,
)
from recommerce.privacy.notice.labels import CATEGORIES, FIELDS
from recommerce.privacy.purposes import Purpose
from recommerce.privacy.registry import registry
from recommerce.privacy.rights.values import ERASED_DOMAIN


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


def disclosed_field_labels(names: Iterable[str], *, language: str = "en") -> list[str]:
    """Return what the disclosed fields ``names`` are, in words, each label once.

    From the labels of the notice (``notice.labels.FIELDS``, English and French); a field
    missing there reads as the label of its registry category when the registry gives it
    one, and as its name in words at worst, never as a raw column name.
    """
    order = {name: position for position, name in enumerate(FIELDS)}
    labels: list[str] = []
    # The log keeps names sorted; FIELDS lists them as an address is read.
    for name in sorted(names, key=lambda n: order.get(n, len(order))):
        if name in FIELDS:
            label = FIELDS[name].get(language)
        else:
            categories = {f.category for f in registry if f.field_name == name}
            known = [CATEGORIES[c] for c in categories if c in CATEGORIES]
            if len(known) == 1:
                label = known[0].get(language)
            else:
                label = name.replace("_minor", "").replace("_", " ").capitalize()
        if label not in labels:
            labels.append(label)
    return labels


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


# --- Requests, exports, erasures -----------------------------------------------------------


def data_request_get(*, reference: str) -> DataRequest | None:
    return (
        DataRequest.objects.select_related("user", "handled_by").filter(reference=reference).first()
    )


def data_request_list(*, user: Any) -> QuerySet[DataRequest]:
    """Return a person's requests, newest first."""
    return DataRequest.objects.filter(user=user).order_by("-received_at", "-id")


def data_request_of(*, user: Any, reference: str) -> DataRequest | None:
    """Return one of ``user``'s own requests with its steps, or None (someone else's too)."""
    return (
        DataRequest.objects.filter(user=user, reference=reference)
        .prefetch_related("events")
        .first()
    )


def data_request_open(*, user: Any, kind: str) -> DataRequest | None:
    return DataRequest.objects.filter(user=user, kind=kind, status__in=DataRequest.OPEN).first()


def _answer_by(**lookup: dt.date) -> Q:
    """Match requests whose answer date (the extended one if any) meets ``lookup``."""
    extended = {f"extended_due_on__{k}": v for k, v in lookup.items()}
    first = {f"due_on__{k}": v for k, v in lookup.items()}
    return Q(**extended) | Q(extended_due_on__isnull=True, **first)


def data_request_counters(*, today: dt.date, soon_days: int) -> dict[str, int]:
    """Count open, overdue, due-soon and extended requests (RIGHT-5), in one query."""
    is_open = Q(status__in=DataRequest.OPEN)
    soon = today + dt.timedelta(days=soon_days)
    return DataRequest.objects.aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & _answer_by(lt=today)),
        due_this_week=Count("pk", filter=is_open & _answer_by(gte=today, lte=soon)),
        extended=Count("pk", filter=is_open & Q(extended_due_on__isnull=False)),
    )


def data_request_queue(
    *, today: dt.date, state: str = "", kind: str = "", jurisdiction: str = ""
) -> QuerySet[DataRequest]:
    """Return requests, the nearest answer date first (closed ones: latest closed first)."""
    is_open = Q(status__in=DataRequest.OPEN)
    found = DataRequest.objects.order_by(Coalesce("extended_due_on", "due_on"), "id")
    if state in ("open", "overdue"):
        found = found.filter(is_open)
    if state == "overdue":
        found = found.filter(_answer_by(lt=today))
    if state == "closed":
        found = found.exclude(is_open).order_by("-closed_at", "-id")
    found = found.filter(kind=kind) if kind else found
    return found.filter(jurisdiction=jurisdiction) if jurisdiction else found


def export_archive_list(*, user: Any) -> QuerySet[ExportArchive]:
    return ExportArchive.objects.filter(user=user)


def export_archive_get(*, user: Any, archive_id: int) -> ExportArchive | None:
    """Return one of ``user``'s own exports, or None (someone else's too)."""
    return ExportArchive.objects.filter(user=user, pk=archive_id).first()


def export_pending(*, user: Any) -> bool:
    return ExportArchive.objects.filter(user=user, status=ExportArchive.Status.PENDING).exists()


def erasure_record_list(*, reference: str) -> QuerySet[ErasureRecord]:
    """Return the erasures run for one request, newest first."""
    return ErasureRecord.objects.filter(request_reference=reference)


def retention_run_list() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.all()


# --- Figures (RETAIN-2: the caller hides small groups) -------------------------------------


def people_per_request_group() -> tuple[dict[tuple[str, str], int], int]:
    """Count distinct requesters per (kind, jurisdiction), and in all (each person once)."""
    rows = (
        DataRequest.objects.values("kind", "jurisdiction")
        .annotate(people=Count("email", distinct=True))
        .order_by("kind", "jurisdiction")
    )
    groups = {(row["kind"], row["jurisdiction"]): int(row["people"]) for row in rows}
    return groups, DataRequest.objects.values("email").distinct().count()


def people_per_erasure_status() -> tuple[dict[str, int], int]:
    """Count distinct people per erasure status, and in all (each person once)."""
    rows = (
        ErasureRecord.objects.values("status")
        .annotate(people=Count("subject_id", distinct=True))
        .order_by("status")
    )
    groups = {row["status"]: int(row["people"]) for row in rows}
    return groups, ErasureRecord.objects.values("subject_id").distinct().count()


def people_per_recipient_kind(*, since: dt.datetime) -> tuple[dict[str, int], int]:
    """Count distinct people whose data went to each kind of recipient since ``since``,
    and in all: a person whose data went to a seller and a carrier counts once there."""
    shared = Disclosure.objects.filter(created_at__gte=since, subject__isnull=False)
    rows = (
        shared.values("recipient_kind")
        .annotate(people=Count("subject", distinct=True))
        .order_by("recipient_kind")
    )
    groups = {row["recipient_kind"]: int(row["people"]) for row in rows}
    return groups, shared.values("subject").distinct().count()


# --- Consent and the notice ----------------------------------------------------------------


def notice_version_current() -> NoticeVersion | None:
    """Return the privacy notice in force (the latest published), if any."""
    return NoticeVersion.objects.order_by("-published_at", "-id").first()


def consent_user_ids(*, category: str, user_ids: Iterable[int]) -> set[int]:
    """Return the ids among ``user_ids`` whose latest cookie choice allows ``category``.

    A choice made with a Global Privacy Control signal or on the opt-out page counts as the
    latest; people who never chose are not included.
    """
    ids = set(user_ids)
    latest: dict[int, list[str]] = {}
    rows = (
        ConsentRecord.objects.filter(user_id__in=ids)
        .order_by("user_id", "-created_at", "-id")
        .values_list("user_id", "categories")
    )
    for user_id, categories in rows:
        latest.setdefault(user_id, categories)
    return {user_id for user_id, categories in latest.items() if category in categories}


def personal_consent_given(*, user: Any, kind: str) -> bool:
    """Tell whether the latest consent (or objection) of ``kind`` by ``user`` is in force."""
    latest = PersonalConsent.objects.filter(user=user, kind=kind).order_by("-created_at", "-id")
    return bool(latest.values_list("given", flat=True).first())


# --- The erasure ledger beside this database (RIGHT-3) ---------------------------------------


def person_holdings_exist(user: Any) -> bool:
    """Tell whether ``user`` still has data the erasure would change (a restored account)."""
    email = str(getattr(user, "email", "") or "")
    return bool(getattr(user, "is_active", False)) or bool(
        email and not email.endswith(f"@{ERASED_DOMAIN}")
    )


def ledger_entry_matches(user: Any, entry: ErasureEntry) -> bool:
    """Tell whether ``user`` is the account the entry erased, not a later one.

    After a restore the database hands out numbers again; a newcomer given an erased
    person's number has another email address and joined after the erasure.
    """
    email = str(getattr(user, "email", "") or "")
    if email and email_hash(email) == entry.email_hash:
        return True
    joined = getattr(user, "date_joined", None)
    return joined is not None and joined <= entry.erased_at


def erasure_traces() -> int:
    """Return how many accounts this database shows as erased (shells or ledger rows)."""
    shells = get_user_model()._base_manager.filter(email__endswith=f"@{ERASED_DOMAIN}")
    recorded = ErasureRecord.objects.filter(erased_at__isnull=False)
    return max(shells.count(), recorded.values("subject_id").distinct().count())


@dataclass(frozen=True, slots=True)
class LedgerOverview:
    """The ledger as the DPO console shows it, beside what this database holds."""

    where: str
    error: str = ""
    erasures: int = 0
    request_steps: int = 0
    latest: tuple[ErasureEntry, ...] = ()
    plan_version: str = ""
    # Accounts the ledger lists as erased that this database shows with their data: a
    # restore happened and the replay did not run.
    back: int = 0
    # Erasures this database shows that the ledger lacks.
    unrecorded: int = 0


def ledger_overview(*, store: LedgerStore | None = None, latest: int = 50) -> LedgerOverview:
    """Read the ledger and compare it with this database, changing nothing."""
    store = store or ledger_store()
    try:
        entries = store.erasures()
        steps = len(store.request_steps())
    except LedgerUnavailable as error:
        return LedgerOverview(where=store.describe(), error=str(error))
    first: dict[int, ErasureEntry] = {}
    for entry in entries:
        first.setdefault(entry.account_id, entry)
    restored = [
        user
        for user in get_user_model()._base_manager.filter(pk__in=list(first))
        if person_holdings_exist(user) and ledger_entry_matches(user, first[user.pk])
    ]
    unrecorded = (
        ErasureRecord.objects.filter(erased_at__isnull=False)
        .exclude(subject_id__in=list(first))
        .values("subject_id")
        .distinct()
        .count()
    )
    return LedgerOverview(
        where=store.describe(),
        erasures=len(entries),
        request_steps=steps,
        latest=tuple(reversed(entries[-latest:])),
        plan_version=erasure_plan_version(),
        back=len(restored),
        unrecorded=unrecorded,
    )
