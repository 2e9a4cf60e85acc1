"""Date arithmetic the rules share: months that clamp, and business days.

Pure functions on ``datetime.date``. Public holidays are not counted: which ones apply
depends on the market and the party, and treating them as working days gives an earlier,
and so safer, deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt

_SATURDAY = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day number ``months`` later, clamped to that month's last day.

    31 January plus one month is 28 (or 29) February; 29 February plus twelve months is
    28 February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_business_days(day: dt.date, count: int) -> dt.date:
    """Return the date ``count`` business days (Monday to Friday) after ``day``.

    A ``count`` of zero returns ``day`` unchanged; a negative one is refused.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    result = day
    remaining = count
    while remaining:
        result += dt.timedelta(days=1)
        if result.weekday() < _SATURDAY:
            remaining -= 1
    return result
