"""The demo's dates, counted back from the moment it is seeded, so that they never disagree.

Shops list their offers first, people join later, the buyer orders three weeks before the
seed; payment, invoice, shipping, delivery estimate and delivery follow in that order, and
the payout run is the seed's own day:

    opened < joined < ordered < paid < invoiced < shipped < expected/delivered < payout

Each step runs through the real services while ``travel`` makes the time read as that
step's moment, so every row a service writes (payments, invoices, ledger, tracking, emails'
dates) carries the same story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

OPENED_DAYS_AGO = 120  # the shops' offers are published
JOINED_DAYS_AGO = 90  # the demo people sign up
ORDERED_DAYS_AGO = 21  # the buyer's first checkout: old enough for the shipped order's payout


def days_ago(days: int, *, hour: int, now: dt.datetime | None = None) -> dt.datetime:
    """Return ``hour`` o'clock, local time, ``days`` days before the local day of ``now``."""
    zone = timezone.get_current_timezone()
    day = timezone.localdate(now or timezone.now()) - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


@contextmanager
def travel(moment: dt.datetime) -> Iterator[None]:
    """Make ``django.utils.timezone.now`` (and so ``platform.clock``) start at ``moment``.

    Time keeps running from there, as payment confirmations need. Fields whose default is
    ``timezone.now`` itself (``User.date_joined``) keep the real time: set them explicitly.
    """
    real_now: Callable[[], dt.datetime] = timezone.now
    offset = moment - real_now()

    def shifted() -> dt.datetime:
        return real_now() + offset

    timezone.now = shifted
    try:
        yield
    finally:
        timezone.now = real_now
