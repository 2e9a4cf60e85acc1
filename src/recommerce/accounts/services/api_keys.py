"""Seller API keys: made with enough entropy that a plain SHA-256 is a safe stored form."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import Seller, SellerApiKey, User
from recommerce.accounts.services.sellers import require_seller_owner
from recommerce.platform import clock
from recommerce.privacy.services import audit_event_record

KEY_PREFIX = "rk_"


@dataclass(frozen=True)
class IssuedKey:
    """A new key: ``secret`` is shown to the seller once and never stored."""

    key: SellerApiKey
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def seller_api_key_issue(
    *, seller: Seller, actor: User, name: str, scopes: Iterable[str]
) -> IssuedKey:
    """Make a scoped key for the seller's systems and return its secret once."""
    require_seller_owner(seller, actor)
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(SellerApiKey.Scope.values):
        raise ValidationError({"scopes": "Choose at least one of the listed scopes."})
    if not name.strip():
        raise ValidationError({"name": "Name the key after the system that will use it."})
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = SellerApiKey.objects.create(
        seller=seller,
        name=name.strip()[:80],
        prefix=prefix,
        key_hash=_digest(secret),
        scopes=scopes,
        created_by=actor,
    )
    audit_event_record(
        actor=actor, subject=None, action="seller.api_key.issue", target=key, fields=["scopes"]
    )
    return IssuedKey(key=key, secret=secret)


@transaction.atomic
def seller_api_key_revoke(*, key: SellerApiKey, actor: User) -> SellerApiKey:
    """Revoke a key at once; requests made with it fail from now on."""
    require_seller_owner(key.seller, actor)
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at", "updated_at"])
        audit_event_record(actor=actor, subject=None, action="seller.api_key.revoke", target=key)
    return key


def seller_api_key_authenticate(*, secret: str) -> SellerApiKey | None:
    """Return the live key that ``secret`` belongs to, noting its use; else None."""
    if not secret.startswith(KEY_PREFIX):
        return None
    prefix = secret[len(KEY_PREFIX) :].split("_", 1)[0]
    key = (
        SellerApiKey.objects.select_related("seller")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, _digest(secret)):
        return None
    if key.seller.status == Seller.Status.SUSPENDED:
        return None
    now = clock.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        SellerApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
