"""Background upkeep of after-sales (each periodic task under its lock, ADR 0017)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.claims import claims_escalate_overdue
from recommerce.support.services.conversations import support_chats_close_idle
from recommerce.support.services.feedback import surveys_offer_due
from recommerce.support.services.identity import identity_evidence_purge
from recommerce.support.services.quality import sellers_answer_time_refresh
from recommerce.support.services.returns import claims_returns_refresh


@db_periodic_task(crontab(minute="*/15"))
@task_lock("support-claims-escalate-overdue")
def claims_escalate() -> int:
    """Hand to customer service, every 15 minutes, open claims past the seller's deadline."""
    return claims_escalate_overdue()


@db_periodic_task(crontab(minute="*/15"))
@task_lock("support-returns-refresh")
def returns_refresh() -> int:
    """Follow return parcels and retry unanswered activation-lock checks every 15 minutes."""
    return claims_returns_refresh()


@db_periodic_task(crontab(minute="*/30"))
@task_lock("support-chats-close-idle")
def support_chats_close() -> int:
    """Close, every 30 minutes, support chats idle for 24 hours; unrecorded ones lose their
    messages and files."""
    return support_chats_close_idle()


@db_periodic_task(crontab(minute="17"))
@task_lock("support-surveys-offer")
def surveys_offer() -> int:
    """Offer, hourly, the surveys due after the last 7 days' deliveries and closed claims."""
    return surveys_offer_due()


@db_periodic_task(crontab(hour="3", minute="17"))
@task_lock("support-identity-evidence-purge")
def identity_evidence_purge_daily() -> int:
    """Delete, nightly, identity documents of claims closed more than the kept days ago."""
    return identity_evidence_purge()


@db_periodic_task(crontab(hour="4", minute="7"))
@task_lock("support-sellers-answer-time")
def sellers_answer_time() -> int:
    """Measure, nightly, each seller's median answer time (part of the offer score)."""
    return sellers_answer_time_refresh()
