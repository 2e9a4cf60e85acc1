"""The marketplace's commission: which rate applies, and what an order owes.

A rule on a category also covers its sub-categories, unless a rule on the sub-category
itself exists. Commission is taken on items only: shipping goes to the seller that ships,
and insurance premiums belong to the insurer.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q

from recommerce.accounts.models import Seller
from recommerce.catalog.models import Category
from recommerce.orders.models import CommissionRule, Order

_BP = 10_000
EU_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
     "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
)  # fmt: skip


class VatRegime(enum.StrEnum):
    """How VAT applies to the marketplace's commission to a seller."""

    DOMESTIC = "domestic"  # the marketplace's country's VAT, included in the commission
    REVERSE_CHARGE = "reverse_charge"  # a business in another EU country accounts for it
    OUTSIDE_EU = "outside_eu"  # a service to a business outside the EU: no EU VAT


def _category_chain(category_id: int | None) -> list[int]:
    """Return the category and its ancestors, the most specific first."""
    chain: list[int] = []
    current = category_id
    while current is not None and current not in chain:
        chain.append(current)
        current = Category.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return chain


def commission_rate_bp(*, seller_id: int, category_id: int | None) -> int:
    """Return the commission rate in basis points for a seller's item in a category.

    Seller + category beats seller alone, which beats category alone, which beats the
    default rule (neither set), which beats ``settings.COMMISSION_DEFAULT_BP``.
    """
    chain = _category_chain(category_id)
    scope = Q(seller_id=seller_id) | Q(seller__isnull=True)
    rules = {
        (rule.seller_id, rule.category_id): rule.rate_bp
        for rule in CommissionRule.objects.filter(scope).only("seller_id", "category_id", "rate_bp")
        if rule.category_id is None or rule.category_id in chain
    }
    candidates: list[tuple[int | None, int | None]] = [(seller_id, c) for c in chain]
    candidates.append((seller_id, None))
    candidates.extend((None, c) for c in chain)
    candidates.append((None, None))
    for key in candidates:
        if key in rules:
            return rules[key]
    return int(settings.COMMISSION_DEFAULT_BP)


def round_half_up(numerator: int, denominator: int) -> int:
    """Return ``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def order_commission_minor(*, order: Order) -> int:
    """Return the commission on an order's items: each line total times its rate, summed.

    The exact sum of ``total * rate`` is rounded once (half up), so splitting an order
    into more lines never changes its commission by rounding.
    """
    rates: dict[int | None, int] = {}
    exact = 0
    for line in order.lines.select_related("variant__device_model"):
        category_id = line.variant.device_model.category_id
        if category_id not in rates:
            rates[category_id] = commission_rate_bp(
                seller_id=order.seller_id, category_id=category_id
            )
        exact += line.total_minor * rates[category_id]
    return round_half_up(exact, _BP)


def commission_vat_regime(seller: Seller) -> tuple[int, VatRegime]:
    """Return the VAT rate on the marketplace's commission to a seller, and why.

    A seller in the marketplace's own country, or in another EU country without a VAT
    number, pays the marketplace's VAT; an EU business elsewhere reverse-charges it.
    """
    home = str(settings.MARKETPLACE_LEGAL["country"]).upper()
    country = seller.country.upper()
    if country not in EU_COUNTRIES:
        return 0, VatRegime.OUTSIDE_EU
    if country != home and seller.vat_number:
        return 0, VatRegime.REVERSE_CHARGE
    rates: Mapping[str, int] = settings.VAT_STANDARD_RATES_BP
    return rates.get(home, rates["default"]), VatRegime.DOMESTIC
