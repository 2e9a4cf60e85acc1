"""How API callers prove who they are.

- People (the mobile app, the web site): the session token allauth's app API hands out at
  sign-in (``X-Session-Token``), or the browser's session cookie with its CSRF token
  (``recommerce.platform.api_auth``, shared with the apps below accounts).
- Sellers' systems: an API key in ``Authorization: Bearer rk_…``, with scopes.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from recommerce.accounts.models import SellerApiKey, User
from recommerce.accounts.services.api_keys import seller_api_key_authenticate
from recommerce.platform.api_auth import PERSON, UserSessionToken

__all__ = ["PERSON", "SellerKey", "UserSessionToken"]


class SellerKey(HttpBearer):
    """A seller API key; the operation names the scope it needs."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> SellerApiKey | None:
        key = seller_api_key_authenticate(secret=token)
        if key is None:
            return None
        if self.scope not in key.scopes:
            raise HttpError(403, f"This key lacks the “{self.scope}” scope.")
        return key


def request_person(request: HttpRequest) -> User:
    """Return the person an operation with ``auth=PERSON`` was called by."""
    user = request.user
    assert isinstance(user, User)
    return user


def request_seller_key(request: HttpRequest) -> SellerApiKey:
    """Return the seller API key an operation with ``auth=SellerKey(...)`` was called with."""
    key = getattr(request, "auth", None)
    assert isinstance(key, SellerApiKey)
    return key
