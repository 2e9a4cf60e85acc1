"""Reads of the analytics app: figures for staff, small groups hidden (RETAIN-2).

Every figure is counted in the database and only counts leave it: no path, visitor key or
account reaches a staff page. A group seen by fewer than ``settings.PRIVACY_MIN_GROUP``
distinct visitors shows no number, since a small group can single a person out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, F, Window
from django.db.models.functions import RowNumber, TruncDate, TruncWeek

from recommerce.analytics.models import PageView, ProductView
from recommerce.catalog.selectors import variants_in_order
from recommerce.privacy.aggregates import suppress_small

TOP_PRODUCTS = 10


@dataclass(frozen=True, slots=True)
class Figures:
    """Views and distinct visitors of one group, before any suppression."""

    key: str
    label: str
    views: int
    visitors: int


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a staff table: its counts, or none when the group is hidden.

    ``secondary`` marks a group hidden only so that a small one cannot be derived from the
    others; its own size is not small.
    """

    label: str
    views: int | None
    visitors: int | None
    suppressed: bool
    secondary: bool = False


@dataclass(frozen=True, slots=True)
class Week:
    starts_on: dt.date
    rows: list[Row]


def rows_suppressed(figures: Sequence[Figures], *, threshold: int | None = None) -> list[Row]:
    """Return ``figures`` as rows, hiding every group with too few distinct visitors.

    A hidden group hides its views too: a page seen a hundred times by two people still
    tells what those two looked at.
    """
    groups = suppress_small({f.key: f.visitors for f in figures}, threshold=threshold)
    return [
        Row(item.label, None, None, True, secondary=group.secondary)
        if group.suppressed
        else Row(item.label, item.views, item.visitors, False)
        for item, group in zip(figures, groups, strict=True)
    ]


def page_views_per_day(*, since: dt.datetime) -> list[Figures]:
    """Count page views and distinct visitors per day (local time), newest day first."""
    found = (
        PageView.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(views=Count("pk"), visitors=Count("visitor", distinct=True))
        .order_by("-day")
    )
    return [
        Figures(
            key=row["day"].isoformat(),
            label=f"{row['day']:%a} {row['day'].day} {row['day']:%b %Y}",
            views=row["views"],
            visitors=row["visitors"],
        )
        for row in found
    ]


def product_views_per_week(*, since: dt.datetime, top: int = TOP_PRODUCTS) -> list[Week]:
    """Return, week by week (newest first), the ``top`` products by distinct visitors.

    Ties go to the product with more views, then to the lower variant id, so the order
    is stable. Small groups are hidden within each week.
    """
    ranking = [F("visitors").desc(), F("views").desc(), F("variant_id").asc()]
    found = (
        ProductView.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at", output_field=DateTimeField()))
        .values("week", "variant_id")
        .annotate(views=Count("pk"), visitors=Count("visitor", distinct=True))
        .annotate(rank=Window(RowNumber(), partition_by=[F("week")], order_by=ranking))
        .filter(rank__lte=top)
        .order_by("-week", "rank")
    )
    per_week: dict[dt.date, list[tuple[int, int, int]]] = {}
    for row in found:
        per_week.setdefault(row["week"].date(), []).append(
            (row["variant_id"], row["views"], row["visitors"])
        )
    ids = sorted({variant_id for week in per_week.values() for variant_id, _, _ in week})
    names = {variant.pk: str(variant) for variant in variants_in_order(ids=ids)}
    return [
        Week(
            starts_on=starts_on,
            rows=rows_suppressed(
                [
                    Figures(str(variant_id), names.get(variant_id, "?"), views, visitors)
                    for variant_id, views, visitors in week
                ]
            ),
        )
        for starts_on, week in per_week.items()
    ]
