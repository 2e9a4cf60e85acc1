"""How API callers prove who they are.

- People (the mobile app, the web site): the session token allauth's app API hands out at
  sign-in (``X-Session-Token``), or the browser's session cookie with its CSRF token.
- Sellers' systems: an API key in ``Authorization: Bearer rk_…``, with scopes.
"""

from __future__ import annotations

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from recommerce.accounts.models import SellerApiKey
from recommerce.accounts.services.api_keys import seller_api_key_authenticate


class UserSessionToken(XSessionTokenAuth):  # type: ignore[misc]  # allauth ships no types
    """The session token of allauth's app API, in the ``X-Session-Token`` header.

    allauth's own security class for django-ninja does the look-up (its public interface,
    stable across releases); this subclass only describes the header in the OpenAPI
    document, so clients generated from it send the token.
    """

    openapi_in = "header"
    openapi_name = "X-Session-Token"


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


PERSON = [UserSessionToken(), SessionAuth()]
