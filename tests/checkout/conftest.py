"""Builders for checkout tests: adult buyers with an address book, offers to buy."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection

from recommerce.accounts.models import Address, User
from recommerce.accounts.services.users import address_create
from recommerce.offers.models import Offer
from tests import factories
from tests.accounts.conftest import make_user
from tests.api.test_accounts_api import PASSWORD, app_token

_buyers = itertools.count(1)

needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
]


def make_buyer(email: str | None = None, *, country: str = "FR", **extra: Any) -> User:
    """Create an adult buyer with a default delivery and billing address in ``country``."""
    extra.setdefault("birth_date", dt.date(1990, 5, 17))
    user = make_user(
        email or f"buyer{next(_buyers)}@example.com",
        full_name="Camille Laurent",
        country=country,
        **extra,
    )
    for kind in (Address.Kind.DELIVERY, Address.Kind.BILLING):
        address_create(
            actor=user,
            user=user,
            kind=kind,
            full_name="Camille Laurent",
            line1="12 rue des Lilas",
            postal_code="75011",
            city="Paris",
            country=country,
            phone="+33612345678",
        )
    return user


@pytest.fixture
def buyer(db: None) -> User:
    return make_buyer()


_models = itertools.count(1)


def make_offer(*, stock: int = 3, price_minor: int = 45_000, **extra: Any) -> Offer:
    """Create an offer of a new device model, from a new seller unless one is given."""
    model = factories.device_model(f"Phone {next(_models)}")
    return factories.offer(factories.variant(model), stock=stock, price_minor=price_minor, **extra)


@pytest.fixture
def api(client, buyer):
    """Call the API as the buyer, with an app session token (the mobile app's way)."""
    buyer.set_password(PASSWORD)
    buyer.save()
    token = app_token(client, buyer.email)
    client.cookies.clear()

    def call(method: str, path: str, body=None, **headers):
        return getattr(client, method)(
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers={"X-Session-Token": token, **headers},
        )

    return call
