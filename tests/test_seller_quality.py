from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommerce.accounts.quality import seller_quality_bp


def test_new_seller_starts_from_the_priors():
    # ratings 4/5 -> 7500; on time 90 %; defect-free 95 %: 0.4*7500 + 0.3*9000 + 0.3*9500
    assert (
        seller_quality_bp(
            rating_count=0, rating_sum=0, orders_shipped=0, orders_late=0, orders_defective=0
        )
        == 8550
    )


def test_a_flawless_record_approaches_the_maximum():
    score = seller_quality_bp(
        rating_count=10_000, rating_sum=50_000, orders_shipped=10_000, orders_late=0,
        orders_defective=0,
    )  # fmt: skip
    assert 9_980 <= score <= 10_000


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        seller_quality_bp(
            rating_count=-1, rating_sum=0, orders_shipped=0, orders_late=0, orders_defective=0
        )


counts = st.integers(min_value=0, max_value=100_000)


@given(counts, st.integers(min_value=1, max_value=5), counts, counts, counts)
def test_score_stays_in_range(n, stars, shipped, late, defective):
    score = seller_quality_bp(
        rating_count=n, rating_sum=n * stars, orders_shipped=shipped, orders_late=late,
        orders_defective=defective,
    )  # fmt: skip
    assert 0 <= score <= 10_000


@given(counts, counts, st.integers(min_value=1, max_value=1000))
def test_more_late_orders_never_raise_the_score(shipped, late, more):
    late = min(late, shipped)
    base = {"rating_count": 10, "rating_sum": 40, "orders_shipped": shipped, "orders_defective": 0}
    assert seller_quality_bp(**base, orders_late=min(shipped, late + more)) <= seller_quality_bp(
        **base, orders_late=late
    )


def test_answer_time_joins_the_score_once_the_seller_was_written_to():
    record = {
        "rating_count": 0, "rating_sum": 0, "orders_shipped": 0, "orders_late": 0,
        "orders_defective": 0,
    }  # fmt: skip
    # 0.35*7500 + 0.25*9000 + 0.25*9500 + 0.15*answers
    assert seller_quality_bp(**record, answer_median_minutes=60) == 7250 + 1500
    assert seller_quality_bp(**record, answer_median_minutes=48 * 60) == 7250
    # 26 hours: halfway between 4 and 48 hours
    assert seller_quality_bp(**record, answer_median_minutes=26 * 60) == 7250 + 750
    assert seller_quality_bp(**record) == 8550


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_a_faster_answer_never_scores_lower(a, b):
    record = {
        "rating_count": 3, "rating_sum": 12, "orders_shipped": 40, "orders_late": 2,
        "orders_defective": 1,
    }  # fmt: skip
    fast, slow = min(a, b), max(a, b)
    assert seller_quality_bp(**record, answer_median_minutes=fast) >= seller_quality_bp(
        **record, answer_median_minutes=slow
    )
