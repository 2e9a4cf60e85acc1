"""The retention job (RETAIN-1): apply every period the registry declares.

For each model and each period with a clock, rows past the period are deleted when the
person's link to them is itself to be deleted, otherwise their personal fields are cleared
(fields under a legal hold included: the hold has ended). Accounts inactive past their
period go through the erasure engine, so all their data follows. Data whose period runs
with the account has no clock of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from recommerce.privacy.models import ErasureRecord, RetentionRun
from recommerce.privacy.paths import concrete_field
from recommerce.privacy.registry import Erasure, PersonalField, Retention, registry
from recommerce.privacy.rights.rows import deletes_rows
from recommerce.privacy.rights.values import ERASED_DOMAIN, KEEP, erased_value
from recommerce.privacy.services.erasure import erasure_start
from recommerce.privacy.services.exports import exports_expire

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    model: str
    action: str
    rows: int


def retention_rules() -> list[tuple[type[models.Model], Retention, list[PersonalField]]]:
    """Return each (model, period, fields) the job applies, in a stable order."""
    rules = []
    for model, fields in registry.by_model().items():
        groups: dict[Retention, list[PersonalField]] = {}
        for item in fields:
            if item.retention.days is not None and item.retention.clock:
                groups.setdefault(item.retention, []).append(item)
        rules += [(model, retention, group) for retention, group in groups.items()]
    return rules


def retention_run(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionRun:
    """Apply (or, with ``dry_run``, count) every retention rule; record the report."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(dry_run=dry_run)
    results: list[RuleResult] = []
    try:
        for model, retention, fields in retention_rules():
            results.append(_apply(model, retention, fields, now=now, dry_run=dry_run))
        results += _technical(now=now, dry_run=dry_run)
    except Exception as error:
        run.error = str(error)[:2000]
        logger.exception("Retention run %s failed.", run.pk)
    run.report = [asdict(r) for r in results]
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "finished_at", "error"])
    return run


def _rows(model: type[models.Model], retention: Retention, now: dt.datetime) -> Any:
    cutoff = now - dt.timedelta(days=retention.days or 0)
    clock = Coalesce(*retention.clock) if len(retention.clock) > 1 else models.F(retention.clock[0])
    return model._base_manager.alias(_clock=clock).filter(_clock__lt=cutoff)


def _apply(
    model: type[models.Model],
    retention: Retention,
    fields: list[PersonalField],
    *,
    now: dt.datetime,
    dry_run: bool,
) -> RuleResult:
    rule = f"{retention.describe()}: {', '.join(f.field_name for f in fields)}"
    label = model._meta.label
    rows = _rows(model, retention, now)
    if model is get_user_model():
        return RuleResult(rule, label, "erase inactive accounts", _erase_inactive(rows, dry_run))
    if deletes_rows(fields):
        count = rows.count()
        if not dry_run and count:
            with transaction.atomic():
                rows.delete()
        return RuleResult(rule, label, "delete", count)
    values, pending = {}, Q()
    for item in fields:
        field = concrete_field(model, item.field_name)
        strategy = Erasure.ANONYMISE if item.erasure is Erasure.LEGAL_HOLD else item.erasure
        value = erased_value(field, strategy, None, 0)
        if value is KEEP:
            continue
        values[field.attname] = value
        pending |= (
            Q(**{f"{field.attname}__isnull": False})
            if value is None
            else ~Q(**{field.attname: value})
        )
    if not values:
        return RuleResult(rule, label, "nothing to clear", 0)
    due = rows.filter(pending)
    count = due.count()
    if not dry_run and count:
        with transaction.atomic():
            due.update(**values)
    return RuleResult(rule, label, "clear", count)


def _erase_inactive(rows: Any, dry_run: bool) -> int:
    candidates = rows.filter(is_staff=False).exclude(email__endswith=f"@{ERASED_DOMAIN}")
    if dry_run:
        return int(candidates.count())
    erased = 0
    for user in candidates.iterator():
        record = erasure_start(user=user, request_reference="retention")
        erased += record.status in (ErasureRecord.Status.DONE, ErasureRecord.Status.ERASED)
    return erased


def _technical(*, now: dt.datetime, dry_run: bool) -> list[RuleResult]:
    sessions = Session.objects.filter(expire_date__lt=now)
    count = sessions.count()
    if not dry_run:
        sessions.delete()
    exports = 0 if dry_run else exports_expire()
    return [
        RuleResult("expired sessions", "sessions.Session", "delete", count),
        RuleResult(
            f"exports not downloaded within {settings.PRIVACY_EXPORT_HOURS} hours",
            "privacy.ExportArchive",
            "delete file",
            exports,
        ),
    ]
