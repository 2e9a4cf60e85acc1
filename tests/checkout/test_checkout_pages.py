"""The checkout and confirmation pages as a buyer meets them (Hardening 5.9)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import Address
from recommerce.checkout.models import Checkout
from recommerce.orders.providers.insurer import sandbox_premium
from recommerce.platform import clock
from tests.checkout.conftest import make_offer
from tests.checkout.test_flow import _checkout, _pay

pytestmark = pytest.mark.django_db


def _page(buyer, checkout) -> tuple[Client, str]:
    client = Client()
    client.force_login(buyer)
    return client, reverse("checkout:checkout", args=[checkout.reference])


def _choices(buyer, checkout: Checkout, **changes: str) -> dict[str, str]:
    addresses = {a.kind: a.pk for a in Address.objects.filter(user=buyer)}
    data = {
        "delivery_address": str(addresses[Address.Kind.DELIVERY]),
        "billing_address": str(addresses[Address.Kind.BILLING]),
        "plan": checkout.plan,
    }
    for parcel in checkout.parcels.all():
        data[f"shipping_{parcel.seller_id}"] = parcel.method
    for line in checkout.lines.all():
        data[f"insure_{line.pk}"] = str(line.insured_units)
    return {**data, **changes}


def _summary(html: str) -> str:
    return html.split('id="checkout-summary"')[1].split("</aside>")[0]


def test_the_insurance_choice_shows_its_price_before_it_is_made(buyer):
    """Hardening 5.9: "Insure …, €35.99 per device" beside the choice, not only after."""
    checkout = _checkout(buyer, (make_offer(price_minor=44_900), 2))
    client, url = _page(buyer, checkout)
    html = client.get(url).content.decode()
    premium = sandbox_premium(44_900, "EUR")
    assert premium == 35_99
    assert re.search(r"a year\), €35\.99 per device</label>", html)


def test_a_changed_choice_updates_the_totals_in_place(buyer):
    """Hardening 5.9: htmx posts the change and gets the page with the new totals, no redirect."""
    checkout = _checkout(buyer, (make_offer(price_minor=44_900), 1))
    line = checkout.lines.get()
    client, url = _page(buyer, checkout)
    page = client.get(url).content.decode()
    assert 'hx-trigger="change"' in page and 'hx-select="#checkout-summary"' in page

    response = client.post(
        url,
        {**_choices(buyer, checkout, **{f"insure_{line.pk}": "1"}), "action": "update"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    assert "€35.99" in summary  # the insurance line
    assert "€484.99" in summary  # 449.00 + 35.99 of insurance, free standard shipping
    assert Checkout.objects.get(pk=checkout.pk).total_minor == 48_499


def test_without_javascript_update_totals_still_saves_and_reloads(buyer):
    """Hardening 5.9: the no-JS fallback keeps working (a plain POST redirects back)."""
    checkout = _checkout(buyer, (make_offer(price_minor=44_900), 1))
    line = checkout.lines.get()
    client, url = _page(buyer, checkout)
    response = client.post(
        url, {**_choices(buyer, checkout, **{f"insure_{line.pk}": "1"}), "action": "update"}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert "€484.99" in _summary(client.get(url).content.decode())


def test_the_pay_button_follows_the_last_choice_and_the_summary(buyer):
    """Hardening 5.9: a Pay button where the choices end, and one after the summary."""
    checkout = _checkout(buyer, (make_offer(price_minor=44_900), 1))
    client, url = _page(buyer, checkout)
    html = client.get(url).content.decode()
    payment_section = html.index('id="plan-title"')
    pay_end = html.index('id="pay-end"')
    summary_total = html.index('data-testid="checkout-total"')
    pay_buttons = [m.start() for m in re.finditer(r'name="action" value="pay"', html)]
    assert payment_section < pay_end < pay_buttons[0]
    assert summary_total < pay_buttons[1]
    assert len(pay_buttons) == 2


def test_the_confirmation_lists_each_order_s_items_in_padded_cards(buyer, client):
    """Hardening 5.9: each order card names what was bought, in a panel of its own."""
    offer = make_offer(price_minor=44_900)
    checkout = _checkout(buyer, (offer, 2))
    _pay(checkout)
    client.force_login(buyer)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=10)):
        client.get(reverse("checkout:return", args=[checkout.reference]))
    html = client.get(reverse("checkout:done", args=[checkout.reference])).content.decode()
    cards = html.split('data-testid="placed-orders"')[1].split("</ul>\n</ul>")[0]
    assert 'class="panel placed-order"' in cards and "plain-list" not in html.split("<main")[1]
    assert f"2 \u00d7 {offer.variant.device_model} {offer.variant.label}" in cards.replace(
        "&nbsp;", " "
    )
    assert "€898.00" in cards
