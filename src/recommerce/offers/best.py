"""Best-offer selection: which offer of a grade a product page puts first.

Price alone is not the rule. Each eligible offer gets a score, its *effective price*: the
price raised by a penalty for a weaker seller and for slower dispatch. The lowest effective
price wins.

    effective = price x (1 + QUALITY_PENALTY x (1 - quality) + DISPATCH_PENALTY x extra_days)

- ``quality`` is the seller's quality score (0 to 1, stored as basis points);
  ``QUALITY_PENALTY`` = 15 %: a seller with the worst record must be 15 % cheaper than one
  with a perfect record to win.
- ``extra_days`` = business days to dispatch beyond the first, capped at
  ``DISPATCH_CAP_DAYS``; ``DISPATCH_PENALTY`` = 1 % a day.
- Eligible: active offers with at least one unit in stock. An offer without stock never wins.
- Ties on the effective price go to the better seller, then the faster dispatch, then the
  lower price, then the older offer, so the choice is deterministic.

Everything is integer arithmetic on minor units, so two runs always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

QUALITY_PENALTY_BP = 1500
DISPATCH_PENALTY_BP = 100
DISPATCH_CAP_DAYS = 10
_ONE = 10_000 * 10_000  # 1.0 in the score's fixed-point unit (basis point x basis point)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the selection needs to know about one offer."""

    offer_id: int
    grade: str
    price_minor: int
    stock: int
    seller_quality_bp: int
    dispatch_days: int
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class GradeChoice:
    """The best offer of one grade and how many other eligible offers the grade has."""

    best: Candidate
    other_count: int


def is_eligible(candidate: Candidate) -> bool:
    return candidate.is_active and candidate.stock > 0


def effective_price(candidate: Candidate) -> int:
    """Return the offer's score: its price scaled by the penalties (lower is better)."""
    quality = max(0, min(10_000, candidate.seller_quality_bp))
    extra_days = max(0, min(DISPATCH_CAP_DAYS, candidate.dispatch_days - 1))
    factor = (
        _ONE + QUALITY_PENALTY_BP * (10_000 - quality) + DISPATCH_PENALTY_BP * 10_000 * (extra_days)
    )
    return candidate.price_minor * factor


def _ranking_key(candidate: Candidate) -> tuple[int, int, int, int, int]:
    return (
        effective_price(candidate),
        -candidate.seller_quality_bp,
        candidate.dispatch_days,
        candidate.price_minor,
        candidate.offer_id,
    )


def rank_offers(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Return the eligible offers, best first."""
    return sorted((c for c in candidates if is_eligible(c)), key=_ranking_key)


def best_offer(candidates: Iterable[Candidate]) -> Candidate | None:
    """Return the winning offer among ``candidates``, or None when none is eligible."""
    return min((c for c in candidates if is_eligible(c)), key=_ranking_key, default=None)


def best_offers_by_grade(candidates: Iterable[Candidate]) -> dict[str, GradeChoice]:
    """Return, for every grade with an eligible offer, its best offer and the others' count."""
    by_grade: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if is_eligible(candidate):
            by_grade.setdefault(candidate.grade, []).append(candidate)
    return {
        grade: GradeChoice(best=min(offers, key=_ranking_key), other_count=len(offers) - 1)
        for grade, offers in by_grade.items()
    }
