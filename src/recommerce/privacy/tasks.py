"""Background work of the privacy core: exports (and those a stopped worker left), the
retention job, erasures to resume."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from recommerce.platform.locks import task_lock
from recommerce.privacy.models import ErasureRecord
from recommerce.privacy.notice.tasks import notice_announce_task  # noqa: F401  (registers the task)

logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=30)
def export_build_task(archive_id: int) -> None:
    from recommerce.privacy.services.exports import export_build_and_mail

    export_build_and_mail(archive_id=archive_id)


@db_periodic_task(crontab(minute="*/10"))
@task_lock("privacy-exports-resume", ttl=dt.timedelta(hours=1))
def exports_resume_task() -> int:
    """Finish, every ten minutes, the exports a stopped worker left unbuilt or unsent."""
    from recommerce.privacy.services.exports import exports_resume

    return exports_resume()


@db_periodic_task(crontab(hour="3", minute="17"))
@task_lock("privacy-retention", ttl=dt.timedelta(hours=2))
def retention_task() -> None:
    from recommerce.privacy.services.retention import retention_run

    retention_run()


@db_periodic_task(crontab(minute="*/30"))
@task_lock("privacy-erasures-resume", ttl=dt.timedelta(hours=1))
def erasures_resume_task() -> None:
    """Retry erasures that failed part-way or waited for an order to close.

    A record still pending a while after it was opened was cut short (a worker stopped):
    it is resumed too. One erasure that fails does not stop the others.
    """
    from recommerce.privacy.services.erasure import erasure_run

    waiting = (
        ErasureRecord.Status.FAILED,
        ErasureRecord.Status.POSTPONED,
        ErasureRecord.Status.ERASED,
    )
    stale = timezone.now() - dt.timedelta(minutes=10)
    due = ErasureRecord.objects.filter(
        Q(status__in=waiting) | Q(status=ErasureRecord.Status.PENDING, created_at__lt=stale),
        attempts__lt=20,
    )
    for record in due.order_by("pk"):
        try:
            erasure_run(record=record)
        except Exception:
            logger.exception("Erasure %s could not be resumed.", record.pk)
