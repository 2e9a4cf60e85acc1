"""Pure rules for what a checkout costs: VAT, reverse charge, shipping dates, totals.

Offer prices are VAT-inclusive amounts a consumer pays. A business buyer with a verified
VAT number, in another EU member state than the seller, buys under the reverse charge:
it pays the price without VAT and accounts for the VAT itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recommerce.platform.calendar import add_business_days
from recommerce.platform.money import without_vat

EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip


def vat_rate_bp(country: str, rates: Mapping[str, int]) -> int:
    """Return the standard VAT rate, in basis points, of the country of delivery."""
    return rates.get(country.upper(), rates["default"])


def reverse_charge_applies(
    *, buyer_vat_verified: bool, buyer_country: str, seller_country: str
) -> bool:
    """Return whether an intra-EU business sale is reverse-charged (no VAT invoiced)."""
    buyer, seller = buyer_country.upper(), seller_country.upper()
    return (
        buyer_vat_verified and buyer in EU_COUNTRIES and seller in EU_COUNTRIES and buyer != seller
    )


def charged_price(price_minor: int, *, rate_bp: int, reverse_charge: bool) -> int:
    """Return what the buyer pays for a VAT-inclusive price."""
    return without_vat(price_minor, rate_bp) if reverse_charge else price_minor


def vat_included(amount_minor: int, *, rate_bp: int, reverse_charge: bool) -> int:
    """Return the VAT contained in a charged amount (0 under the reverse charge)."""
    return 0 if reverse_charge else amount_minor - without_vat(amount_minor, rate_bp)


def delivery_window(
    *, today: dt.date, dispatch_days: int, transit_days: tuple[int, int]
) -> tuple[dt.date, dt.date]:
    """Return the first and last expected delivery dates of a parcel."""
    shipped = add_business_days(today, dispatch_days)
    return (
        add_business_days(shipped, transit_days[0]),
        add_business_days(shipped, transit_days[1]),
    )


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    code: str
    label: str
    price_minor: int  # VAT included
    transit_days: tuple[int, int]  # business days after dispatch, fastest and slowest


def shipping_methods(config: Mapping[str, Mapping[str, Any]]) -> dict[str, ShippingMethod]:
    """Read the configured shipping methods (``settings.SHIPPING_METHODS``)."""
    return {
        code: ShippingMethod(
            code=code,
            label=str(option["label"]),
            price_minor=int(option["price_minor"]),
            transit_days=(int(option["transit_days"][0]), int(option["transit_days"][1])),
        )
        for code, option in config.items()
    }
