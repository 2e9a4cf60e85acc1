"""Claim windows and the seller's answer deadline: month ends, leap years, weekends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommerce.support.deadlines import (
    NOT_YET_OPEN,
    ClaimKind,
    Window,
    claim_refusal,
    claim_window,
    seller_answer_due,
)

D = dt.date
PARIS = ZoneInfo("Europe/Paris")


def window(kind: ClaimKind, delivered_on: dt.date | None, **overrides: object) -> Window:
    arguments: dict[str, object] = {
        "kind": kind,
        "delivered_on": delivered_on,
        "expected_by": D(2026, 12, 11),
        "return_days": 30,
        "warranty_months": 12,
    }
    arguments.update(overrides)
    return claim_window(**arguments)  # type: ignore[arg-type]


# --- Windows --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "delivered_on", "overrides", "expected"),
    [
        # 30 days from a delivery on 4 December: day 30 is 3 January.
        (ClaimKind.RETURN, D(2026, 12, 4), {}, Window(D(2026, 12, 4), D(2027, 1, 3))),
        (ClaimKind.NOT_AS_DESCRIBED, D(2026, 12, 4), {}, Window(D(2026, 12, 4), D(2027, 1, 3))),
        (
            ClaimKind.RETURN,
            D(2026, 12, 4),
            {"return_days": 14},
            Window(D(2026, 12, 4), D(2026, 12, 18)),
        ),
        # Across February of a leap year: 30 days from 15 February 2028 is 16 March.
        (ClaimKind.RETURN, D(2028, 2, 15), {}, Window(D(2028, 2, 15), D(2028, 3, 16))),
        # A Friday delivery: Monday, Tuesday, Wednesday.
        (ClaimKind.TRANSIT_DAMAGE, D(2026, 12, 4), {}, Window(D(2026, 12, 4), D(2026, 12, 9))),
        # A Saturday delivery: the weekend counts for nothing.
        (ClaimKind.TRANSIT_DAMAGE, D(2026, 12, 5), {}, Window(D(2026, 12, 5), D(2026, 12, 9))),
        # A Tuesday delivery: Wednesday, Thursday, Friday.
        (ClaimKind.TRANSIT_DAMAGE, D(2026, 12, 1), {}, Window(D(2026, 12, 1), D(2026, 12, 4))),
        # Warranty months clamp at a shorter month's end.
        (
            ClaimKind.WARRANTY,
            D(2026, 1, 31),
            {"warranty_months": 1},
            Window(D(2026, 1, 31), D(2026, 2, 28)),
        ),
        (
            ClaimKind.WARRANTY,
            D(2028, 1, 31),
            {"warranty_months": 1},
            Window(D(2028, 1, 31), D(2028, 2, 29)),
        ),
        (ClaimKind.WARRANTY, D(2028, 2, 29), {}, Window(D(2028, 2, 29), D(2029, 2, 28))),
        (
            ClaimKind.WARRANTY,
            D(2026, 8, 31),
            {"warranty_months": 18},
            Window(D(2026, 8, 31), D(2028, 2, 29)),
        ),
        # Not received: from the day after the expected date to 30 days after it.
        (ClaimKind.NOT_RECEIVED, None, {}, Window(D(2026, 12, 12), D(2027, 1, 10))),
        (ClaimKind.NOT_RECEIVED, D(2026, 12, 10), {}, Window(D(2026, 12, 12), D(2027, 1, 10))),
        (
            ClaimKind.NOT_RECEIVED,
            None,
            {"expected_by": D(2027, 1, 31)},
            Window(D(2027, 2, 1), D(2027, 3, 2)),
        ),
        # The carrier says lost: open at once, same closing day.
        (
            ClaimKind.NOT_RECEIVED,
            None,
            {"carrier_lost": True},
            Window(dt.date.min, D(2027, 1, 10)),
        ),
    ],
)
def test_claim_window(
    kind: ClaimKind, delivered_on: dt.date | None, overrides: dict[str, object], expected: Window
) -> None:
    assert window(kind, delivered_on, **overrides) == expected


@pytest.mark.parametrize(
    "kind",
    [ClaimKind.RETURN, ClaimKind.TRANSIT_DAMAGE, ClaimKind.WARRANTY, ClaimKind.NOT_AS_DESCRIBED],
)
def test_without_delivery_only_not_received_is_possible(kind: ClaimKind) -> None:
    result = window(kind, None)

    assert result == NOT_YET_OPEN
    assert result.awaits_delivery is True
    assert claim_refusal(kind=kind, window=result, today=D(2026, 12, 20)) is not None


def test_kind_accepts_its_string_value() -> None:
    assert window("return", D(2026, 12, 4)) == Window(D(2026, 12, 4), D(2027, 1, 3))  # type: ignore[arg-type]


def test_kind_values() -> None:
    assert [kind.value for kind in ClaimKind] == [
        "return",
        "transit_damage",
        "not_received",
        "warranty",
        "not_as_described",
    ]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        window("refund", D(2026, 12, 4))  # type: ignore[arg-type]


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        window(ClaimKind.RETURN, D(2026, 12, 4), return_days=-1)


def test_a_window_cannot_close_before_it_opens() -> None:
    with pytest.raises(ValueError):
        Window(D(2026, 12, 5), D(2026, 12, 4))


# --- Refusals -------------------------------------------------------------------------------


def test_the_closing_day_itself_is_allowed() -> None:
    result = window(ClaimKind.RETURN, D(2026, 12, 4))

    assert claim_refusal(kind=ClaimKind.RETURN, window=result, today=D(2026, 12, 4)) is None
    assert claim_refusal(kind=ClaimKind.RETURN, window=result, today=D(2027, 1, 3)) is None
    assert (
        claim_refusal(kind=ClaimKind.RETURN, window=result, today=D(2027, 1, 4))
        == "The return period for this order closed on 3 January 2027."
    )


@pytest.mark.parametrize(
    ("kind", "delivered_on", "today", "expected"),
    [
        (
            ClaimKind.NOT_AS_DESCRIBED,
            D(2026, 12, 4),
            D(2027, 1, 4),
            "Reports that an item is not as described had to be made within the return "
            "period, which closed on 3 January 2027.",
        ),
        (
            ClaimKind.TRANSIT_DAMAGE,
            D(2026, 12, 4),
            D(2026, 12, 10),
            "Damage in transit had to be reported within 3 business days of delivery, "
            "by 9 December 2026.",
        ),
        (
            ClaimKind.WARRANTY,
            D(2026, 1, 31),
            D(2027, 2, 1),
            "The warranty of this item ended on 31 January 2027.",
        ),
        (
            ClaimKind.NOT_RECEIVED,
            None,
            D(2026, 12, 11),
            "You can report a parcel as not received from 12 December 2026, the day after "
            "its latest expected delivery date.",
        ),
        (
            ClaimKind.NOT_RECEIVED,
            None,
            D(2027, 1, 11),
            "A parcel could be reported as not received until 10 January 2027, 30 days "
            "after its latest expected delivery date.",
        ),
        (
            ClaimKind.RETURN,
            None,
            D(2026, 12, 20),
            "You can return this order once it has been delivered.",
        ),
        (
            ClaimKind.TRANSIT_DAMAGE,
            None,
            D(2026, 12, 20),
            "You can report damage in transit once the order has been delivered.",
        ),
        (
            ClaimKind.WARRANTY,
            None,
            D(2026, 12, 20),
            "You can make a warranty claim once the order has been delivered.",
        ),
    ],
)
def test_refusal_sentences(
    kind: ClaimKind, delivered_on: dt.date | None, today: dt.date, expected: str
) -> None:
    result = window(kind, delivered_on)

    assert claim_refusal(kind=kind, window=result, today=today) == expected


def test_transit_damage_friday_delivery_allows_wednesday_not_thursday() -> None:
    result = window(ClaimKind.TRANSIT_DAMAGE, D(2026, 12, 4))

    assert claim_refusal(kind=ClaimKind.TRANSIT_DAMAGE, window=result, today=D(2026, 12, 9)) is None
    assert (
        claim_refusal(kind=ClaimKind.TRANSIT_DAMAGE, window=result, today=D(2026, 12, 10))
        is not None
    )


def test_not_received_opens_the_day_after_the_expected_date() -> None:
    result = window(ClaimKind.NOT_RECEIVED, None)

    assert claim_refusal(kind=ClaimKind.NOT_RECEIVED, window=result, today=D(2026, 12, 12)) is None
    assert claim_refusal(kind=ClaimKind.NOT_RECEIVED, window=result, today=D(2027, 1, 10)) is None


def test_lost_parcel_can_be_reported_before_the_expected_date() -> None:
    result = window(ClaimKind.NOT_RECEIVED, None, carrier_lost=True)

    assert claim_refusal(kind=ClaimKind.NOT_RECEIVED, window=result, today=D(2026, 12, 2)) is None
    assert claim_refusal(kind=ClaimKind.NOT_RECEIVED, window=result, today=D(2027, 1, 11)) == (
        "A parcel could be reported as not received until 10 January 2027, 30 days after "
        "its latest expected delivery date."
    )


def test_transit_damage_days_follow_the_setting(settings: object) -> None:
    settings.SUPPORT_TRANSIT_DAMAGE_BUSINESS_DAYS = 5  # type: ignore[attr-defined]

    result = window(ClaimKind.TRANSIT_DAMAGE, D(2026, 12, 4))

    assert result == Window(D(2026, 12, 4), D(2026, 12, 11))
    assert claim_refusal(kind=ClaimKind.TRANSIT_DAMAGE, window=result, today=D(2026, 12, 14)) == (
        "Damage in transit had to be reported within 5 business days of delivery, "
        "by 11 December 2026."
    )


# --- Properties -----------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


@given(
    kind=st.sampled_from(list(ClaimKind)),
    delivered_on=st.none() | dates,
    expected_by=dates,
    return_days=st.integers(min_value=0, max_value=365),
    warranty_months=st.integers(min_value=0, max_value=60),
    carrier_lost=st.booleans(),
    today=dates,
)
def test_window_properties(
    kind: ClaimKind,
    delivered_on: dt.date | None,
    expected_by: dt.date,
    return_days: int,
    warranty_months: int,
    carrier_lost: bool,
    today: dt.date,
) -> None:
    result = claim_window(
        kind=kind,
        delivered_on=delivered_on,
        expected_by=expected_by,
        return_days=return_days,
        warranty_months=warranty_months,
        carrier_lost=carrier_lost,
    )
    refusal = claim_refusal(kind=kind, window=result, today=today)

    assert result.closes_on >= result.opens_on
    assert (refusal is None) == (result.opens_on <= today <= result.closes_on)
    assert refusal is None or refusal.endswith(".")
    if delivered_on is None and kind is not ClaimKind.NOT_RECEIVED:
        assert refusal is not None
    if delivered_on is not None and kind is not ClaimKind.NOT_RECEIVED:
        # Delivery day itself is always allowed; the closing day is always a weekday or later.
        assert result.opens_on == delivered_on
        assert claim_refusal(kind=kind, window=result, today=delivered_on) is None
        assert claim_refusal(kind=kind, window=result, today=result.closes_on) is None


@given(delivered_on=dates)
def test_transit_damage_closes_on_a_weekday_within_five_days(delivered_on: dt.date) -> None:
    result = claim_window(
        kind=ClaimKind.TRANSIT_DAMAGE,
        delivered_on=delivered_on,
        expected_by=delivered_on,
        return_days=30,
        warranty_months=12,
    )

    assert result.closes_on.weekday() < 5
    assert 3 <= (result.closes_on - delivered_on).days <= 5


# --- The seller's answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened_at", "expected"),
    [
        # Monday 09:15 → Wednesday 09:15.
        (dt.datetime(2026, 12, 7, 9, 15, tzinfo=PARIS), dt.datetime(2026, 12, 9, 9, 15)),
        # Friday 17:00 → Tuesday 17:00.
        (dt.datetime(2026, 12, 4, 17, 0, tzinfo=PARIS), dt.datetime(2026, 12, 8, 17, 0)),
        # Saturday 10:00 → Tuesday 10:00.
        (dt.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS), dt.datetime(2026, 12, 8, 10, 0)),
        # Thursday 31 December → Monday 4 January.
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS), dt.datetime(2027, 1, 4, 23, 30)),
        # Friday before the spring clock change → Tuesday, same wall-clock time.
        (dt.datetime(2026, 3, 27, 10, 0, tzinfo=PARIS), dt.datetime(2026, 3, 31, 10, 0)),
    ],
)
def test_seller_answer_due(opened_at: dt.datetime, expected: dt.datetime) -> None:
    due = seller_answer_due(opened_at=opened_at)

    assert due.replace(tzinfo=None) == expected
    assert due.utcoffset() == expected.replace(tzinfo=PARIS).utcoffset()


def test_seller_answer_due_counts_days_in_the_site_time_zone() -> None:
    # Friday 23:30 UTC is already Saturday 00:30 in Paris: due Tuesday 00:30 Paris time.
    opened_at = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)

    assert seller_answer_due(opened_at=opened_at) == dt.datetime(2026, 12, 8, 0, 30, tzinfo=PARIS)


def test_seller_answer_due_keeps_naive_datetimes_naive() -> None:
    assert seller_answer_due(opened_at=dt.datetime(2026, 12, 4, 17, 0)) == dt.datetime(
        2026, 12, 8, 17, 0
    )


def test_seller_answer_days_follow_the_setting(settings: object) -> None:
    settings.SUPPORT_SELLER_ANSWER_BUSINESS_DAYS = 5  # type: ignore[attr-defined]

    assert seller_answer_due(
        opened_at=dt.datetime(2026, 12, 4, 17, 0, tzinfo=PARIS)
    ) == dt.datetime(2026, 12, 11, 17, 0, tzinfo=PARIS)
