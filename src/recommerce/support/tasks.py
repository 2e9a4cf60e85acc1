"""Background upkeep of after-sales: claims the seller left unanswered."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.claims import claims_escalate_overdue


@db_periodic_task(crontab(minute="*/15"))
@task_lock("support-claims-escalate-overdue")
def claims_escalate() -> int:
    """Hand to customer service, every 15 minutes, open claims past the seller's deadline."""
    return claims_escalate_overdue()
