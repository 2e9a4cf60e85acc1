"""What the checkout's web views share: finding the visitor's cart, same-origin posts."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest

from recommerce.checkout.models import Cart
from recommerce.checkout.services.cart import cart_for_token, cart_for_user

SESSION_CART_TOKEN = "cart_token"  # noqa: S105  (a session key name, not a secret)
SESSION_CART_COUNT = "cart_count"


def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """Return the visitor's cart: the person's when signed in, else the session's."""
    if request.user.is_authenticated:
        return cart_for_user(user=request.user)
    token = request.session.get(SESSION_CART_TOKEN)
    if not token and not create:
        return None
    cart = cart_for_token(token=token)
    request.session[SESSION_CART_TOKEN] = cart.session_key
    return cart


def remember_count(request: HttpRequest, count: int) -> None:
    """Keep the cart's unit count in the session, so the header shows it without a query."""
    request.session[SESSION_CART_COUNT] = count


def same_origin(request: HttpRequest) -> bool:
    """Return whether a POST comes from one of this site's own pages.

    Product pages are served from a shared cache, so their add-to-cart forms cannot carry
    a per-visitor CSRF token; browsers' ``Sec-Fetch-Site`` and ``Origin`` headers guard
    that one endpoint instead.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return False
    return urlsplit(origin).netloc == request.get_host()
