"""Seller quality score: a pure function of a seller's track record.

The score, in basis points (0-10000), blends three rates with Bayesian priors so a new
seller with little history starts near the middle instead of at an extreme:

- ratings: mean stars mapped from 1-5 to 0-10000, with a prior of 10 ratings at 4 stars;
- on-time dispatch: share of orders shipped within the promised time, prior 20 orders at 90 %;
- defect-free: share of orders without a return for a fault, prior 20 orders at 95 %.

Weights: ratings 40 %, on time 30 %, defect-free 30 %. Once the seller has answered buyers'
messages, their median answer time joins at 15 % (ratings 35 %, on time 25 %, defect-free
25 %): 4 hours or less scores 10000, 48 hours or more 0, linearly between. A seller nobody
wrote to is scored on the three rates alone.
"""

from __future__ import annotations

RATING_PRIOR_COUNT = 10
RATING_PRIOR_STARS = 4
ORDER_PRIOR_COUNT = 20
ON_TIME_PRIOR_BP = 9000
DEFECT_FREE_PRIOR_BP = 9500
WEIGHTS_BP = (4000, 3000, 3000)
WEIGHTS_WITH_ANSWERS_BP = (3500, 2500, 2500, 1500)
ANSWER_BEST_MINUTES = 4 * 60
ANSWER_WORST_MINUTES = 48 * 60


def answer_time_bp(median_minutes: int) -> int:
    """Return the answer-time part of the score: 10000 within 4 hours, 0 from 48 hours."""
    if median_minutes < 0:
        raise ValueError("An answer time cannot be negative.")
    late = min(max(median_minutes - ANSWER_BEST_MINUTES, 0), ANSWER_WORST_MINUTES)
    span = ANSWER_WORST_MINUTES - ANSWER_BEST_MINUTES
    return max(0, 10000 - late * 10000 // span)


def seller_quality_bp(
    *,
    rating_count: int,
    rating_sum: int,
    orders_shipped: int,
    orders_late: int,
    orders_defective: int,
    answer_median_minutes: int | None = None,
) -> int:
    """Return the seller's quality score in basis points, 0 to 10000."""
    if min(rating_count, rating_sum, orders_shipped, orders_late, orders_defective) < 0:
        raise ValueError("Track-record counts cannot be negative.")
    stars_total = rating_sum + RATING_PRIOR_COUNT * RATING_PRIOR_STARS
    stars_count = rating_count + RATING_PRIOR_COUNT
    # 1 star -> 0, 5 stars -> 10000
    rating_bp = (stars_total * 10000 // stars_count - 10000) // 4
    shipped = orders_shipped + ORDER_PRIOR_COUNT
    on_time_bp = (
        (orders_shipped - min(orders_late, orders_shipped)) * 10000
        + ORDER_PRIOR_COUNT * ON_TIME_PRIOR_BP
    ) // shipped
    defect_free_bp = (
        (orders_shipped - min(orders_defective, orders_shipped)) * 10000
        + ORDER_PRIOR_COUNT * DEFECT_FREE_PRIOR_BP
    ) // shipped
    parts: tuple[int, ...] = (rating_bp, on_time_bp, defect_free_bp)
    weights: tuple[int, ...] = WEIGHTS_BP
    if answer_median_minutes is not None:
        parts += (answer_time_bp(answer_median_minutes),)
        weights = WEIGHTS_WITH_ANSWERS_BP
    score = sum(part * weight for part, weight in zip(parts, weights, strict=True)) // 10000
    return max(0, min(10000, score))
