"""The sandbox credit partner's documented rules, and exact instalment schedules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from recommerce.payments.providers.credit import (
    EU_COUNTRIES,
    CreditDecision,
    SandboxCreditPartner,
    instalment_schedule,
)

partner = SandboxCreditPartner()


def decide(**overrides: object) -> CreditDecision:
    facts: dict[str, object] = {
        "amount_minor": 45_000,
        "currency": "EUR",
        "count": 3,
        "buyer_email": "alice@example.com",
        "buyer_country": "FR",
    }
    facts.update(overrides)
    return partner.decide(**facts)  # type: ignore[arg-type]


@time_machine.travel("2031-01-31 09:00:00+01:00", tick=False)
def test_accepted_plan_is_paid_today_then_every_30_days_with_the_remainder_first() -> None:
    decision = decide(amount_minor=10_001, count=3)
    assert decision.accepted is True
    assert decision.reason == ""
    assert decision.reference.startswith("cr_")
    assert decision.schedule == [
        (dt.date(2031, 1, 31), 3_335),
        (dt.date(2031, 3, 2), 3_333),
        (dt.date(2031, 4, 1), 3_333),
    ]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"count": 2}, "Instalments are offered in 3 or 4 payments only."),
        ({"count": 5}, "Instalments are offered in 3 or 4 payments only."),
        ({"currency": "USD"}, "Instalments are offered in euros only."),
        (
            {"amount_minor": 9_999},
            "Instalments are offered for amounts from 100.00 to 3,000.00 EUR.",
        ),
        (
            {"amount_minor": 300_001},
            "Instalments are offered for amounts from 100.00 to 3,000.00 EUR.",
        ),
        (
            {"buyer_country": "US"},
            "Instalments are offered to buyers billed in the European Union only.",
        ),
        (
            {"buyer_country": "GB"},
            "Instalments are offered to buyers billed in the European Union only.",
        ),
        (
            {"buyer_country": ""},
            "Instalments are offered to buyers billed in the European Union only.",
        ),
        (
            {"buyer_email": "please.DECLINE.me@example.com"},
            "Our credit partner could not offer instalments for this purchase.",
        ),
    ],
)
def test_each_rule_declines_with_a_readable_reason(
    overrides: dict[str, object], reason: str
) -> None:
    decision = decide(**overrides)
    assert decision.accepted is False
    assert decision.reason == reason
    assert decision.schedule == []
    assert decision.reference == ""


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount_minor": 10_000},
        {"amount_minor": 300_000},
        {"count": 4},
        {"buyer_country": "de"},
        # Only the part before "@" counts: a domain with the word is not a refusal.
        {"buyer_email": "bob@decline-example.com"},
    ],
)
def test_limits_are_inclusive_and_only_the_local_part_of_the_email_counts(
    overrides: dict[str, object],
) -> None:
    assert decide(**overrides).accepted is True


def test_the_eu_list_has_the_27_member_states() -> None:
    assert len(EU_COUNTRIES) == 27
    assert {"FR", "DE", "IE", "HR", "CY"} <= EU_COUNTRIES
    assert not {"GB", "CH", "NO", "US"} & EU_COUNTRIES


@given(
    amount=st.integers(min_value=0, max_value=10**9),
    count=st.integers(min_value=1, max_value=24),
    first=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
)
def test_a_schedule_always_adds_up_to_the_amount_exactly(
    amount: int, count: int, first: dt.date
) -> None:
    schedule = instalment_schedule(amount_minor=amount, count=count, first_due=first)
    amounts = [part for _, part in schedule]
    assert sum(amounts) == amount
    assert len(schedule) == count
    assert [due for due, _ in schedule] == [
        first + dt.timedelta(days=30 * index) for index in range(count)
    ]
    # Every later instalment is the same; the first carries the remainder (< count).
    assert len(set(amounts[1:])) <= 1
    assert 0 <= amounts[0] - amounts[-1] < count


@given(amount=st.integers(min_value=10_000, max_value=300_000), count=st.sampled_from([3, 4]))
def test_every_accepted_decision_schedules_exactly_the_amount(amount: int, count: int) -> None:
    decision = decide(amount_minor=amount, count=count)
    assert decision.accepted is True
    assert sum(part for _, part in decision.schedule) == amount
