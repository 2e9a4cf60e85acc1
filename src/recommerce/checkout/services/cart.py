"""Cart writes: add, change, remove, acknowledge price and stock changes, merge on sign-in.

A cart remembers the price each line was added at. When a seller changes the price or
the stock runs short, the cart shows it and checkout refuses to start until the buyer
has seen and accepted the change: nothing is silently applied.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommerce.accounts.models import Seller, User
from recommerce.checkout.models import Cart, CartLine
from recommerce.offers.models import Offer
from recommerce.platform.idempotency import IdempotencyInProgress, idempotent_call


def cart_for_user(*, user: User) -> Cart:
    """Return the signed-in person's cart, creating it on first use."""
    cart = Cart.objects.filter(user=user).first()
    if cart is not None:
        return cart
    try:
        with transaction.atomic():
            return Cart.objects.create(user=user)
    except IntegrityError:  # created by a concurrent request
        return Cart.objects.get(user=user)


def cart_for_token(*, token: str | None) -> Cart:
    """Return an anonymous visitor's cart by the token kept in their session, or a new one."""
    if token:
        cart = Cart.objects.filter(session_key=token, user__isnull=True).first()
        if cart is not None:
            return cart
    return Cart.objects.create(session_key=secrets.token_urlsafe(32))


def _sellable_offer(offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_related("seller", "variant__device_model")
        .filter(pk=offer_id, is_active=True, seller__status=Seller.Status.ACTIVE)
        .first()
    )
    if offer is None:
        raise ValidationError("This offer is no longer available.")
    return offer


def _check_quantity(offer: Offer, quantity: int) -> None:
    limit = min(offer.stock, settings.CART_MAX_QUANTITY_PER_LINE)
    if quantity < 1:
        raise ValidationError("Choose a quantity of at least 1.")
    if limit == 0:
        raise ValidationError("This offer is sold out.")
    if quantity > limit:
        raise ValidationError(f"You can add at most {limit} of this offer.")


@transaction.atomic
def cart_line_add(*, cart: Cart, offer_id: int, quantity: int = 1) -> CartLine:
    """Add units of an offer (to the line already holding it, if any)."""
    offer = _sellable_offer(offer_id)
    line = CartLine.objects.select_for_update().filter(cart=cart, offer=offer).first()
    total = quantity + (line.quantity if line else 0)
    _check_quantity(offer, total)
    if line is None:
        line = CartLine.objects.create(
            cart=cart, offer=offer, quantity=total, price_seen_minor=offer.price_minor
        )
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_line_add_once(*, cart: Cart, offer_id: int, quantity: int, token: str) -> bool:
    """Add units of an offer once per form token; return False when the form came again.

    A form posted twice (a browser retrying after a dropped connection, a second click
    after the first committed) carries the same token: the repeat changes nothing. The
    key holds the offer and quantity too, because a product page sends all its offers'
    buttons through one form with one token (its offers are cached for everyone, the
    token is not).
    """
    acted = False

    def add() -> tuple[int, Any]:
        nonlocal acted
        cart_line_add(cart=cart, offer_id=offer_id, quantity=quantity)
        acted = True
        return 200, None

    try:
        idempotent_call(
            actor=f"cart:{cart.pk}",
            key=f"form:{token}:{offer_id}:{quantity}",
            operation="cart.add",
            body={"offer_id": offer_id, "quantity": quantity},
            call=add,
        )
    except IdempotencyInProgress:
        # Only without row locks (SQLite): the first post is still being written.
        return False
    return acted


@transaction.atomic
def cart_line_set_quantity(*, cart: Cart, line_id: int, quantity: int) -> CartLine | None:
    """Change a line's quantity; 0 removes it (and returns None)."""
    line = CartLine.objects.select_for_update().filter(cart=cart, pk=line_id).first()
    if line is None:
        raise ValidationError("This item is no longer in your cart.")
    if quantity == 0:
        line.delete()
        return None
    _check_quantity(_sellable_offer(line.offer_id), quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def cart_line_remove(*, cart: Cart, line_id: int) -> None:
    CartLine.objects.filter(cart=cart, pk=line_id).delete()


@transaction.atomic
def cart_changes_accept(*, cart: Cart) -> int:
    """Take the current prices and cut quantities to the stock left; return lines changed.

    Lines whose offer is gone or sold out are removed.
    """
    changed = 0
    for line in (
        CartLine.objects.select_for_update().filter(cart=cart).select_related("offer__seller")
    ):
        offer = line.offer
        available = (
            min(offer.stock, settings.CART_MAX_QUANTITY_PER_LINE)
            if offer.is_active and offer.seller.status == Seller.Status.ACTIVE
            else 0
        )
        if available == 0:
            line.delete()
            changed += 1
            continue
        if line.price_seen_minor != offer.price_minor or line.quantity > available:
            line.price_seen_minor = offer.price_minor
            line.quantity = min(line.quantity, available)
            line.save(update_fields=["price_seen_minor", "quantity"])
            changed += 1
    return changed


@transaction.atomic
def cart_merge(*, source: Cart, user: User) -> Cart:
    """Move an anonymous cart's lines into the person's cart when they sign in.

    A line for an offer already in the person's cart adds up, within the stock; the
    price seen is the older one, so a change since is still shown.
    """
    target = cart_for_user(user=user)
    if source.pk == target.pk:
        return target
    existing = {line.offer_id: line for line in target.lines.select_related("offer")}
    for line in source.lines.select_related("offer"):
        limit = max(1, min(line.offer.stock, settings.CART_MAX_QUANTITY_PER_LINE))
        if line.offer_id in existing:
            kept = existing[line.offer_id]
            kept.quantity = min(kept.quantity + line.quantity, limit)
            kept.save(update_fields=["quantity"])
        else:
            CartLine.objects.create(
                cart=target,
                offer_id=line.offer_id,
                quantity=min(line.quantity, limit),
                price_seen_minor=line.price_seen_minor,
            )
    source.delete()
    return target
