"""Device insurance: the sandbox insurer's rules and the policies taken out after an order."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from recommerce.orders.models import InsurancePolicy, Order
from recommerce.orders.providers.insurer import SandboxInsurer, get_insurer
from recommerce.orders.services import fulfilment
from recommerce.orders.services.insurance import (
    insurance_retry_due,
    insurance_subscribe_for_order,
)
from recommerce.platform.calendar import add_months
from recommerce.platform.providers import ProviderError
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import World

pytestmark = pytest.mark.usefixtures("fulfilment_env")
QUOTED_AT = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def quote(price_minor: int = 45_000) -> str:
    return (
        get_insurer()
        .quote(
            device_title="iPhone 13",
            category="smartphones",
            price_minor=price_minor,
            currency="EUR",
        )
        .quote_id
    )


@pytest.mark.parametrize(
    ("price", "premium"),
    [(45_000, 3_699), (10_000, 999), (5_000, 999), (12_500, 1_099), (46_250, 3_799), (1, 999)],
)
def test_premium_is_8_percent_rounded_up_to_99_at_least_9_99(price: int, premium: int) -> None:
    assert (
        SandboxInsurer()
        .quote(device_title="x", category="", price_minor=price, currency="EUR")
        .premium_minor
        == premium
    )


@given(st.integers(min_value=1, max_value=10_000_000))
def test_premium_rules_hold_for_any_price(price: int) -> None:
    premium = (
        SandboxInsurer()
        .quote(device_title="x", category="", price_minor=price, currency="EUR")
        .premium_minor
    )
    assert premium % 100 == 99
    assert premium >= 999
    assert premium >= price * 8 / 100
    assert premium - 100 < max(price * 8 / 100, 999)


def test_quote_is_valid_24_hours() -> None:
    insurer = SandboxInsurer()
    with time_machine.travel(QUOTED_AT, tick=False):
        made = insurer.quote(device_title="x", category="", price_minor=45_000, currency="EUR")
    assert len(made.quote_id) <= 64
    assert made.expires_at == QUOTED_AT + dt.timedelta(hours=24)
    assert made.cover == "12 months: 2 repairs or 1 replacement per year"
    holder = {"holder_name": "Alice", "holder_email": "a@example.com", "device_title": "x"}
    with time_machine.travel(QUOTED_AT + dt.timedelta(hours=24), tick=False):
        policy = insurer.subscribe(quote_id=made.quote_id, reference="R1-1", **holder)
    assert policy.policy_number.startswith("SI-") and len(policy.policy_number) == 13
    assert (policy.starts_on, policy.ends_on) == (dt.date(2026, 5, 5), dt.date(2027, 5, 4))
    with (
        time_machine.travel(QUOTED_AT + dt.timedelta(hours=24, seconds=1), tick=False),
        pytest.raises(ProviderError, match="expired") as refused,
    ):
        insurer.subscribe(quote_id=made.quote_id, reference="R1-2", **holder)
    assert refused.value.code == "QUOTE_EXPIRED"


def test_unknown_or_altered_quotes_are_refused() -> None:
    insurer = SandboxInsurer()
    made = insurer.quote(device_title="x", category="", price_minor=45_000, currency="EUR")
    cheaper = made.quote_id.replace("_", "_1", 1)
    holder = {"holder_name": "A", "holder_email": "a@example.com", "device_title": "x"}
    last = "1" if made.quote_id.endswith("0") else "0"  # a different final character
    for bad in ("nope", cheaper, made.quote_id[:-1] + last):
        with pytest.raises(ProviderError) as refused:
            insurer.subscribe(quote_id=bad, reference="R", **holder)
        assert refused.value.code == "UNKNOWN_QUOTE"
    assert insurer.subscriptions == []


def test_same_reference_gives_the_same_policy_and_a_pdf_certificate() -> None:
    insurer = SandboxInsurer()
    quote_id = insurer.quote(
        device_title="x", category="", price_minor=45_000, currency="EUR"
    ).quote_id
    holder = {"holder_name": "A", "holder_email": "a@example.com", "device_title": "x"}
    first = insurer.subscribe(quote_id=quote_id, reference="R9-4", **holder)
    again = insurer.subscribe(quote_id=quote_id, reference="R9-4", **holder)
    assert first == again
    assert insurer.certificate(policy_number=first.policy_number).startswith(b"%PDF-")
    with pytest.raises(ProviderError):
        insurer.certificate(policy_number="../etc/passwd")


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 2) == dt.date(2027, 1, 15)


# --- Policies of an order --------------------------------------------------------------------


@pytest.mark.django_db
def test_one_policy_per_insured_unit_with_the_insurers_disclosure(world: World) -> None:
    """SHARE-2 / SHARE-5: the insurer gets the holder, the device and its price; logged."""
    order = world.make(
        quantity=3, insured_units=2, insurance_quote_id=quote(), insurance_unit_minor=3_699
    )
    policies = insurance_subscribe_for_order(order=order)
    assert [(p.status, p.premium_minor) for p in policies] == [("active", 3_699)] * 2
    assert len({p.policy_number for p in policies}) == 2
    assert all(p.cover == "12 months: 2 repairs or 1 replacement per year" for p in policies)
    disclosures = Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.INSURER)
    assert [(d.recipient, d.fields, d.purpose, d.reference, d.subject_id) for d in disclosures] == [
        (
            "Sandbox Insurance",
            ["billing_name", "buyer_email", "title", "unit_price_minor"],
            "service.insurance",
            order.number,
            world.buyer.pk,
        )
    ] * 2
    # Again: nothing new is bought.
    assert insurance_subscribe_for_order(order=order) == policies
    assert get_insurer().subscriptions == [f"{order.number}-{p.pk}" for p in policies]


@pytest.mark.django_db
def test_an_unavailable_insurer_leaves_the_order_and_a_retry_completes_it(world: World) -> None:
    order = world.make(insured_units=1, insurance_quote_id=quote(), insurance_unit_minor=3_699)
    insurer = get_insurer()
    assert isinstance(insurer, SandboxInsurer)
    insurer.unavailable = True
    [policy] = insurance_subscribe_for_order(order=order)
    assert (policy.status, policy.policy_number) == ("pending", "")
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert not Disclosure.objects.exists()
    assert insurance_retry_due() == 0
    insurer.unavailable = False
    assert insurance_retry_due() == 1
    assert InsurancePolicy.objects.get().status == "active"
    assert insurance_retry_due() == 0
    assert Disclosure.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_quote_fails_then_is_quoted_again_on_retry(world: World) -> None:
    with time_machine.travel(QUOTED_AT, tick=False):
        old_quote = quote()
    with time_machine.travel(QUOTED_AT + dt.timedelta(days=2), tick=False):
        order = world.make(
            insured_units=1, insurance_quote_id=old_quote, insurance_unit_minor=3_699
        )
        [policy] = insurance_subscribe_for_order(order=order)
        assert policy.status == "failed"
        assert insurance_retry_due() == 1
    policy.refresh_from_db()
    assert policy.status == "active" and policy.quote_id != old_quote


@pytest.mark.django_db
def test_cancelling_the_order_ends_its_policies(world: World) -> None:
    order = world.make(insured_units=1, insurance_quote_id=quote(), insurance_unit_minor=3_699)
    insurance_subscribe_for_order(order=order)
    fulfilment.order_cancel(order=order, actor=world.buyer, reason="")
    assert list(InsurancePolicy.objects.values_list("status", flat=True)) == ["cancelled"]
    assert insurance_retry_due() == 0
