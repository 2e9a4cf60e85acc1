"""Shared fixtures of the after-sales tests: a seller, a buyer and a delivered order.

Orders are built directly, as ``tests/orders/conftest.py`` does, then marked delivered on
the day a test chooses: each test starts from the exact dates its window needs. Other
after-sales test modules import ``delivered_order`` and ``ClaimWorld`` from here, or use
the ``claim_world`` fixture.

``recorded_resolutions`` stands in for ``returns.claim_resolution_start`` where a test is
about the claim's own steps, not the return or the refund that follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from recommerce.accounts.models import SellerApiKey, SellerMembership, User
from recommerce.accounts.roles import CUSTOMER_SERVICE
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.support.models import Claim
from recommerce.support.services import claims as claim_services
from tests.accounts.conftest import make_staff, make_user
from tests.orders.conftest import (
    RefundRecorder,
    SellerSide,
    add_member,
    make_order,
    make_seller,
    seller_key,
)

__all__ = [
    "ClaimWorld",
    "ResolutionRecorder",
    "delivered_order",
    "photo",
    "signed_in",
]


def image_bytes(kind: str = "JPEG") -> bytes:
    """Return a real 8 x 8 image (``JPEG`` or ``PNG``): the attachment check decodes it."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def photo(name: str = "damage.jpg", content: bytes | None = None) -> Any:
    """Return an uploaded photo, as a form or the API hands it to ``claim_open``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        image_bytes("PNG" if name.endswith(".png") else "JPEG") if content is None else content
    )
    kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return SimpleUploadedFile(name, content, content_type=kind)


def delivered_order(
    buyer: User,
    side: SellerSide,
    *,
    delivered_at: dt.datetime | None = None,
    expected_to: dt.date | None = None,
    status: str = Order.Status.DELIVERED,
    **extra: Any,
) -> Order:
    """An order of one unit of the seller's offer, delivered at ``delivered_at`` (now).

    ``status=shipped`` gives a parcel on its way (no delivery date); ``expected_to`` sets the
    latest expected delivery day.
    """
    order = make_order(buyer, side, status=status, **extra)
    now = clock.now()
    delivered = delivered_at or now
    updates: dict[str, Any] = {
        "carrier": "sandbox",
        "tracking_number": f"SP{order.pk:010d}",
        "accepted_at": min(now, delivered) - dt.timedelta(days=2),
        "shipped_at": min(now, delivered) - dt.timedelta(days=1),
    }
    if status == Order.Status.DELIVERED:
        updates |= {"delivered_at": delivered, "delivered_by": Order.DeliveredBy.CARRIER}
    if expected_to is not None:
        updates |= {"delivery_estimate_to": expected_to, "delivery_estimate_from": expected_to}
    Order.objects.filter(pk=order.pk).update(**updates)
    return Order.objects.select_related("seller").get(pk=order.pk)


def at(day: str, time: str = "10:00") -> dt.datetime:
    """Return a local time of the site, e.g. ``at("2027-01-29")``."""
    naive = dt.datetime.fromisoformat(f"{day}T{time}")
    return timezone.make_aware(naive)


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class ResolutionRecorder:
    """Stands for ``claim_resolution_start``: records each call and moves nothing."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(self, *, claim: Claim, actor: Any, side: str) -> Claim:
        self.calls.append((claim.reference, claim.resolution, side))
        return claim


@dataclass
class ClaimWorld:
    """A buyer, another person, a seller with an order team, staff, and a delivered order."""

    buyer: User
    stranger: User
    side: SellerSide
    other_side: SellerSide
    order_manager: User
    accountant: User
    agent: User  # customer service: sees and decides claims
    fraud: User  # anti-fraud: sees claims, decides none
    order: Order
    # pytest-django's ``django_capture_on_commit_callbacks``: emails leave after commit.
    capture: Any = None

    def act(self, call: Any, /, **kwargs: Any) -> Any:
        """Run a service as a committed request would: its after-commit work (emails) runs;
        a refusal rolls back, and what was queued for after the commit goes with it."""
        with self.capture(execute=True):
            return call(**kwargs)

    @property
    def owner(self) -> User:
        return self.side.owner

    def key(self, *scopes: str) -> str:
        return seller_key(self.side.seller, self.side.owner, *scopes)

    def open(self, **kwargs: Any) -> Claim:
        """Open a return on the world's order for the buyer (arguments override)."""
        arguments: dict[str, Any] = {
            "order": self.order,
            "actor": self.buyer,
            "kind": Claim.Kind.RETURN,
            "requested": Claim.Resolution.RETURN_REFUND,
            "reason_code": Claim.ReturnReason.CHANGED_MIND,
            **kwargs,
        }
        claim = self.act(claim_services.claim_open, **arguments)
        mail.outbox.clear()
        return claim


@pytest.fixture
def support_env(settings: Any) -> Iterator[None]:
    """Quick password hashing and sandbox providers whose counters start at zero."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_provider_cache()
    yield
    clear_provider_cache()


@pytest.fixture
def claim_world(db: None, support_env: None, django_capture_on_commit_callbacks: Any) -> ClaimWorld:
    buyer = make_user("alice@example.com", full_name="Alice Martin")
    side = make_seller("Refurb Lyon")
    world = ClaimWorld(
        buyer=buyer,
        stranger=make_user("bob@example.com", full_name="Bob Durand"),
        side=side,
        other_side=make_seller("Refurb Lille"),
        order_manager=add_member(side.seller, SellerMembership.Role.ORDERS, "orders@lyon.example"),
        accountant=add_member(side.seller, SellerMembership.Role.FINANCE, "money@lyon.example"),
        agent=make_staff(CUSTOMER_SERVICE, "agent@recommerce.example"),
        fraud=make_staff("Anti-fraud", "fraud@recommerce.example"),
        order=delivered_order(buyer, side),
        capture=django_capture_on_commit_callbacks,
    )
    mail.outbox.clear()
    return world


@pytest.fixture
def resolutions(monkeypatch: pytest.MonkeyPatch) -> ResolutionRecorder:
    from recommerce.support.services import returns

    recorder = ResolutionRecorder()
    monkeypatch.setattr(returns, "claim_resolution_start", recorder)
    return recorder


@pytest.fixture
def refunds(monkeypatch: pytest.MonkeyPatch) -> RefundRecorder:
    from recommerce.payments import services as payment_services

    recorder = RefundRecorder()
    monkeypatch.setattr(payment_services, "refund_create", recorder, raising=False)
    return recorder


__all__ += ["SellerApiKey", "at"]
