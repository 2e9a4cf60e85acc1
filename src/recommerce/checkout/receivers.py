"""Bring an anonymous cart into the person's cart when they sign in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from recommerce.checkout.models import Cart
from recommerce.checkout.selectors import cart_count
from recommerce.checkout.services.cart import cart_merge
from recommerce.checkout.web import SESSION_CART_TOKEN, remember_count


@receiver(user_logged_in, dispatch_uid="checkout-cart-merge")
def merge_cart_on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.pop(SESSION_CART_TOKEN, None)
    source = Cart.objects.filter(session_key=token, user__isnull=True).first() if token else None
    if source is not None:
        merged = cart_merge(source=source, user=user)
        remember_count(request, cart_count(cart_id=merged.pk))
    else:
        cart = Cart.objects.filter(user=user).first()
        remember_count(request, cart_count(cart_id=cart.pk if cart else None))
