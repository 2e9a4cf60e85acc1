"""Writes of the analytics app: one row per view, nothing else.

Each write is a single INSERT, atomic on its own, so no transaction is opened around it:
the middleware calls these on every counted page.
"""

from __future__ import annotations

from typing import Any

from recommerce.analytics.models import PageView, ProductView
from recommerce.privacy.encryption import blind_index

VISITOR_PURPOSE = "analytics.visitor"


def visitor_key(*, user: Any = None, browser_id: str = "") -> str | None:
    """Return the keyed hash that stands for a visitor in the statistics, or None.

    A signed-in person is one visitor on every device; otherwise the consent cookie's
    random browser id stands for the browser. The hash has its own key, so it cannot be
    joined to the consent records, which hash the same browser id for another purpose.
    """
    if user is not None and getattr(user, "pk", None):
        return blind_index(f"user:{user.pk}", purpose=VISITOR_PURPOSE)
    if browser_id:
        return blind_index(f"browser:{browser_id}", purpose=VISITOR_PURPOSE)
    return None


def page_view_record(
    *, path: str, referrer_host: str = "", visitor: str | None = None, user: Any = None
) -> PageView:
    """Record one page view (the caller has checked the visitor's analytics consent)."""
    return PageView.objects.create(
        path=path[:500],
        referrer_host=referrer_host[:255],
        visitor=visitor,
        user=user if getattr(user, "pk", None) else None,
    )


def product_view_record(
    *, variant_id: int, visitor: str | None = None, user: Any = None
) -> ProductView:
    """Record one view of a product page (the caller has checked analytics consent)."""
    return ProductView.objects.create(
        variant_id=variant_id,
        visitor=visitor,
        user=user if getattr(user, "pk", None) else None,
    )
