"""The cart's unit count for the header, kept in the session (no query per page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recommerce.checkout.web import SESSION_CART_COUNT


def cart(request: HttpRequest) -> dict[str, Any]:
    session = getattr(request, "session", None)
    # Reading an absent session would create one: only visitors with a cookie have a cart.
    if session is None or not session.session_key:
        return {"cart_count": 0}
    return {"cart_count": session.get(SESSION_CART_COUNT, 0)}
