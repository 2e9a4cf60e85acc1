"""Stock reservations of checkouts: take all lines' units, or give them back once."""

from __future__ import annotations

from recommerce.checkout.models import Checkout, CheckoutLine
from recommerce.offers import services as offer_services


def reservation_release(checkout: Checkout) -> None:
    """Give the checkout's reserved units back to their offers (once)."""
    if checkout.stock_released:
        return
    for line in checkout.lines.all():
        offer_services.offer_stock_return(offer_id=line.offer_id, quantity=line.quantity)
    checkout.stock_released = True
    checkout.save(update_fields=["stock_released", "updated_at"])


def reservation_take(checkout: Checkout) -> list[str]:
    """Take the stock of every line, all or nothing; return the titles that were short."""
    taken: list[CheckoutLine] = []
    missing = []
    for line in checkout.lines.select_related("offer__variant__device_model__brand"):
        if offer_services.offer_stock_take(offer_id=line.offer_id, quantity=line.quantity):
            taken.append(line)
        else:
            missing.append(str(line.offer.variant))
    if missing:
        for line in taken:
            offer_services.offer_stock_return(offer_id=line.offer_id, quantity=line.quantity)
    return missing
