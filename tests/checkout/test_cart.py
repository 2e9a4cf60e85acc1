"""The cart: several sellers, stock limits, price and stock changes shown, merge on sign-in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommerce.checkout.models import Cart, CartLine
from recommerce.checkout.selectors import cart_summary
from recommerce.checkout.services.cart import (
    cart_changes_accept,
    cart_for_user,
    cart_line_add,
    cart_line_set_quantity,
)
from recommerce.checkout.services.checkout import CartChanged, checkout_start
from recommerce.offers.services import offer_update
from tests.accounts.conftest import PASSWORD
from tests.checkout.conftest import make_buyer, make_offer

pytestmark = pytest.mark.django_db


def test_one_cart_holds_offers_of_several_sellers_grouped_by_seller(buyer):
    first = make_offer(price_minor=30_000, stock=2)
    second = make_offer(price_minor=41_000, stock=5)
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=first.pk, quantity=2)
    cart_line_add(cart=cart, offer_id=second.pk)

    summary = cart_summary(cart=cart)

    names = sorted([first.seller.name, second.seller.name])
    assert [group.seller.name for group in summary.groups] == names
    assert summary.count == 3
    assert summary.total_minor == 2 * 30_000 + 41_000


def test_quantity_is_limited_by_stock_and_nothing_is_added_beyond_it(buyer):
    offer = make_offer(stock=2)
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=offer.pk, quantity=2)

    with pytest.raises(ValidationError, match="at most 2"):
        cart_line_add(cart=cart, offer_id=offer.pk, quantity=1)
    with pytest.raises(ValidationError, match="at least 1"):
        cart_line_set_quantity(cart=cart, line_id=cart.lines.get().pk, quantity=-1)

    assert cart.lines.get().quantity == 2


def test_a_price_change_is_shown_and_blocks_checkout_until_accepted(buyer):
    offer = make_offer(price_minor=30_000, stock=3)
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=offer.pk)
    offer_update(offer=offer, price_minor=32_500)

    item = cart_summary(cart=cart).items[0]
    assert (item.price_seen_minor, item.price_minor, item.price_changed) == (30_000, 32_500, True)
    with pytest.raises(CartChanged):
        checkout_start(user=buyer, cart=cart)
    assert not buyer.checkouts.exists()

    assert cart_changes_accept(cart=cart) == 1
    checkout = checkout_start(user=buyer, cart=cart)
    assert checkout.items_minor == 32_500


def test_a_stock_drop_is_shown_and_accepting_cuts_the_quantity(buyer):
    offer = make_offer(stock=3)
    cart = cart_for_user(user=buyer)
    cart_line_add(cart=cart, offer_id=offer.pk, quantity=3)
    offer_update(offer=offer, stock=1)

    item = cart_summary(cart=cart).items[0]
    assert item.short_of_stock and item.max_quantity == 1
    cart_changes_accept(cart=cart)
    assert cart.lines.get().quantity == 1


def test_an_anonymous_cart_joins_the_persons_cart_at_sign_in(client):
    offer = make_offer(stock=4, price_minor=20_000)
    kept = make_offer(stock=4)
    buyer = make_buyer("merge@example.com")
    cart_line_add(cart=cart_for_user(user=buyer), offer_id=kept.pk)

    response = client.post(
        reverse("checkout:cart_add"),
        {"offer": offer.pk, "quantity": 2},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302
    anonymous = Cart.objects.get(user__isnull=True)

    client.post(reverse("account_login"), {"login": "merge@example.com", "password": PASSWORD})

    lines = dict(CartLine.objects.filter(cart__user=buyer).values_list("offer_id", "quantity"))
    assert lines == {kept.pk: 1, offer.pk: 2}
    assert not Cart.objects.filter(pk=anonymous.pk).exists()
    page = client.get(reverse("checkout:cart"))
    assert page.context["summary"].count == 3


def test_adding_from_another_site_is_refused_and_adds_nothing(client):
    offer = make_offer(stock=4)
    response = client.post(
        reverse("checkout:cart_add"),
        {"offer": offer.pk},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert not CartLine.objects.exists()


def test_bad_quantities_on_the_cart_page_give_a_message_not_an_error(client, buyer):
    offer = make_offer(stock=2)
    line = cart_line_add(cart=cart_for_user(user=buyer), offer_id=offer.pk)
    client.force_login(buyer)

    for bad in ("-1", "0.5", "abc", "9999"):
        response = client.post(
            reverse("checkout:cart_line", args=[line.pk]), {"quantity": bad}, follow=True
        )
        assert response.status_code == 200
        assert any("quantity" in str(m).lower() for m in response.context["messages"])
    assert CartLine.objects.get(pk=line.pk).quantity == 1
