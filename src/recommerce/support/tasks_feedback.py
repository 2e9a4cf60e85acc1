"""Background work of feedback: satisfaction surveys offered after deliveries and claims."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.feedback import surveys_offer_due


@db_periodic_task(crontab(minute="17"))  # type: ignore[untyped-decorator]
@task_lock("support-surveys-offer")
def surveys_offer() -> int:
    """Offer, hourly, the surveys due after the last 7 days' deliveries and closed claims."""
    return surveys_offer_due()
