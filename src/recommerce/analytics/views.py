"""The staff statistics page: page views per day, top products per week (RETAIN-2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from recommerce.analytics import selectors
from recommerce.platform.staff import staff_only

VIEW_STATISTICS = "analytics.view_statistics"
DAYS = 30
WEEKS = 8


@staff_only(VIEW_STATISTICS)
def statistics(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Whole days and whole weeks only: a part-day at the start would look like a dip.
    day_start = today - dt.timedelta(days=DAYS - 1)
    week_start = today - dt.timedelta(days=today.weekday(), weeks=WEEKS - 1)
    return render(
        request,
        "analytics/staff/statistics.html",
        {
            "min_group": settings.PRIVACY_MIN_GROUP,
            "days": DAYS,
            "weeks": WEEKS,
            "daily": selectors.rows_suppressed(selectors.page_views_per_day(since=day_start)),
            "weekly": selectors.product_views_per_week(since=week_start),
        },
    )
