"""Fixtures of the conversation tests: a delivered order, its buyer and seller, outsiders,
customer service, real files to attach, and a private storage of the test's own.

Each test module makes its own ``talk`` fixture from ``talk_build``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core import mail
from django.test import Client
from PIL import Image

from recommerce.accounts.models import SellerApiKey, SellerMembership, User
from recommerce.accounts.roles import CUSTOMER_SERVICE
from recommerce.orders.models import Order
from recommerce.platform.providers import clear_provider_cache
from tests.accounts.conftest import make_staff, make_user
from tests.orders.conftest import SellerSide, add_member, make_order, make_seller, seller_key

PHONE_TEXT = "Call me on 06 12 34 56 78 please"
PHONE_MASKED = "Call me on [phone number hidden] please"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def jpeg(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Talk:
    """An order delivered to ``buyer`` by ``side``'s seller, and everyone around it."""

    buyer: User
    other_buyer: User
    side: SellerSide
    other_side: SellerSide
    catalog_member: User
    agent: User  # customer service
    plain_staff: User
    order: Order
    key_secret: str  # the seller's API key, orders:read and orders:write
    other_key_secret: str  # another seller's key, both scopes
    storage: Path  # the private storage's folder


def private_storage_use(settings: Any, tmp_path: Path) -> Path:
    """Point the private storage at a folder of the test's own; return the folder."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def talk_build(settings: Any, tmp_path: Path) -> Talk:
    """Build the world of a test (call it from the test module's own ``talk`` fixture)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_provider_cache()
    storage = private_storage_use(settings, tmp_path)
    buyer = make_user("alice@example.com", full_name="Alice Martin")
    other = make_user("bob@example.com", full_name="Bob Durand")
    side = make_seller("Refurb Lyon")
    other_side = make_seller("Refurb Lille")
    scopes = (SellerApiKey.Scope.ORDERS_READ, SellerApiKey.Scope.ORDERS_WRITE)
    world = Talk(
        buyer=buyer,
        other_buyer=other,
        side=side,
        other_side=other_side,
        catalog_member=add_member(side.seller, SellerMembership.Role.CATALOG),
        agent=make_staff(CUSTOMER_SERVICE, "agent@example.com"),
        plain_staff=make_staff(None, "plain@example.com"),
        order=make_order(buyer, side, status=Order.Status.DELIVERED),
        key_secret=seller_key(side.seller, side.owner, *scopes),
        other_key_secret=seller_key(other_side.seller, other_side.owner, *scopes),
        storage=storage,
    )
    mail.outbox.clear()
    return world
