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
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from recommerce.privacy.models import ErasureRecord, RetentionRun
from recommerce.privacy.paths import concrete_field, path_target
from recommerce.privacy.registry import Erasure, PersonalField, Retention, registry
from recommerce.privacy.rights.rows import deletes_rows
from recommerce.privacy.rights.values import ERASED_DOMAIN, KEEP, erased_value
from recommerce.privacy.services.erasure import erasure_blockers, erasure_start
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
    errors: list[str] = []
    # One rule that fails is reported and the others still run: a period missed tonight
    # must not keep every other table past its own.
    for model, retention, fields in retention_rules():
        try:
            results.append(_apply(model, retention, fields, now=now, dry_run=dry_run))
        except Exception as error:
            logger.exception("Retention run %s: a rule on %s failed.", run.pk, model._meta.label)
            results.append(
                RuleResult(_rule_name(retention, fields), model._meta.label, "failed", 0)
            )
            errors.append(f"{model._meta.label}: {error}")
    try:
        results += _technical(now=now, dry_run=dry_run)
    except Exception as error:
        logger.exception("Retention run %s: the technical clean-up failed.", run.pk)
        errors.append(f"technical clean-up: {error}")
    run.error = "\n".join(errors)[:2000]
    run.report = [asdict(r) for r in results]
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "finished_at", "error"])
    return run


def _rule_name(retention: Retention, fields: list[PersonalField]) -> str:
    return f"{retention.describe()}: {', '.join(f.field_name for f in fields)}"


def _rows(model: type[models.Model], retention: Retention, now: dt.datetime) -> Any:
    cutoff: dt.datetime | dt.date = now - dt.timedelta(days=retention.days or 0)
    clock = Coalesce(*retention.clock) if len(retention.clock) > 1 else models.F(retention.clock[0])
    targets = [path_target(model, path) for path in retention.clock]
    if all(type(t) is models.DateField for t in targets):
        # A date (a legal hold's last day) compares with a day, not with an instant.
        cutoff = timezone.localdate(cutoff)  # type: ignore[arg-type]
    return model._base_manager.alias(_clock=clock).filter(_clock__lt=cutoff)


def _apply(
    model: type[models.Model],
    retention: Retention,
    fields: list[PersonalField],
    *,
    now: dt.datetime,
    dry_run: bool,
) -> RuleResult:
    rule = _rule_name(retention, fields)
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
    # An erasure already under way (postponed by an open order, failed part-way) is the
    # resume task's to finish; opening another each night would only pile up records.
    waiting = ErasureRecord.objects.filter(
        status__in=(
            ErasureRecord.Status.PENDING,
            ErasureRecord.Status.POSTPONED,
            ErasureRecord.Status.FAILED,
            ErasureRecord.Status.ERASED,
        )
    ).values("subject_id")
    ids = list(candidates.exclude(pk__in=waiting).values_list("pk", flat=True))
    erased = 0
    for user in get_user_model()._base_manager.filter(pk__in=ids).order_by("pk"):
        if dry_run:
            erased += not erasure_blockers(user=user)
            continue
        record = erasure_start(user=user, request_reference="retention")
        erased += record.status in (ErasureRecord.Status.DONE, ErasureRecord.Status.ERASED)
    return erased


def _technical(*, now: dt.datetime, dry_run: bool) -> list[RuleResult]:
    sessions = Session.objects.filter(expire_date__lt=now)
    count = sessions.count()
    if not dry_run:
        sessions.delete()
    exports = exports_expire(now=now, dry_run=dry_run)
    return [
        RuleResult("expired sessions", "sessions.Session", "delete", count),
        RuleResult(
            f"{settings.PRIVACY_MAIL_FILE_DAYS} days after a message was written to the file inbox",
            "mail files",
            "delete",
            _mail_files(now=now, dry_run=dry_run),
        ),
        RuleResult(
            f"exports not downloaded within {settings.PRIVACY_EXPORT_HOURS} hours",
            "privacy.ExportArchive",
            "delete file",
            exports,
        ),
    ]


def _mail_files(*, now: dt.datetime, dry_run: bool) -> int:
    """Delete the file inbox's old messages (used where no mail server is configured)."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return 0
    folder = Path(settings.EMAIL_FILE_PATH)
    cutoff = (now - dt.timedelta(days=settings.PRIVACY_MAIL_FILE_DAYS)).timestamp()
    old = [path for path in folder.glob("*.log") if path.stat().st_mtime < cutoff]
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)
