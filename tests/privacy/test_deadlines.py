"""Deadlines for data-subject requests (RIGHT-5): exact examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommerce.platform.calendar import add_business_days, add_months
from recommerce.privacy.deadlines import (
    REQUEST_RECORD_RETENTION_DAYS,
    Deadlines,
    Jurisdiction,
    deadlines_for,
    is_overdue,
)

receipt_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
jurisdictions = st.sampled_from(Jurisdiction)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 5, 15), date(2026, 6, 15)),
        (date(2026, 12, 31), date(2027, 1, 31)),
        (date(2026, 2, 28), date(2026, 3, 28)),
    ],
)
def test_right_5_gdpr_one_calendar_month(received, due):
    assert deadlines_for(Jurisdiction.GDPR, received).answer_by == due


def test_right_5_gdpr_full_deadlines_for_31_january():
    assert deadlines_for(Jurisdiction.GDPR, date(2026, 1, 31)) == Deadlines(
        acknowledge_by=None,
        answer_by=date(2026, 2, 28),
        extension_notice_by=date(2026, 2, 28),
        extended_answer_by=date(2026, 4, 30),
    )


def test_right_5_gdpr_extension_clamps_against_the_receipt_day():
    # Two months added to the due date (30 Nov) would give 30 Jan; the receipt day gives 31 Jan.
    deadlines = deadlines_for(Jurisdiction.GDPR, date(2026, 10, 31))
    assert deadlines.answer_by == date(2026, 11, 30)
    assert deadlines.extended_answer_by == date(2027, 1, 31)


def test_right_5_ccpa_friday_receipt():
    assert deadlines_for(Jurisdiction.CCPA, date(2026, 11, 20)) == Deadlines(
        acknowledge_by=date(2026, 12, 4),
        answer_by=date(2027, 1, 4),
        extension_notice_by=date(2027, 1, 4),
        extended_answer_by=date(2027, 2, 18),
    )


def test_right_5_ccpa_acknowledgement_ignores_public_holidays():
    # Thanksgiving (26 Nov 2026) still counts as a business day.
    assert add_business_days(date(2026, 11, 20), 4) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday → Monday
        (date(2026, 11, 21), 1, date(2026, 11, 23)),  # Saturday → Monday
        (date(2026, 11, 22), 5, date(2026, 11, 27)),  # Sunday → Friday
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_right_5_add_business_days(start, count, expected):
    assert add_business_days(start, count) == expected


def test_right_5_add_business_days_rejects_a_negative_count():
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_days(date(2026, 11, 20), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 1, 31), 12, date(2027, 1, 31)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
    ],
)
def test_right_5_add_months_clamps(start, months, expected):
    assert add_months(start, months) == expected


def test_right_5_overdue_only_after_the_due_date():
    due = date(2026, 2, 28)
    assert is_overdue(due, date(2026, 2, 27)) is False
    assert is_overdue(due, date(2026, 2, 28)) is False
    assert is_overdue(due, date(2026, 3, 1)) is True


def test_right_5_request_records_kept_24_months():
    assert REQUEST_RECORD_RETENTION_DAYS == 730


@given(received=receipt_dates)
def test_right_5_gdpr_answer_within_28_to_31_days(received):
    deadlines = deadlines_for(Jurisdiction.GDPR, received)
    assert 28 <= (deadlines.answer_by - received).days <= 31
    assert deadlines.acknowledge_by is None
    assert deadlines.extension_notice_by == deadlines.answer_by
    assert 89 <= (deadlines.extended_answer_by - received).days <= 92


@given(jurisdiction=jurisdictions, first=receipt_dates, second=receipt_dates)
def test_right_5_later_receipt_never_gives_an_earlier_due_date(jurisdiction, first, second):
    earlier, later = sorted((first, second))
    a = deadlines_for(jurisdiction, earlier)
    b = deadlines_for(jurisdiction, later)
    assert a.answer_by <= b.answer_by
    assert a.extension_notice_by <= b.extension_notice_by
    assert a.extended_answer_by <= b.extended_answer_by
    if jurisdiction is Jurisdiction.CCPA:
        assert a.acknowledge_by is not None
        assert b.acknowledge_by is not None
        assert a.acknowledge_by <= b.acknowledge_by


@given(start=receipt_dates, count=st.integers(min_value=1, max_value=60))
def test_right_5_business_day_result_is_never_a_weekend(start, count):
    result = add_business_days(start, count)
    assert result.weekday() < 5
    assert result > start
    weekdays_between = sum(
        1 for n in range(1, (result - start).days + 1) if (start + timedelta(n)).weekday() < 5
    )
    assert weekdays_between == count


@given(received=receipt_dates)
def test_right_5_ccpa_extension_is_45_more_days(received):
    deadlines = deadlines_for(Jurisdiction.CCPA, received)
    assert deadlines.answer_by == received + timedelta(days=45)
    assert deadlines.extension_notice_by == deadlines.answer_by
    assert deadlines.extended_answer_by == deadlines.answer_by + timedelta(days=45)
    assert deadlines.extended_answer_by == received + timedelta(days=90)
    assert deadlines.acknowledge_by is not None
    assert deadlines.acknowledge_by.weekday() < 5
    assert 12 <= (deadlines.acknowledge_by - received).days <= 14
