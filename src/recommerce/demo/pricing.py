"""The price model of the generated offers, as pure functions on whole euros and cents.

A device's reference price (premium grade, average seller) starts at 80 % of its launch
price in its first year and keeps a category-specific share of its value every following
year, scaled by how well its brand holds value. Each grade gets a band of prices around
its share of that reference; the bands never overlap, so a premium offer always costs more
than any excellent offer of the same variant, and so on down to fair.
"""

from __future__ import annotations

import math

from recommerce.catalog.models import GRADES
from recommerce.demo.data import ModelSpec

FIRST_YEAR_BP = 8000
GRADE_SHARE_BP: dict[str, int] = {"premium": 10000, "excellent": 8600, "good": 7600, "fair": 6700}
SPREAD_BP = 450  # a band spans the grade's price plus or minus this share
FLOOR_SHARE_BP = 1000  # no device falls below 10 % of its launch price
MIN_REFERENCE_EUR = 39


def variant_launch_price(
    model: ModelSpec,
    *,
    storage_gb: int | None,
    ram_gb: int | None,
    connectivity: str,
    storage_step: int,
    ram_step: int,
    cellular_step: int,
) -> int:
    """Return a configuration's launch price in euros: base price plus its options."""
    price = model.price
    if storage_gb and model.storages:
        price += round(storage_step * math.log2(storage_gb / model.storages[0]))
    if ram_gb and model.rams:
        price += round(ram_step * math.log2(ram_gb / model.rams[0]))
    if any(word in connectivity for word in ("Cellular", "4G", "LTE")):
        price += cellular_step
    return price


def reference_price(*, launch_eur: int, age_years: int, retention_pct: int, brand_bp: int) -> int:
    """Return the premium-grade price of a device ``age_years`` after launch, in euros."""
    value = launch_eur * FIRST_YEAR_BP / 10000 * (retention_pct / 100) ** max(0, age_years)
    value = value * brand_bp / 10000
    floor = launch_eur * FLOOR_SHARE_BP / 10000
    return max(MIN_REFERENCE_EUR, round(max(value, floor)))


def grade_bands(reference_eur: int) -> dict[str, tuple[int, int]]:
    """Return each grade's (lowest, highest) whole-euro price, highest grade first.

    Every band's highest price is at least one euro below the next better grade's lowest,
    so prices ending in 99 cents keep the order too.
    """
    bands: dict[str, tuple[int, int]] = {}
    ceiling: int | None = None
    for grade in GRADES:
        centre = reference_eur * GRADE_SHARE_BP[grade] / 10000
        low = math.ceil(centre * (10000 - SPREAD_BP) / 10000)
        high = math.floor(centre * (10000 + SPREAD_BP) / 10000)
        if ceiling is not None:
            high = min(high, ceiling - 1)
            low = min(low, high)
        bands[grade] = (max(1, low), max(1, high))
        ceiling = bands[grade][0]
    return bands


def price_minor(band: tuple[int, int], position: float, *, ends_in_99: bool) -> int:
    """Return a price in cents inside ``band``; ``position`` runs from 0 (low) to 1 (high).

    Shops price in whole euros or one cent below, so the result ends in 00 or 99.
    """
    low, high = band
    euros = low + round((high - low) * min(1.0, max(0.0, position)))
    if ends_in_99 and euros > 1:
        return euros * 100 - 1
    return euros * 100
