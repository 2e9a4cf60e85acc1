"""Cart and checkout through the API, as the app does them: the same rules as the web."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from recommerce.checkout.models import Checkout
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.payments import services as payment_services
from recommerce.payments.models import Payment
from recommerce.platform import clock
from tests.checkout.conftest import make_offer

pytestmark = pytest.mark.django_db


def test_the_cart_through_the_api(api):
    offer = make_offer(stock=3, price_minor=21_000)

    added = api("post", "/cart/lines", {"offer_id": offer.pk, "quantity": 2})
    assert added.status_code == 201
    body = added.json()
    assert (body["count"], body["total_minor"]) == (2, 42_000)
    line_id = body["lines"][0]["id"]

    too_many = api("patch", f"/cart/lines/{line_id}", {"quantity": 4})
    assert too_many.status_code == 400
    assert "at most 3" in too_many.json()["detail"][0]["msg"]
    for bad in (-1, 0.5, "two"):
        assert api("patch", f"/cart/lines/{line_id}", {"quantity": bad}).status_code in (400, 422)
    assert api("get", "/cart").json()["count"] == 2

    assert api("delete", f"/cart/lines/{line_id}").status_code == 204
    assert api("get", "/cart").json()["lines"] == []
    assert api("delete", f"/cart/lines/{line_id}").status_code == 404


def test_checkout_and_pay_through_the_api_with_idempotency_keys(api):
    offer = make_offer(stock=2, price_minor=30_000)
    api("post", "/cart/lines", {"offer_id": offer.pk})

    started = api("post", "/checkouts", **{"Idempotency-Key": "start-1"})
    again = api("post", "/checkouts", **{"Idempotency-Key": "start-1"})
    assert started.status_code == again.status_code == 201
    assert started.json()["reference"] == again.json()["reference"]
    assert Checkout.objects.count() == 1
    assert Offer.objects.get(pk=offer.pk).stock == 1
    reference = started.json()["reference"]
    parcel = started.json()["parcels"][0]

    chosen = api(
        "patch", f"/checkouts/{reference}", {"shipping": {str(parcel["seller_id"]): "express"}}
    )
    assert chosen.status_code == 200
    assert chosen.json()["total_minor"] == 30_000 + 990

    assert api("post", f"/checkouts/{reference}/pay", {}).status_code == 400  # no key
    paid = api("post", f"/checkouts/{reference}/pay", {}, **{"Idempotency-Key": "pay-1"})
    repeat = api("post", f"/checkouts/{reference}/pay", {}, **{"Idempotency-Key": "pay-1"})
    other_body = api(
        "post",
        f"/checkouts/{reference}/pay",
        {"return_url": "https://app.example/back"},
        **{"Idempotency-Key": "pay-1"},
    )
    assert paid.status_code == repeat.status_code == 200
    assert paid.json() == repeat.json()
    assert other_body.status_code == 422
    assert Payment.objects.count() == 1
    payment = Payment.objects.get()
    assert payment.amount_minor == 30_990

    # The buyer pays on the provider's page, then the app asks for the outcome.
    payment_services.payment_provider().card_pay(
        public_id=payment.provider_session_id, number="4242424242424242"
    )
    with time_machine.travel(clock.now() + dt.timedelta(seconds=10)):
        confirmed = api("post", f"/checkouts/{reference}/confirm")
    assert confirmed.json()["status"] == "completed"
    assert confirmed.json()["orders"] == list(Order.objects.values_list("number", flat=True))
    listed = [order["number"] for order in api("get", "/orders").json()]
    assert listed == confirmed.json()["orders"]


def test_a_client_cannot_set_prices_or_quantities_it_is_not_allowed(api):
    offer = make_offer(stock=1, price_minor=50_000)
    tampered = api("post", "/cart/lines", {"offer_id": offer.pk, "quantity": 1, "price_minor": 1})
    assert tampered.status_code == 201
    started = api("post", "/checkouts", **{"Idempotency-Key": "k"}).json()
    assert started["total_minor"] == 50_000
    for quantity in (-1, 0, 0.5):
        response = api("post", "/cart/lines", {"offer_id": offer.pk, "quantity": quantity})
        assert response.status_code in (400, 422)
    assert Offer.objects.get(pk=offer.pk).stock == 0  # reserved once, by the checkout
