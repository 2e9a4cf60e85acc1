"""Every main page passes the markup accessibility audit of ``tests/a11y.py`` (Hardening 7.2).

axe-core found on these pages: a gallery ``<ul role="region">`` (``listitem``,
``aria-allowed-role``), a section and the table region inside it sharing one name
(``landmark-unique``), two unnamed search landmarks on the home page, and the French notice
served as ``<html lang="en">``. The audit looks for those classes of error on each page.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.orders.models import Order
from recommerce.platform import clock
from tests import factories as f
from tests.a11y import audit
from tests.accounts.conftest import PASSWORD, make_staff
from tests.checkout.conftest import make_buyer
from tests.checkout.test_flow import _checkout, _pay

pytestmark = pytest.mark.django_db


def test_the_audit_finds_each_class_of_error_axe_reported():
    """Hardening 7.2: positive controls, so a page passing the audit means something."""
    page = """<!doctype html><html lang="en"><body>
      <header><form role="search"><input name="q" id="a"><label for="a">Search</label>
      </form></header>
      <main><form role="search"><input name="q2"></form>
        <section aria-labelledby="t"><h1 id="t" lang="fr">Titre</h1>
          <div role="region" aria-labelledby="t" tabindex="0"><table></table></div></section>
        <ul role="region" aria-label="Images"><li><img src="a.png"></li></ul>
        <h1>Second</h1></main></body></html>"""
    problems = audit(page)
    assert "2 search landmarks without a name" in problems
    assert "2 region landmarks named 'Titre'" in problems
    assert '<ul role="region"> is not allowed' in problems
    assert 'a list item sits in <ul role="region">, not in a list' in problems
    assert "<img src='a.png'> has no alt" in problems
    assert "<input name='q2'> has no label" in problems
    assert "2 <h1> elements instead of one" in problems
    assert 'the page is in "fr" but <html lang="en">' in problems
    assert audit('<html lang="en"><main><h1>One</h1><ul><li>a</li></ul></main></html>') == []
    named_and_not = """<html lang="en"><header><form role="search" aria-label="Site search">
      </form></header><main><h1>Lost</h1><form role="search"></form></main></html>"""
    assert audit(named_and_not) == ["a search landmark without a name beside named ones"]


@pytest.fixture
def site():
    """A shop with a product, a seller, and a buyer who has paid for one order."""
    green = f.seller("Green Cell")
    green.description = "Refurbisher of phones since 2014."
    green.save()
    variant = f.variant(f.device_model("iPhone 13"), storage_gb=128)
    offer = f.offer(variant, seller_=green, grade="excellent", price_minor=52_900, stock=5)
    f.offer(variant, seller_=f.seller("Atelier"), grade="good", price_minor=45_900, stock=2)
    buyer = make_buyer("camille@example.com")
    buyer.set_password(PASSWORD)
    buyer.save()
    paid = _checkout(buyer, (offer, 1))
    _pay(paid)
    client = Client()
    client.force_login(buyer)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=10)):
        client.get(reverse("checkout:return", args=[paid.reference]))
    open_checkout = _checkout(buyer, (offer, 1))
    order = Order.objects.get(checkout_reference=paid.reference)
    return {
        "variant": variant,
        "seller": green,
        "buyer": buyer,
        "client": client,
        "paid": paid,
        "open": open_checkout,
        "order": order,
    }


def _pages(site) -> dict[str, tuple[Client, str]]:
    anonymous = Client()
    buyer = site["client"]
    buyer.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    dpo = Client()
    dpo.force_login(make_staff(roles.DPO, "dpo@example.com"))
    admin = Client()
    admin.force_login(make_staff(roles.ADMIN, "admin@example.com"))
    return {
        "home": (anonymous, "/"),
        "category": (anonymous, "/c/smartphones/"),
        "search": (anonymous, "/search/?q=iphone&grade=excellent&sort=price_asc"),
        "product": (anonymous, site["variant"].get_absolute_url()),
        "seller": (anonymous, site["seller"].get_absolute_url()),
        "sign in": (anonymous, reverse("account_login")),
        "sign up": (anonymous, reverse("account_signup")),
        "password reset": (anonymous, reverse("account_reset_password")),
        "notice": (anonymous, reverse("privacy:notice")),
        "notice fr": (anonymous, "/privacy/notice/fr/"),
        "privacy request": (anonymous, reverse("privacy:request")),
        "cookies": (anonymous, reverse("privacy:cookies")),
        "cart": (buyer, reverse("checkout:cart")),
        "checkout": (buyer, reverse("checkout:checkout", args=[site["open"].reference])),
        "confirmation": (buyer, reverse("checkout:done", args=[site["paid"].reference])),
        "orders": (buyer, reverse("orders:list")),
        "order": (buyer, reverse("orders:detail", args=[site["order"].number])),
        "profile": (buyer, reverse("accounts:profile")),
        "email": (buyer, reverse("account_email")),
        "password": (buyer, reverse("account_change_password")),
        "two-factor": (buyer, reverse("mfa_index")),
        "my data": (buyer, reverse("privacy:mine")),
        "staff": (admin, reverse("staff:dashboard")),
        "privacy requests": (dpo, reverse("privacy_staff:requests")),
        "privacy figures": (dpo, reverse("privacy_staff:stats")),
        "data map": (dpo, reverse("privacy_staff:datamap")),
        "disclosures": (dpo, reverse("privacy_staff:disclosures")),
        "erasure ledger": (dpo, reverse("privacy_staff:ledger")),
        "outgoing email": (admin, reverse("platform_staff:outbox")),
    }


def test_the_not_found_page_passes_the_audit(client):
    """Hardening 7.2: the 404 page's search form sat unnamed beside the header's."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert audit(response.content.decode()) == []


def test_every_main_page_passes_the_audit(site):
    """Hardening 7.2: no page of the list has an error of the classes axe reported."""
    found = {}
    for label, (client, url) in _pages(site).items():
        response = client.get(url)
        assert response.status_code == 200, f"{label}: {url} answered {response.status_code}"
        problems = audit(response.content.decode())
        if problems:
            found[label] = problems
    assert found == {}
