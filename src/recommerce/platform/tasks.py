"""The platform's periodic work: the email outbox, and tasks kept during a queue outage."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.platform.outbox import outbox_send_due


@db_periodic_task(crontab(minute="*"))
@task_lock("platform-outbox")
def outbox_sweep() -> int:
    """Send, every minute, the emails waiting: retries, and those a stopped worker left."""
    return outbox_send_due()


@db_periodic_task(crontab(minute="*"))
def queue_backlog_flush() -> int:
    """Queue the tasks kept in the database while Redis was down (a no-op on SQLite)."""
    flush = getattr(HUEY.storage, "backlog_flush", None)
    return flush() if flush is not None else 0
