"""The announcement of a new notice version, one batch of accounts per task.

Imported by ``privacy.tasks`` so the worker knows the task.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from recommerce.platform.locks import task_lock


@db_task()
def notice_announce_task(version_id: int, user_ids: list[int], attempt: int = 1) -> None:
    from recommerce.privacy.services.notice import notice_mail_batch

    notice_mail_batch(version_id=version_id, user_ids=user_ids, attempt=attempt)


@db_periodic_task(crontab(minute="*/10"))
@task_lock("privacy-notice-resume")
def notice_announce_resume_task() -> int:
    """Queue again, every ten minutes, announcements whose batch was lost with its worker."""
    from recommerce.privacy.services.notice import notice_announce_resume

    return notice_announce_resume()
