"""A seller's answer time counts in its quality score, which the best offer reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from recommerce.accounts.models import Seller
from recommerce.accounts.quality import seller_quality_bp
from recommerce.support.services import conversations
from recommerce.support.services.quality import sellers_answer_time_refresh
from tests.support.conftest import ClaimWorld, delivered_order

START = dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)  # a Monday


def _exchange(world: ClaimWorld, order: Any, owner: Any, *, answer_after: dt.timedelta) -> None:
    thread = conversations.conversation_for_order(order=order)
    with time_machine.travel(START, tick=False):
        conversations.message_post(conversation=thread, actor=world.buyer, body="Is it unlocked?")
    with time_machine.travel(START + answer_after, tick=False):
        conversations.message_post(conversation=thread, actor=owner, body="Yes, it is.")


def test_a_quick_seller_scores_above_a_slow_one(claim_world: ClaimWorld) -> None:
    world = claim_world
    _exchange(world, world.order, world.owner, answer_after=dt.timedelta(hours=1))
    slow_order = delivered_order(world.buyer, world.other_side)
    _exchange(world, slow_order, world.other_side.owner, answer_after=dt.timedelta(hours=40))
    before = Seller.objects.get(pk=world.side.seller.pk).quality_bp

    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        assert sellers_answer_time_refresh() == 2
        assert sellers_answer_time_refresh() == 0  # nothing new: nothing rewritten

    quick = Seller.objects.get(pk=world.side.seller.pk)
    slow = Seller.objects.get(pk=world.other_side.seller.pk)
    assert (quick.answer_median_minutes, slow.answer_median_minutes) == (60, 2400)
    record = {"rating_count": 0, "rating_sum": 0, "orders_defective": 0}
    for seller in (quick, slow):
        assert seller.quality_bp == seller_quality_bp(
            **record,
            orders_shipped=seller.orders_shipped,
            orders_late=seller.orders_late,
            answer_median_minutes=seller.answer_median_minutes,
        )
    assert quick.quality_bp > before > slow.quality_bp


def test_a_seller_nobody_wrote_to_for_30_days_goes_back_to_no_figure(
    claim_world: ClaimWorld,
) -> None:
    world = claim_world
    _exchange(world, world.order, world.owner, answer_after=dt.timedelta(hours=2))
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        sellers_answer_time_refresh()
    assert Seller.objects.get(pk=world.side.seller.pk).answer_median_minutes == 120
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        assert sellers_answer_time_refresh() == 1
    assert Seller.objects.get(pk=world.side.seller.pk).answer_median_minutes is None
