"""A seller's "My offers" says "Sold out" for an offer with no stock left (Hardening 5.9)."""

from __future__ import annotations

import pytest
from django.test import Client

from recommerce.accounts.models import SellerMembership
from tests import factories as f
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db


def test_an_offer_without_stock_is_not_labelled_on_sale():
    """Hardening 5.9: on sale, sold out and off sale are three different labels."""
    seller = f.seller("Green Cell")
    owner = make_user("owner@green.example")
    SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
    phone = f.variant(f.device_model("iPhone 13"))
    f.offer(phone, seller_=seller, grade="excellent", stock=3)
    f.offer(phone, seller_=seller, grade="good", stock=0)
    client = Client()
    client.force_login(owner)
    html = client.get("/account/seller/offers/").content.decode()
    assert html.count(">On sale</span>") == 1
    assert html.count(">Sold out</span>") == 1
