"""Campaigns and the one marketing send (CONSENT-4, CONSENT-7, PURP-2).

``marketing_send`` is the only code that sends a marketing message. For every address it
asks the selectors, at that moment, whether the person opted in to the campaign's channel
and topic, has no objection or restriction on direct marketing, did not unsubscribe and
was not erased; each message carries the one-click unsubscribe of RFC 8058 and a visible
link that works without signing in.

A campaign survives its worker's death: each message is written to the outbox with the
person's delivery record, then sent (``platform.outbox``), so a message written is sent
exactly once; a campaign left sending (its lock's holder gone) is run again by
``campaigns_resume``, which skips everyone already recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from huey.exceptions import TaskLockedException

from recommerce.accounts.models import User
from recommerce.marketing import conf, selectors
from recommerce.marketing.models import (
    TOPICS,
    Campaign,
    CampaignDelivery,
    Channel,
    Topic,
)
from recommerce.marketing.services.subscriptions import unsubscribe_url
from recommerce.platform import clock
from recommerce.platform.locks import task_lock
from recommerce.platform.mail import ONE_CLICK, queue_templated
from recommerce.platform.outbox import email_deliver

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
# Longer than the sending of the largest campaign; a holder that died frees it sooner.
CAMPAIGN_LOCK_TTL = dt.timedelta(hours=2)
# A campaign queued this long ago and still sending, with its lock free, was cut short.
RESUME_AFTER = dt.timedelta(minutes=5)
NO_SMS = "Text-message campaigns need an SMS provider, and none is configured: choose email."


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one call of ``marketing_send`` did: messages sent, people skipped per reason."""

    sent: int
    skipped: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def campaign_create(
    *, actor: User, subject: str, body: str, topic: str, channel: str = Channel.EMAIL
) -> Campaign:
    """Write a draft campaign; nothing is sent until it is queued."""
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = "Write a subject."
    if not body.strip():
        errors["body"] = "Write the message."
    if topic not in TOPICS:
        errors["topic"] = "Choose a listed topic."
    if channel == Channel.SMS:
        errors["channel"] = NO_SMS
    elif channel != Channel.EMAIL:
        errors["channel"] = "Choose a listed channel."
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        subject=subject.strip(),
        body=body.strip(),
        topic=topic,
        channel=channel,
        created_by=actor,
    )


@transaction.atomic
def campaign_queue(*, campaign: Campaign) -> Campaign:
    """Hand a draft to the worker, which sends it in batches; a campaign goes out once."""
    from recommerce.marketing.tasks import campaign_send_task

    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != Campaign.Status.DRAFT:
        raise ValidationError("This campaign was already sent or is being sent.")
    locked.status, locked.queued_at = Campaign.Status.SENDING, clock.now()
    locked.save(update_fields=["status", "queued_at", "updated_at"])
    transaction.on_commit(lambda: campaign_send_task(locked.pk))
    return locked


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def campaign_run(*, campaign_id: int, batch_size: int = BATCH_SIZE) -> Campaign | None:
    """Send a queued campaign to everyone it may reach, batch by batch.

    Run again after a failure, it skips those already sent to. People it may not reach
    are counted per reason once at the start, plus any who stopped during the sending.
    """
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return campaign
    summary = selectors.reach_summary(topic=campaign.topic, channel=campaign.channel)
    Campaign.objects.filter(pk=campaign.pk).update(skipped=summary.reasons)
    addresses = [
        person.address
        for person in selectors.marketing_recipients(topic=campaign.topic, channel=campaign.channel)
    ]
    for batch in _batches(addresses, batch_size):
        marketing_send(campaign=campaign, addresses=batch)
    campaign.refresh_from_db()
    campaign.status, campaign.sent_at = Campaign.Status.SENT, clock.now()
    campaign.sent_count = campaign.deliveries.count()
    campaign.save(update_fields=["status", "sent_at", "sent_count", "updated_at"])
    return campaign


def campaign_run_locked(*, campaign_id: int) -> Campaign | None:
    """Run ``campaign_run`` under the campaign's lock, so one worker sends it at a time.

    Raise ``TaskLockedException`` while another live worker holds it.
    """
    with task_lock(f"marketing-campaign-{campaign_id}", ttl=CAMPAIGN_LOCK_TTL):
        return campaign_run(campaign_id=campaign_id)


def campaigns_resume() -> int:
    """Run again every campaign left sending by a stopped worker; return how many ran."""
    stale = clock.now() - RESUME_AFTER
    resumed = 0
    for campaign_id in Campaign.objects.filter(
        status=Campaign.Status.SENDING, queued_at__lt=stale
    ).values_list("pk", flat=True):
        try:
            campaign_run_locked(campaign_id=campaign_id)
        except TaskLockedException:
            continue  # still being sent by a live worker
        resumed += 1
    return resumed


def marketing_send(*, campaign: Campaign, addresses: Iterable[str]) -> SendReport:
    """Send ``campaign`` to each of ``addresses`` the person behind it allows, now.

    Every address is checked again here, whoever picked it: a choice made since the
    audience was counted wins. Those already sent this campaign are not sent it twice.
    """
    if campaign.channel != Channel.EMAIL:
        raise ValueError(NO_SMS)
    people = selectors.reach_of(addresses=addresses, topic=campaign.topic, channel=campaign.channel)
    done = set(
        CampaignDelivery.objects.filter(campaign=campaign, email__in=people).values_list(
            "email", flat=True
        )
    )
    sent, skipped = 0, Counter[str]()
    for address, person in people.items():
        if not person.reachable:
            skipped[person.reason] += 1
        elif address not in done and _deliver(campaign, person):
            sent += 1
    _count(campaign, sent, skipped)
    return SendReport(sent=sent, skipped=dict(sorted(skipped.items())))


def _deliver(campaign: Campaign, person: selectors.Person) -> bool:
    """Record and send one message; return whether it was this call's (a twin worker, or
    an earlier run cut short, may have recorded it: the outbox sends that one)."""
    link = unsubscribe_url(user_id=person.user_id, subscription_id=person.subscription_id)
    mailbox = conf.unsubscribe_mailbox()
    try:
        with transaction.atomic():
            delivery = CampaignDelivery.objects.create(
                campaign=campaign, email=person.address, user_id=person.user_id
            )
            email = queue_templated(
                to=[person.address],
                subject=campaign.subject,
                template="marketing/email/campaign",
                context={
                    "body": campaign.body,
                    "topic": Topic(campaign.topic).label,
                    "unsubscribe_url": link,
                    "preferences_url": f"{settings.SITE_URL}{reverse('marketing:preferences')}",
                },
                transactional=False,
                headers={
                    "List-Unsubscribe": f"<{link}>, <mailto:{mailbox}?subject=unsubscribe>",
                    "List-Unsubscribe-Post": ONE_CLICK,
                },
                key=f"campaign:{campaign.pk}:delivery:{delivery.pk}",
            )
    except IntegrityError:
        return False
    if email is not None:
        email_deliver(email=email)
    return True


@transaction.atomic
def _count(campaign: Campaign, sent: int, skipped: Counter[str]) -> None:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    totals = Counter(locked.skipped) + skipped
    locked.sent_count += sent
    locked.skipped = dict(totals)
    locked.save(update_fields=["sent_count", "skipped", "updated_at"])
