"""The rules of best-offer selection, pinned by examples and by properties."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from recommerce.offers.best import (
    Candidate,
    best_offer,
    best_offers_by_grade,
    effective_price,
    rank_offers,
)

GRADES = ["premium", "excellent", "good", "fair"]


def candidate(offer_id: int, **fields: object) -> Candidate:
    defaults: dict[str, object] = {
        "grade": "good",
        "price_minor": 30_000,
        "stock": 2,
        "seller_quality_bp": 8_000,
        "dispatch_days": 1,
        "is_active": True,
    }
    defaults.update(fields)
    return Candidate(offer_id=offer_id, **defaults)  # type: ignore[arg-type]


candidates = st.builds(
    Candidate,
    offer_id=st.integers(min_value=1, max_value=10**6),
    grade=st.sampled_from(GRADES),
    price_minor=st.integers(min_value=1, max_value=5_000_00),
    stock=st.integers(min_value=0, max_value=5),
    seller_quality_bp=st.integers(min_value=0, max_value=10_000),
    dispatch_days=st.integers(min_value=0, max_value=15),
    is_active=st.booleans(),
)
offer_lists = st.lists(candidates, max_size=12, unique_by=lambda c: c.offer_id)


def test_price_alone_does_not_decide():
    cheap_weak = candidate(1, price_minor=30_000, seller_quality_bp=2_000)
    dearer_strong = candidate(2, price_minor=31_000, seller_quality_bp=9_500)
    assert best_offer([cheap_weak, dearer_strong]) == dearer_strong


def test_a_large_enough_saving_beats_a_better_seller():
    cheap_weak = candidate(1, price_minor=25_000, seller_quality_bp=2_000)
    dearer_strong = candidate(2, price_minor=31_000, seller_quality_bp=9_500)
    assert best_offer([cheap_weak, dearer_strong]) == cheap_weak


def test_slow_dispatch_costs_one_percent_a_day():
    fast = candidate(1, price_minor=30_000, dispatch_days=1)
    slow = candidate(2, price_minor=29_500, dispatch_days=4)  # 3 extra days: +3 %
    assert best_offer([fast, slow]) == fast
    slower_but_cheaper = candidate(3, price_minor=29_000, dispatch_days=3)  # +2 %: 29,580
    assert best_offer([fast, slower_but_cheaper]) == slower_but_cheaper


def test_effective_price_exact_values():
    # 30,000 x (1 + 0.15 x 0.2 + 0.01 x 2) = 30,000 x 1.05 = 31,500 (in 1e-8 units)
    c = candidate(1, price_minor=30_000, seller_quality_bp=8_000, dispatch_days=3)
    assert effective_price(c) == 31_500 * 100_000_000
    perfect = candidate(2, price_minor=30_000, seller_quality_bp=10_000, dispatch_days=1)
    assert effective_price(perfect) == 30_000 * 100_000_000


def test_no_eligible_offer_means_no_winner():
    assert best_offer([]) is None
    assert best_offer([candidate(1, stock=0), candidate(2, is_active=False)]) is None


def test_by_grade_counts_other_offers():
    offers = [
        candidate(1, grade="good", price_minor=30_000),
        candidate(2, grade="good", price_minor=31_000),
        candidate(3, grade="good", price_minor=29_000, stock=0),
        candidate(4, grade="fair", price_minor=25_000),
    ]
    choices = best_offers_by_grade(offers)
    assert set(choices) == {"good", "fair"}
    assert choices["good"].best.offer_id == 1
    assert choices["good"].other_count == 1
    assert choices["fair"].other_count == 0


@given(offer_lists)
def test_an_offer_without_stock_never_wins(offers):
    winner = best_offer(offers)
    assert winner is None or (winner.stock > 0 and winner.is_active)
    for choice in best_offers_by_grade(offers).values():
        assert choice.best.stock > 0
        assert choice.best.is_active


@given(offer_lists)
def test_there_is_a_winner_exactly_when_an_offer_is_eligible(offers):
    eligible = [o for o in offers if o.stock > 0 and o.is_active]
    assert (best_offer(offers) is None) == (not eligible)


@given(offer_lists, st.randoms())
def test_the_choice_does_not_depend_on_order(offers, random):
    shuffled = list(offers)
    random.shuffle(shuffled)
    assert best_offer(shuffled) == best_offer(offers)
    assert rank_offers(shuffled) == rank_offers(offers)


@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=15),
    st.integers(min_value=1, max_value=1_000_000),
    st.integers(min_value=1, max_value=1_000_000),
)
def test_a_cheaper_offer_from_an_equal_seller_wins(quality, days, price_a, price_b):
    a = candidate(1, price_minor=price_a, seller_quality_bp=quality, dispatch_days=days)
    b = candidate(2, price_minor=price_b, seller_quality_bp=quality, dispatch_days=days)
    winner = best_offer([a, b])
    if price_a < price_b:
        assert winner == a
    elif price_b < price_a:
        assert winner == b
    else:
        assert winner == a  # full tie: the older offer


@given(
    st.integers(min_value=1, max_value=1_000_000),
    st.integers(min_value=0, max_value=9_999),
    st.integers(min_value=1, max_value=10_000),
)
def test_at_equal_price_the_better_seller_wins(price, quality, better_by):
    weaker = candidate(1, price_minor=price, seller_quality_bp=quality)
    stronger = candidate(2, price_minor=price, seller_quality_bp=min(10_000, quality + better_by))
    assert best_offer([weaker, stronger]) == stronger


@given(offer_lists, st.integers(min_value=1, max_value=100))
def test_lowering_the_winners_price_keeps_it_winning(offers, discount_pct):
    winner = best_offer(offers)
    if winner is None:
        return
    cheaper = dataclasses.replace(
        winner, price_minor=max(1, winner.price_minor * (100 - discount_pct) // 100)
    )
    others = [o for o in offers if o.offer_id != winner.offer_id]
    assert best_offer([*others, cheaper]) == cheaper


@given(offer_lists)
def test_the_winner_of_each_grade_is_that_grades_first_ranked(offers):
    ranked = rank_offers(offers)
    for grade, choice in best_offers_by_grade(offers).items():
        in_grade = [o for o in ranked if o.grade == grade]
        assert choice.best == in_grade[0]
        assert choice.other_count == len(in_grade) - 1
