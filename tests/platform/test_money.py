from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommerce.platform.money import Money, format_money, parse_major, without_vat


def test_format_euro():
    assert format_money(12_999, "EUR", "en_IE") == "€129.99"
    assert format_money(12_999, "EUR", "fr_FR") == "129,99\xa0€"


def test_round_amounts_can_drop_their_decimals():
    assert format_money(20_000, "EUR", "en_IE", drop_zero_minor=True) == "€200"
    assert (
        format_money(123_400_000, "EUR", "fr_FR", drop_zero_minor=True)
        == "1\u202f234\u202f000\xa0€"
    )
    assert format_money(20_050, "EUR", "en_IE", drop_zero_minor=True) == "€200.50"


def test_format_currency_without_minor_unit():
    assert format_money(1_500, "JPY", "en_US") == "¥1,500"


@pytest.mark.parametrize(
    ("text", "minor"), [("129.99", 12_999), ("130", 13_000), ("0,5", 50), (" 7 ", 700)]
)
def test_parse_major(text, minor):
    assert parse_major(text, "EUR") == minor


@pytest.mark.parametrize("text", ["-1", "1.234", "abc", "nan", "inf", ""])
def test_parse_major_refuses_bad_amounts(text):
    with pytest.raises(ValueError):
        parse_major(text, "EUR")


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(100, "EUR") + Money(100, "USD")
    assert Money(100, "EUR") + Money(250, "EUR") == Money(350, "EUR")


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_is_the_inverse_of_decimal_rendering(minor):
    assert parse_major(str(Money(minor, "EUR").as_decimal()), "EUR") == minor


@pytest.mark.parametrize(
    ("minor", "rate_bp", "net"),
    [(12_000, 2000, 10_000), (45_900, 2000, 38_250), (19_999, 2100, 16_528), (100, 0, 100)],
)
def test_without_vat_takes_the_rate_off_in_whole_minor_units(minor, rate_bp, net):
    assert without_vat(minor, rate_bp) == net


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=2700))
def test_without_vat_is_the_nearest_net_amount(minor, rate_bp):
    net = without_vat(minor, rate_bp)
    # No other whole amount is closer to minor / (1 + rate): net is the rounded division.
    exact = Fraction(minor * 10_000, 10_000 + rate_bp)
    assert abs(net - exact) <= Fraction(1, 2)
    assert isinstance(net, int)


def test_without_vat_refuses_a_negative_rate():
    with pytest.raises(ValueError):
        without_vat(100, -1)
