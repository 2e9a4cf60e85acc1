"""Background work of marketing: sending a queued campaign, clearing stale sign-ups."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from recommerce.marketing.models import NewsletterSubscription
from recommerce.platform import clock

UNCONFIRMED_DAYS = 30


@db_task(retries=3, retry_delay=60)
def campaign_send_task(campaign_id: int) -> None:
    from recommerce.marketing.services.campaigns import campaign_run

    with lock_task(f"marketing-campaign-{campaign_id}"):
        campaign_run(campaign_id=campaign_id)


@db_periodic_task(crontab(hour="4", minute="7"))
@lock_task("marketing-unconfirmed")
def unconfirmed_signups_task() -> None:
    """Delete sign-ups never confirmed: without the owner's click they prove nothing."""
    cutoff = clock.now() - dt.timedelta(days=UNCONFIRMED_DAYS)
    NewsletterSubscription.objects.filter(
        Q(confirmation_sent_at__lt=cutoff)
        | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff),
        status=NewsletterSubscription.Status.PENDING,
    ).delete()
