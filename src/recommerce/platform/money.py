"""Money as integer minor units with an ISO 4217 code; never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, get_currency_precision
from django.conf import settings


def minor_exponent(currency: str) -> int:
    """Return how many decimal places the currency's minor unit has (2 for EUR, 0 for JPY)."""
    return int(get_currency_precision(currency))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units (cents) of one currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money amounts are integer minor units.")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 code: {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} and {other.currency}.")

    def as_decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-minor_exponent(self.currency))

    def format(self, locale: str | None = None) -> str:
        return format_money(self.minor, self.currency, locale)


def format_money(
    minor: int,
    currency: str | None = None,
    locale: str | None = None,
    *,
    drop_zero_minor: bool = False,
) -> str:
    """Format minor units for display, e.g. ``format_money(12999, "EUR") == "€129.99"``.

    With ``drop_zero_minor``, whole amounts lose their decimals ("€200" rather than
    "€200.00"), for round figures such as price ranges.
    """
    return _format(
        minor,
        currency or settings.DEFAULT_CURRENCY,
        locale or settings.DEFAULT_LOCALE,
        drop_zero_minor,
    )


# Formatting through Babel costs tens of microseconds and pages repeat the same prices.
@lru_cache(maxsize=8192)
def _format(minor: int, currency: str, locale: str, drop_zero_minor: bool) -> str:
    exponent = minor_exponent(currency)
    amount = Decimal(minor).scaleb(-exponent)
    if drop_zero_minor and exponent and minor % 10**exponent == 0:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
        whole = pattern.split(";")[0].replace("." + "0" * exponent, "")
        return str(
            format_currency(amount, currency, format=whole, locale=locale, currency_digits=False)
        )
    return str(format_currency(amount, currency, locale=locale))


def parse_major(value: str, currency: str | None = None) -> int:
    """Parse a price typed in major units ("129.99", "130") into minor units.

    Raises ``ValueError`` with a readable message for anything that is not a non-negative
    amount with at most the currency's number of decimals.
    """
    currency = currency or settings.DEFAULT_CURRENCY
    exponent = minor_exponent(currency)
    text = value.strip().replace(",", ".")
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{value!r} is not an amount.") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} is not a positive amount.")
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value!r} has more than {exponent} decimals.")
    return int(scaled)


def without_vat(minor: int, rate_bp: int) -> int:
    """Return the price before VAT of a VAT-inclusive ``minor`` amount, rounded half up.

    ``rate_bp`` is the VAT rate in basis points (20 % is 2000); integers throughout.
    """
    if rate_bp < 0:
        raise ValueError("A VAT rate cannot be negative.")
    divisor = 10_000 + rate_bp
    return (2 * minor * 10_000 + divisor) // (2 * divisor)
