"""The demo's order history: what the demo buyer bought, shipped and ready to be paid out.

Everything goes through the services a real purchase uses: cart, checkout, the sandbox
provider's payment (test card), the seller's acceptance and shipment, and a payout run.
Only the dates are then moved back three weeks, so that the orders are old enough to be
paid out and the finance pages have something to show.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings

from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.checkout.models import Checkout
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_pay, checkout_start
from recommerce.checkout.services.completion import checkout_complete
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.orders.services.fulfilment import order_accept, order_ship
from recommerce.orders.services.payouts import payouts_run
from recommerce.payments import services as payment_services
from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.platform import clock

TEST_CARD = "4242424242424242"
HISTORY_DAYS = 21


def _offers_for(seller: Seller, count: int) -> list[Offer]:
    return list(
        Offer.objects.filter(seller=seller, is_active=True, stock__gt=1).order_by("price_minor")[
            :count
        ]
    )


def _buy(buyer: User, offers: list[Offer]) -> Checkout:
    cart = cart_for_user(user=buyer)
    for offer in offers:
        cart_line_add(cart=cart, offer_id=offer.pk)
    checkout = checkout_start(user=buyer, cart=cart)
    payment = checkout_pay(
        checkout=checkout,
        return_url=f"{settings.SITE_URL}/checkout/{checkout.reference}/return/",
        cancel_url=f"{settings.SITE_URL}/checkout/{checkout.reference}/cancelled/",
    )
    provider = payment_services.payment_provider()
    assert isinstance(provider, SandboxPaymentProvider)  # the demo pays with a test card
    provider.card_pay(public_id=payment.provider_session_id, number=TEST_CARD)
    return checkout


def demo_orders_create(*, buyer_email: str, seller_name: str) -> int:
    """Buy from the demo seller and another, ship the demo seller's order, run payouts.

    Returns the number of orders placed (0 if the demo buyer already has orders).
    """
    buyer = User.objects.filter(email=buyer_email).first()
    seller = Seller.objects.filter(name=seller_name).first()
    if buyer is None or seller is None or Order.objects.filter(buyer=buyer).exists():
        return 0
    if not isinstance(payment_services.payment_provider(), SandboxPaymentProvider):
        return 0  # a real provider takes real cards: no demo purchases
    other = Seller.objects.filter(status=Seller.Status.ACTIVE).exclude(pk=seller.pk).first()
    checkout = _buy(buyer, _offers_for(seller, 2) + (_offers_for(other, 1) if other else []))
    # The sandbox confirms a payment a moment after the card page, as real providers do.
    time.sleep(settings.PROVIDERS["payments"].get("OPTIONS", {}).get("confirm_delay_seconds", 2))
    checkout.refresh_from_db()
    assert checkout.payment is not None
    payment = payment_services.payment_sync(payment=checkout.payment)
    placed = checkout_complete(payment=payment) if payment.status == "captured" else []
    owner = (
        SellerMembership.objects.filter(seller=seller, role=SellerMembership.Role.OWNER)
        .select_related("user")
        .first()
    )
    shipped = [order for order in placed if order.seller_id == seller.pk][:1]
    if owner is not None:
        for order in shipped:
            order_accept(order=order, actor=owner.user)
            order_ship(order=order, actor=owner.user)
    # Move the history back so the shipped order is due for payout.
    earlier = clock.now() - dt.timedelta(days=HISTORY_DAYS)
    Order.objects.filter(pk__in=[o.pk for o in placed]).update(paid_at=earlier)
    Order.objects.filter(pk__in=[o.pk for o in shipped]).update(
        accepted_at=earlier + dt.timedelta(hours=3), shipped_at=earlier + dt.timedelta(days=1)
    )
    payouts_run(run_date=clock.today())
    return len(placed)
