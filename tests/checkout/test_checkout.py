"""Checkout: stock reserved at start, given back once, age and risk checkpoints, totals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Address
from recommerce.checkout.models import Checkout
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import (
    checkout_cancel,
    checkout_parts,
    checkout_pay,
    checkout_start,
    checkout_update,
)
from recommerce.checkout.services.completion import checkouts_expire_due
from recommerce.offers.models import Offer
from recommerce.payments.models import Payment
from recommerce.platform.providers import ProviderError
from tests.checkout.conftest import make_buyer, make_offer

pytestmark = pytest.mark.django_db

RETURN = "http://testserver/checkout/return/"
CANCEL = "http://testserver/checkout/cancelled/"


def _stock(offer: Offer) -> int:
    return Offer.objects.get(pk=offer.pk).stock


def _cart_with(buyer, *offers_and_quantities):
    cart = cart_for_user(user=buyer)
    for offer, quantity in offers_and_quantities:
        cart_line_add(cart=cart, offer_id=offer.pk, quantity=quantity)
    return cart


def test_starting_a_checkout_reserves_the_stock_and_cancelling_gives_it_back(buyer):
    offer = make_offer(stock=3, price_minor=25_000)
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (offer, 2)))

    assert _stock(offer) == 1
    assert checkout.status == Checkout.Status.OPEN
    assert checkout.delivery["city"] == "Paris"

    checkout_cancel(checkout=checkout)
    checkout_cancel(checkout=checkout)  # a second cancel gives nothing back twice
    assert _stock(offer) == 3


def test_a_sold_out_line_reserves_nothing_at_all(buyer):
    plenty = make_offer(stock=5)
    scarce = make_offer(stock=1)
    cart = _cart_with(buyer, (plenty, 2), (scarce, 1))
    Offer.objects.filter(pk=scarce.pk).update(stock=0)  # bought by someone else meanwhile
    cart.lines.filter(offer=scarce).update(quantity=1)

    with pytest.raises(ValidationError):
        checkout_start(user=buyer, cart=cart)

    assert (_stock(plenty), _stock(scarce)) == (5, 0)
    assert not Checkout.objects.exists()


def test_expired_reservations_are_released_once_by_the_periodic_task(buyer):
    offer = make_offer(stock=2)
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (offer, 2)))
    assert _stock(offer) == 0

    with time_machine.travel(checkout.expires_at + dt.timedelta(seconds=1)):
        assert checkouts_expire_due() == 1
        assert checkouts_expire_due() == 0

    checkout.refresh_from_db()
    assert (checkout.status, checkout.stock_released, _stock(offer)) == (
        Checkout.Status.EXPIRED,
        True,
        2,
    )


# On a leap day, a buyer turning 16 that day: the day a birthday computed from today's date
# with ``date.replace(year=...)`` would not exist.
@time_machine.travel(dt.datetime(2028, 2, 29, 11, 0, tzinfo=dt.UTC), tick=False)
def test_a_minor_without_parental_authorisation_cannot_buy_AGE_1(db):
    """Hardening 5.10: the buyer's age is set against a fixed day, not today's date."""
    minor = make_buyer(birth_date=dt.date(2012, 2, 29))
    offer = make_offer(stock=2)

    with pytest.raises(ValidationError, match="18 or older"):
        checkout_start(user=minor, cart=_cart_with(minor, (offer, 1)))

    assert _stock(offer) == 2
    assert not Checkout.objects.exists()


def test_an_account_without_a_declared_age_cannot_buy_AGE_1(db):
    unknown = make_buyer(birth_date=None)
    offer = make_offer(stock=2)

    with pytest.raises(ValidationError):
        checkout_start(user=unknown, cart=_cart_with(unknown, (offer, 1)))
    assert _stock(offer) == 2


def test_totals_add_shipping_per_seller_and_insurance_per_device(buyer):
    first = make_offer(stock=3, price_minor=30_000)
    second = make_offer(stock=3, price_minor=12_000)
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (first, 2), (second, 1)))
    line = checkout.lines.get(offer=first)

    checkout = checkout_update(
        checkout=checkout, shipping={second.seller_id: "express"}, insurance={line.pk: 1}
    )

    line.refresh_from_db()
    assert line.insured_units == 1 and line.insurance_unit_minor > 0
    parts = {part.seller_id: part for part in checkout_parts(checkout=checkout)}
    assert parts[second.seller_id].amounts.shipping_minor == 990
    assert parts[first.seller_id].amounts.shipping_minor == 0
    assert checkout.items_minor == 72_000
    assert checkout.insurance_minor == line.insurance_unit_minor
    assert checkout.total_minor == 72_000 + 990 + line.insurance_unit_minor
    assert checkout.total_minor == sum(p.amounts.total_minor for p in parts.values())
    # French VAT (20 %) included in items and shipping; insurance carries none.
    assert checkout.vat_minor == (60_000 - 50_000) + (12_000 - 10_000) + (990 - 825)


def test_insuring_more_devices_than_bought_is_refused_and_changes_nothing(buyer):
    offer = make_offer(stock=3)
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (offer, 1)))
    line = checkout.lines.get()

    with pytest.raises(ValidationError):
        checkout_update(checkout=checkout, insurance={line.pk: 2})

    line.refresh_from_db()
    assert line.insured_units == 0


def test_someone_elses_address_cannot_be_used(buyer):
    other = make_buyer()
    foreign = Address.objects.filter(user=other).first()
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (make_offer(stock=1), 1)))

    with pytest.raises(ValidationError):
        checkout_update(checkout=checkout, delivery_address_id=foreign.pk)
    checkout.refresh_from_db()
    assert checkout.delivery["line1"] == "12 rue des Lilas"
    assert checkout.delivery["name"] == "Camille Laurent"


def test_a_blocked_buyer_is_refused_before_any_payment_and_the_stock_is_released(db):
    blocked = make_buyer("mallory+block@example.com")
    offer = make_offer(stock=1)
    checkout = checkout_start(user=blocked, cart=_cart_with(blocked, (offer, 1)))

    with pytest.raises(ValidationError, match="cannot accept"):
        checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    checkout.refresh_from_db()
    assert (checkout.status, checkout.risk) == (Checkout.Status.BLOCKED, "block")
    assert not Payment.objects.exists()
    assert _stock(offer) == 1


def test_paying_twice_opens_one_payment_for_the_exact_total(buyer):
    offer = make_offer(stock=2, price_minor=33_300)
    checkout = checkout_start(user=buyer, cart=_cart_with(buyer, (offer, 1)))

    first = checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)
    again = checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    assert first.pk == again.pk
    assert Payment.objects.count() == 1
    assert (first.amount_minor, first.reference) == (33_300, checkout.reference)
    assert first.redirect_url
    checkout.refresh_from_db()
    assert checkout.status == Checkout.Status.PAYING


def test_paying_in_three_instalments_when_the_credit_partner_accepts(buyer):
    checkout = checkout_start(
        user=buyer, cart=_cart_with(buyer, (make_offer(stock=1, price_minor=60_000), 1))
    )
    checkout = checkout_update(checkout=checkout, plan="x3")

    payment = checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    schedule = payment.instalments.schedule
    assert (payment.plan, payment.instalments.count, len(schedule)) == ("x3", 3, 3)
    assert sum(item["amount_minor"] for item in schedule) == 60_000


def test_instalments_declined_by_the_credit_partner_take_nothing_and_keep_the_checkout(db):
    declined = make_buyer("decline.me@example.com")
    offer = make_offer(stock=1, price_minor=60_000)
    checkout = checkout_start(user=declined, cart=_cart_with(declined, (offer, 1)))
    checkout = checkout_update(checkout=checkout, plan="x4")

    with pytest.raises(ProviderError, match=r"(?i)declin|instalment"):
        checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL)

    checkout.refresh_from_db()
    assert checkout.status == Checkout.Status.OPEN
    assert not Payment.objects.filter(status=Payment.Status.CAPTURED).exists()
    assert _stock(offer) == 0  # still reserved: the buyer can pay now instead
    checkout = checkout_update(checkout=checkout, plan="full")
    assert checkout_pay(checkout=checkout, return_url=RETURN, cancel_url=CANCEL).plan == "full"
