"""What every page needs to know about the visitor's account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from recommerce.accounts import selectors


def prices(request: HttpRequest) -> dict[str, Any]:
    """Give ``vat_excluded_bp``: the VAT rate to take off prices for a business buyer, or 0.

    Prices are stored VAT-inclusive (what a consumer pays); a company's members see them
    without VAT at their country's standard rate (PLAT-2). Anonymous visits cost no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"vat_excluded_bp": 0}
    membership = selectors.company_membership_for(user=user)
    if membership is None:
        return {"vat_excluded_bp": 0}
    rates: dict[str, int] = settings.VAT_STANDARD_RATES_BP
    return {"vat_excluded_bp": rates.get(str(membership.company.country), rates["default"])}
