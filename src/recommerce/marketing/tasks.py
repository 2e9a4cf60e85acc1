"""Background work of marketing: sending a queued campaign (and finishing one a stopped
worker left), clearing stale sign-ups."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from recommerce.marketing.models import NewsletterSubscription
from recommerce.platform import clock
from recommerce.platform.locks import task_lock

UNCONFIRMED_DAYS = 30


@db_task(retries=3, retry_delay=60)
def campaign_send_task(campaign_id: int) -> None:
    from recommerce.marketing.services.campaigns import campaign_run_locked

    campaign_run_locked(campaign_id=campaign_id)


@db_periodic_task(crontab(minute="*/5"))
@task_lock("marketing-campaigns-resume")
def campaigns_resume_task() -> int:
    """Finish, every five minutes, campaigns whose sending stopped with its worker."""
    from recommerce.marketing.services.campaigns import campaigns_resume

    return campaigns_resume()


@db_periodic_task(crontab(hour="4", minute="7"))
@task_lock("marketing-unconfirmed")
def unconfirmed_signups_task() -> None:
    """Delete sign-ups never confirmed: without the owner's click they prove nothing."""
    cutoff = clock.now() - dt.timedelta(days=UNCONFIRMED_DAYS)
    NewsletterSubscription.objects.filter(
        Q(confirmation_sent_at__lt=cutoff)
        | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff),
        status=NewsletterSubscription.Status.PENDING,
    ).delete()
