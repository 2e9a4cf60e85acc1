"""Periodic work for checkouts: release expired reservations, reconcile paid checkouts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.checkout.services.completion import checkouts_expire_due, checkouts_reconcile
from recommerce.platform.locks import task_lock


@db_periodic_task(crontab(minute="*"))
@task_lock("checkout-expire")
def expire_reservations() -> int:
    return checkouts_expire_due()


@db_periodic_task(crontab(minute="*"))
@task_lock("checkout-reconcile")
def reconcile_paid_checkouts() -> int:
    return checkouts_reconcile()
