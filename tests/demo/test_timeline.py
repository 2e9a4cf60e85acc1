"""The demo's dates tell one story, whatever day the demo is seeded on (Hardening 5.5).

joined < ordered < paid < invoiced < shipped < expected/delivered < payout, checked over
every order, person, payment, invoice, ledger transaction and payout the demo's history
writes, on ordinary days, a 29 February and around a year end.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from recommerce.accounts.models import User
from recommerce.checkout.models import Checkout
from recommerce.demo.orders import demo_orders_create
from recommerce.demo.people import DEMO_BUYER_EMAIL, DEMO_LOGINS, DEMO_SELLER_NAME
from recommerce.demo.seed import demo_people_join
from recommerce.demo.timeline import OPENED_DAYS_AGO, days_ago, travel
from recommerce.orders.models import Invoice, LedgerTransaction, Order, Payout, TrackingEvent
from recommerce.orders.selectors import order_ship_by
from recommerce.payments.models import Payment, Refund
from recommerce.platform.providers import clear_provider_cache
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SEED_MOMENTS = [
    dt.datetime(2027, 6, 15, 14, 0, tzinfo=PARIS),
    dt.datetime(2028, 2, 29, 9, 30, tzinfo=PARIS),  # a leap day
    dt.datetime(2027, 12, 31, 23, 40, tzinfo=PARIS),  # the orders fall in the same year...
    dt.datetime(2028, 1, 10, 0, 20, tzinfo=PARIS),  # ...or the year before
]


@pytest.fixture
def quick(settings):
    """Fast password hashing and an instant sandbox confirmation."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    payments = settings.PROVIDERS["payments"]
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "payments": {**payments, "OPTIONS": {**payments["OPTIONS"], "confirm_delay_seconds": 0}},
    }
    clear_provider_cache()
    yield
    clear_provider_cache()


def shop() -> None:
    """Two shops with stock, published on the demo's opening day."""
    with travel(days_ago(OPENED_DAYS_AGO, hour=9)):
        revivo = f.seller(DEMO_SELLER_NAME)
        other = f.seller("Atelier Renov")
        phone = f.device_model("iPhone 13")
        for number, seller in enumerate((revivo, revivo, other)):
            variant = f.variant(phone, storage_gb=64 * 2**number)
            f.offer(variant, seller_=seller, grade="good", price_minor=30_000 + number, stock=5)


# Committed step by step, as the seed commits them: what follows a commit (the refund's
# confirmation, its credit note) happens at its own moment of the story.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seeded_at", SEED_MOMENTS, ids=lambda m: m.strftime("%Y-%m-%d"))
def test_every_seeded_date_follows_the_story(quick, seeded_at):
    """Hardening 5.5: nothing in the demo happens before what it depends on."""
    with time_machine.travel(seeded_at, tick=True):
        shop()
        demo_people_join()
        placed = demo_orders_create(buyer_email=DEMO_BUYER_EMAIL, seller_name=DEMO_SELLER_NAME)
        now = timezone.now()
    today = timezone.localdate(now)
    assert placed == 2

    people = User.objects.filter(email__in=[email for _, email, _ in DEMO_LOGINS])
    assert people.count() == len(DEMO_LOGINS)
    joined = max(people.values_list("date_joined", flat=True))
    orders = list(Order.objects.select_related("payment", "seller"))
    checkout = Checkout.objects.get()
    payment = Payment.objects.get()
    assert joined < checkout.created_at <= payment.created_at
    assert payment.captured_at is not None and payment.created_at < payment.captured_at
    # Three weeks before the seed, so the shipped order is due for payout on its day.
    assert (today - timezone.localdate(checkout.created_at)).days == 21

    for order in orders:
        invoice = Invoice.objects.get(order=order, kind=Invoice.Kind.SALE)
        assert checkout.created_at <= order.paid_at
        assert payment.captured_at <= order.paid_at <= invoice.issued_at < now
        assert invoice.number.split("-")[1] == str(timezone.localdate(invoice.issued_at).year)
        assert timezone.localdate(order.paid_at) < order.delivery_estimate_from
        assert order.delivery_estimate_from <= order.delivery_estimate_to
        for transaction in LedgerTransaction.objects.filter(order=order):
            assert order.paid_at <= transaction.created_at < now

    shipped = next(o for o in orders if o.seller.name == DEMO_SELLER_NAME)
    lapsed = next(o for o in orders if o.seller.name != DEMO_SELLER_NAME)
    # Never shipped, it was cancelled the day after its last day to ship, and refunded.
    assert (lapsed.status, lapsed.shipped_at) == (Order.Status.CANCELLED, None)
    assert lapsed.cancelled_at is not None
    assert timezone.localdate(lapsed.cancelled_at) == order_ship_by(order=lapsed) + dt.timedelta(
        days=1
    )
    assert lapsed.cancelled_at < now
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount_minor, refund.reason) == (lapsed.total_minor, Refund.Reason.NOT_SHIPPED)
    assert lapsed.cancelled_at <= refund.created_at < now
    # The provider's confirmation, the ledger and the credit note follow on the same day.
    assert refund.status == Refund.Status.SUCCEEDED
    note = Invoice.objects.get(order=lapsed, kind=Invoice.Kind.CREDIT_NOTE)
    assert timezone.localdate(note.issued_at) == timezone.localdate(lapsed.cancelled_at)
    invoiced = Invoice.objects.get(order=shipped, kind=Invoice.Kind.SALE).issued_at
    assert shipped.status == Order.Status.DELIVERED
    assert invoiced < shipped.accepted_at < shipped.shipped_at < shipped.delivered_at < now
    assert timezone.localdate(shipped.shipped_at) <= shipped.delivery_estimate_to
    assert timezone.localdate(shipped.delivered_at) <= shipped.delivery_estimate_to
    events = list(TrackingEvent.objects.filter(order=shipped).values_list("occurred_at", flat=True))
    # The carrier counts in whole seconds.
    left = shipped.shipped_at.replace(microsecond=0)
    assert events and all(left <= moment <= shipped.delivered_at for moment in events)

    payout = Payout.objects.get()
    assert payout.run_date == today
    assert shipped.delivered_at < payout.created_at <= now
    assert payout.amount_minor == shipped.total_minor - shipped.commission_minor
