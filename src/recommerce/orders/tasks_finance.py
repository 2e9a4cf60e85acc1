"""Scheduled money work: payout runs on the configured days, commission invoices monthly."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.accounts.models import Seller
from recommerce.orders.models import LedgerTransaction, Payout
from recommerce.orders.services.invoices import commission_invoice_issue, day_bounds
from recommerce.orders.services.payouts import payout_send, payouts_run
from recommerce.platform import clock
from recommerce.platform.locks import task_lock
from recommerce.platform.providers import ProviderError

logger = logging.getLogger(__name__)

PAYOUT_DAYS = ",".join(str(day) for day in settings.PAYOUT_DAYS_OF_MONTH)


def payouts_run_and_send(*, run_date: dt.date) -> int:
    """Run the payouts of ``run_date`` and send the approved ones; return how many were sent.

    A payout that cannot be sent (no bank account, the provider refusing) stays approved
    and is sent by a later run or by finance staff.
    """
    sent = 0
    for payout in payouts_run(run_date=run_date):
        if payout.status != Payout.Status.APPROVED:
            continue
        try:
            if payout_send(payout=payout).status == Payout.Status.SENT:
                sent += 1
        except (ValidationError, ProviderError) as error:
            logger.warning("Payout %s not sent: %s", payout.pk, error)
    return sent


@db_periodic_task(crontab(minute="0", hour="6", day=PAYOUT_DAYS))
@task_lock("orders-payouts-run", ttl=dt.timedelta(hours=1))
def payouts_scheduled() -> int:
    """Pay sellers at 06:00 on each payout day of the month."""
    return payouts_run_and_send(run_date=clock.today())


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last days of the month before ``today``'s."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def commission_invoices_issue(*, period_start: dt.date, period_end: dt.date) -> int:
    """Issue the period's commission invoice to every seller with orders or refunds in it."""
    since, until = day_bounds(period_start, period_end)
    moved = LedgerTransaction.objects.filter(
        kind__in=[LedgerTransaction.Kind.REFUND, LedgerTransaction.Kind.CHARGEBACK],
        created_at__gte=since,
        created_at__lt=until,
    ).values_list("seller_id", flat=True)
    sellers = Seller.objects.filter(
        Q(orders__paid_at__gte=since, orders__paid_at__lt=until) | Q(pk__in=moved)
    ).distinct()
    issued = 0
    for seller in sellers:
        if commission_invoice_issue(
            seller=seller, period_start=period_start, period_end=period_end
        ):
            issued += 1
    return issued


@db_periodic_task(crontab(minute="30", hour="6", day="1"))
@task_lock("orders-commission-invoices", ttl=dt.timedelta(hours=1))
def commission_invoices_monthly() -> int:
    """Invoice last month's commissions on the 1st of each month."""
    start, end = previous_month(clock.today())
    return commission_invoices_issue(period_start=start, period_end=end)
