"""Fixtures of the feedback tests: delivered orders of two buyers, a moderator, a photo."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from PIL import Image

from recommerce.accounts.models import User
from recommerce.orders.models import Order, OrderLine
from recommerce.platform import clock
from tests.accounts.conftest import make_staff, make_user
from tests.orders.conftest import SellerSide, make_order, make_seller

DELIVERED_AT = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


@dataclass
class Feedback:
    buyer: User
    other_buyer: User
    side: SellerSide
    moderator: User
    plain_staff: User

    def delivered(self, buyer: User | None = None, **extra: Any) -> Order:
        return make_order(
            buyer or self.buyer,
            self.side,
            status=Order.Status.DELIVERED,
            delivered_at=extra.pop("delivered_at", clock.now()),
            delivered_by=Order.DeliveredBy.CARRIER,
            **extra,
        )

    def line(self, buyer: User | None = None, **extra: Any) -> OrderLine:
        return self.delivered(buyer, **extra).lines.get()


def moderator() -> User:
    staff = make_staff(None)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="support", codename="moderate_review")
    )
    return User.objects.get(pk=staff.pk)


@pytest.fixture(name="feedback")
def feedback_world(db: None, settings: Any) -> Feedback:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = Feedback(
        buyer=make_user("alice@example.com", full_name="Alice Martin"),
        other_buyer=make_user("bob@example.com", full_name="Bob Durand"),
        side=make_seller("Refurb Lyon", stock=50),
        moderator=moderator(),
        plain_staff=make_staff(None),
    )
    mail.outbox.clear()
    return world


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()
