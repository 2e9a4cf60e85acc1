"""Sellers' answer time: the median minutes from a buyer's question to the seller's answer,
per month, and since a date (for the offer score)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from recommerce.support.models import Conversation
from recommerce.support.selectors.conversations import (
    seller_answer_median_minutes,
    seller_answer_times,
)
from recommerce.support.services import conversations as services
from tests.orders.conftest import make_order
from tests.support.conversations_fixtures import Talk, talk_build


@pytest.fixture
def talk(db: None, settings: Any, tmp_path: Path) -> Talk:
    return talk_build(settings, tmp_path)


def at(day: str, time: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


def _say(conversation: Conversation, actor: Any, when: dt.datetime) -> None:
    with time_machine.travel(when, tick=False):
        services.message_post(conversation=conversation, actor=actor, body="…")


def test_answer_time_per_month_counts_each_question_once(talk: Talk) -> None:
    first = services.conversation_for_order(order=talk.order)
    second = services.conversation_for_order(
        order=make_order(talk.buyer, talk.side, status="delivered")
    )
    owner, buyer = talk.side.owner, talk.buyer
    # January: 30 min; then two buyer messages in a row wait for one answer: 90 min.
    _say(first, buyer, at("2027-01-10", "10:00"))
    _say(first, owner, at("2027-01-10", "10:30"))
    _say(first, buyer, at("2027-01-20", "09:00"))
    _say(first, buyer, at("2027-01-20", "10:00"))
    _say(first, owner, at("2027-01-20", "10:30"))
    # March: 10 min, 20 min and 60 min; a question still unanswered is not counted.
    _say(second, buyer, at("2027-03-01", "08:00"))
    _say(second, owner, at("2027-03-01", "08:10"))
    _say(first, buyer, at("2027-03-02", "08:00"))
    _say(first, owner, at("2027-03-02", "08:20"))
    _say(second, buyer, at("2027-03-03", "08:00"))
    _say(second, owner, at("2027-03-03", "09:00"))
    _say(second, buyer, at("2027-03-04", "08:00"))
    # Another seller's conversation does not count.
    other = services.conversation_for_order(
        order=make_order(talk.other_buyer, talk.other_side, status="delivered")
    )
    _say(other, talk.other_buyer, at("2027-03-01", "08:00"))
    _say(other, talk.other_side.owner, at("2027-03-05", "08:00"))

    with time_machine.travel(at("2027-03-20", "12:00"), tick=False):
        months = seller_answer_times(seller=talk.side.seller, months=4)

    assert months == [
        (dt.date(2026, 12, 1), None, 0),
        (dt.date(2027, 1, 1), 60, 2),
        (dt.date(2027, 2, 1), None, 0),
        (dt.date(2027, 3, 1), 20, 3),
    ]
    assert (
        seller_answer_median_minutes(seller=talk.side.seller, since=at("2027-01-01", "00:00")) == 30
    )
    assert (
        seller_answer_median_minutes(seller=talk.side.seller, since=at("2027-04-01", "00:00"))
        is None
    )
