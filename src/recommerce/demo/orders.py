"""The demo's order history: what the demo buyer bought, shipped and ready to be paid out.

Everything goes through the services a real purchase uses: cart, checkout, the sandbox
provider's payment (test card), the seller's acceptance and shipment, the carrier's
tracking, the cancellation of an order its seller never shipped, and a payout run. Each
step runs at its moment of the demo's timeline (see ``timeline``): bought three weeks
before the seed, accepted three hours later, shipped the next day, delivered as the
carrier's journey says, and paid out on the seed's day; the other shop's order is cancelled
and refunded the day after its last day to ship.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection

from django.conf import settings
from django.utils import timezone

from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.accounts.services.users import address_create
from recommerce.checkout.models import Checkout
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_pay, checkout_start
from recommerce.checkout.services.completion import checkout_complete
from recommerce.demo.timeline import ORDERED_DAYS_AGO, days_ago, travel
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.orders.selectors import order_ship_by
from recommerce.orders.services.fulfilment import order_accept, order_ship, order_tracking_refresh
from recommerce.orders.services.lapses import orders_cancel_lapsed
from recommerce.orders.services.payouts import payouts_run
from recommerce.payments import services as payment_services
from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.platform import clock

TEST_CARD = "4242424242424242"
ACCEPTED_AFTER = dt.timedelta(hours=3)
SHIPPED_AFTER = dt.timedelta(days=1, hours=4)


def _offers_for(seller: Seller, count: int, *, exclude: Collection[int] = ()) -> list[Offer]:
    offers = Offer.objects.filter(seller=seller, is_active=True, stock__gt=1).exclude(
        pk__in=exclude
    )
    return list(offers.order_by("price_minor")[:count])


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


def _complete(checkout: Checkout) -> list[Order]:
    """Place the checkout's orders once the payment is confirmed: the sandbox confirms it a
    moment after the card page, as real providers do."""
    delay = settings.PROVIDERS["payments"].get("OPTIONS", {}).get("confirm_delay_seconds", 2)
    time.sleep(delay)
    checkout.refresh_from_db()
    assert checkout.payment is not None
    payment = payment_services.payment_sync(payment=checkout.payment)
    return checkout_complete(payment=payment) if payment.status == "captured" else []


def _notifications_now() -> None:
    """Deliver the sandbox provider's due notifications (a refund's success) in this
    process, at this moment of the timeline: no web server listens during the seed, and
    the worker would take them, days later, at the real time."""
    provider = payment_services.payment_provider()
    assert isinstance(provider, SandboxPaymentProvider)
    transport, provider.outbox.transport = provider.outbox.transport, "inprocess"
    try:
        provider.outbox.deliver_due()
    finally:
        provider.outbox.transport = transport


# A shopper the sandbox risk check holds for review ("+review" in the address), for the
# anti-fraud desk: joined two days before the seed, ordered the day before.
HELD_SHOPPER = ("Noé Martin", "noe.martin+review@example.org")


def demo_held_order_create(*, seller_name: str) -> int:
    """Place one order the risk check holds for review; return 1, or 0 if it exists.

    It waits under the anti-fraud desk's held orders, hidden from its seller, until staff
    release or reject it (or ``ORDERS_REVIEW_DAYS`` after payment, when it lapses).
    """
    name, email = HELD_SHOPPER
    if User.objects.filter(email=email).exists():
        return 0
    if not isinstance(payment_services.payment_provider(), SandboxPaymentProvider):
        return 0
    seller = Seller.objects.filter(status=Seller.Status.ACTIVE).exclude(name=seller_name).last()
    if seller is None:
        return 0
    with travel(days_ago(2, hour=18)):
        shopper = User.objects.create_user(
            email,
            None,
            full_name=name,
            country="FR",
            birth_date=dt.date(1994, 3, 8),
            date_joined=timezone.now(),
        )
        for kind in ("delivery", "billing"):
            address_create(
                actor=shopper, user=shopper, kind=kind, full_name=name,
                line1="4 Quai de la Fosse", postal_code="44000", city="Nantes",
                country="FR", phone="+33698765432",
            )  # fmt: skip
    with travel(days_ago(1, hour=21)):
        placed = _complete(_buy(shopper, _offers_for(seller, 2)))
    return sum(order.status == Order.Status.HELD for order in placed)


def demo_orders_create(
    *, buyer_email: str, seller_name: str, keep_offer_ids: Collection[int] = ()
) -> int:
    """Buy from the demo seller and another, ship the demo seller's order, run payouts.

    ``keep_offer_ids`` are offers the history must not buy from (the README's purchase).
    Returns the number of orders placed (0 if the demo buyer already has orders).
    """
    buyer = User.objects.filter(email=buyer_email).first()
    seller = Seller.objects.filter(name=seller_name).first()
    if buyer is None or seller is None or Order.objects.filter(buyer=buyer).exists():
        return 0
    if not isinstance(payment_services.payment_provider(), SandboxPaymentProvider):
        return 0  # a real provider takes real cards: no demo purchases
    other = Seller.objects.filter(status=Seller.Status.ACTIVE).exclude(pk=seller.pk).first()
    ordered = days_ago(ORDERED_DAYS_AGO, hour=10)
    with travel(ordered):
        offers = _offers_for(seller, 2, exclude=keep_offer_ids)
        placed = _complete(_buy(buyer, offers + (_offers_for(other, 1) if other else [])))
    owner = (
        SellerMembership.objects.filter(seller=seller, role=SellerMembership.Role.OWNER)
        .select_related("user")
        .first()
    )
    shipped = [order for order in placed if order.seller_id == seller.pk][:1]
    if owner is not None:
        for order in shipped:
            with travel(ordered + ACCEPTED_AFTER):
                order_accept(order=order, actor=owner.user)
            with travel(ordered + SHIPPED_AFTER):
                units = {
                    line.pk: [f"DEMO-{line.pk}-{n}" for n in range(1, line.quantity + 1)]
                    for line in order.lines.all()
                }
                order_ship(order=order, actor=owner.user, units=units)
            # Today the carrier's journey is over: the parcel was delivered days ago.
            order_tracking_refresh(order=order)
    for order in placed:
        if order.seller_id != seller.pk:
            # Never shipped: the hourly task cancels it the day after its last day to ship.
            day = order_ship_by(order=order) + dt.timedelta(days=1)
            zone = timezone.get_current_timezone()
            with travel(dt.datetime.combine(day, dt.time(0, 41), tzinfo=zone)):
                orders_cancel_lapsed()
                _notifications_now()
    payouts_run(run_date=clock.today())
    return len(placed)
