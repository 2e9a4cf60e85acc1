"""Fixtures of the identity-check tests: a delivered order, a claim on it, staff of each role.

The claim is made directly through the ORM on an order built by ``tests/orders/conftest.py``,
so each test starts from the exact state it needs. Files go to a throw-away private
storage (``private_root``) so a test can read what was written at rest.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from recommerce.accounts import roles
from recommerce.accounts.models import User
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.support.models import Claim
from tests.accounts.conftest import make_staff, make_user
from tests.orders.conftest import SellerSide, make_order, make_seller

_claims = itertools.count(1)

# A minimal valid PDF (one empty page).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def png_bytes(colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="JPEG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class IdentityWorld:
    buyer: User
    other_buyer: User
    side: SellerSide
    order: Order
    customer_service: User
    anti_fraud: User
    finance: User
    dpo: User
    admin: User
    private_root: Path

    def claim(
        self,
        *,
        kind: str = Claim.Kind.NOT_RECEIVED,
        risk_flagged: bool = True,
        status: str = Claim.Status.ESCALATED,
        order: Order | None = None,
    ) -> Claim:
        order = order or self.order
        line = order.lines.first()
        return Claim.objects.create(
            reference=f"CL-TEST{next(_claims):04d}",
            order=order,
            line=line,
            buyer=order.buyer,
            kind=kind,
            status=status,
            requested=Claim.Resolution.REFUND,
            window_closes_on=clock.today(),
            risk_flagged=risk_flagged,
        )


def identity_world_build(settings: Any, tmp_path: Path) -> IdentityWorld:
    """Build the world of a test (call it from the test module's own ``world`` fixture).

    Private files go to ``tmp_path / "private"``, so a test reads what was written at rest.
    """
    private = tmp_path / "private"
    private.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private)},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 30_000
    settings.SUPPORT_IDENTITY_EVIDENCE_DAYS = 30
    clear_provider_cache()
    buyer = make_user("alice@example.com", full_name="Alice Martin")
    side = make_seller("Refurb Lyon", price_minor=45_000)
    order = make_order(buyer, side, status=Order.Status.DELIVERED)
    mail.outbox.clear()
    return IdentityWorld(
        buyer=buyer,
        other_buyer=make_user("bob@example.com", full_name="Bob Durand"),
        side=side,
        order=order,
        customer_service=make_staff(roles.CUSTOMER_SERVICE, "cs@example.com"),
        anti_fraud=make_staff(roles.ANTI_FRAUD, "fraud@example.com"),
        finance=make_staff(roles.FINANCE, "finance@example.com"),
        dpo=make_staff(roles.DPO, "dpo@example.com"),
        admin=make_staff(roles.ADMIN, "admin@example.com"),
        private_root=private,
    )
