"""Background upkeep of returns: parcels on their way back, device checks to ask again."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.returns import claims_returns_refresh


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
@task_lock("support-returns-refresh")
def returns_refresh() -> int:
    """Follow return parcels and retry unanswered activation-lock checks every 15 minutes."""
    return claims_returns_refresh()
