"""Seller quality score: a pure function of a seller's track record.

The score, in basis points (0-10000), blends three rates with Bayesian priors so a new
seller with little history starts near the middle instead of at an extreme:

- ratings: mean stars mapped from 1-5 to 0-10000, with a prior of 10 ratings at 4 stars;
- on-time dispatch: share of orders shipped within the promised time, prior 20 orders at 90 %;
- defect-free: share of orders without a return for a fault, prior 20 orders at 95 %.

Weights: ratings 40 %, on time 30 %, defect-free 30 %.
"""

from __future__ import annotations

RATING_PRIOR_COUNT = 10
RATING_PRIOR_STARS = 4
ORDER_PRIOR_COUNT = 20
ON_TIME_PRIOR_BP = 9000
DEFECT_FREE_PRIOR_BP = 9500
WEIGHTS_BP = (4000, 3000, 3000)


def seller_quality_bp(
    *,
    rating_count: int,
    rating_sum: int,
    orders_shipped: int,
    orders_late: int,
    orders_defective: int,
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
    score = (
        rating_bp * WEIGHTS_BP[0] + on_time_bp * WEIGHTS_BP[1] + defect_free_bp * WEIGHTS_BP[2]
    ) // 10000
    return max(0, min(10000, score))
