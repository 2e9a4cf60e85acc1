"""Background work of the privacy core: exports, the retention job, erasures to resume."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from recommerce.privacy.models import ErasureRecord, ExportArchive


@db_task(retries=3, retry_delay=30)
def export_build_task(archive_id: int) -> None:
    from recommerce.privacy.services.exports import export_build, export_mail

    archive = ExportArchive.objects.select_related("user", "request").get(pk=archive_id)
    export_mail(archive=export_build(archive=archive))


@db_periodic_task(crontab(hour="3", minute="17"))
@lock_task("privacy-retention")
def retention_task() -> None:
    from recommerce.privacy.services.retention import retention_run

    retention_run()


@db_periodic_task(crontab(minute="*/30"))
@lock_task("privacy-erasures-resume")
def erasures_resume_task() -> None:
    """Retry erasures that failed part-way or waited for an order to close."""
    from recommerce.privacy.services.erasure import erasure_run

    waiting = (
        ErasureRecord.Status.FAILED,
        ErasureRecord.Status.POSTPONED,
        ErasureRecord.Status.ERASED,
    )
    for record in ErasureRecord.objects.filter(status__in=waiting, attempts__lt=20):
        erasure_run(record=record)
