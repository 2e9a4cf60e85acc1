"""Background upkeep of support chats: chats idle for a day are closed (CONSENT-6)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.conversations import support_chats_close_idle


@db_periodic_task(crontab(minute="*/30"))  # type: ignore[untyped-decorator]
@task_lock("support-chats-close-idle")
def support_chats_close() -> int:
    """Close, every 30 minutes, support chats idle for 24 hours; unrecorded ones lose their
    messages and files."""
    return support_chats_close_idle()
