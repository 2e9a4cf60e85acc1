"""How a person proves to the API who they are, and that they proved it again just now.

Two modes, the same for every app's person endpoints:

- the session token allauth's app API hands out at sign-in (``X-Session-Token``), for the
  mobile app;
- the browser's session cookie, with its CSRF token on writes (ninja's ``SessionAuth``).

Operations that hand data out or cannot be undone also ask for a recent
re-authentication, the rule the web pages apply with allauth's
``reauthentication_required``. The app re-authenticates with allauth's app API
(``POST /_allauth/app/v1/auth/reauthenticate`` with its ``X-Session-Token``), which records
it in the token's session; a browser does so on its session.
"""

from __future__ import annotations

import copy
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from allauth.headless import app_settings as headless_settings
from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from ninja.security import SessionAuth

from recommerce.platform.api import Problem


class UserSessionToken(XSessionTokenAuth):  # type: ignore[misc]  # allauth ships no types
    """The session token of allauth's app API, in the ``X-Session-Token`` header.

    allauth's own security class for django-ninja does the look-up (its public interface,
    stable across releases); this subclass only describes the header in the OpenAPI
    document, so clients generated from it send the token.
    """

    openapi_in = "header"
    openapi_name = "X-Session-Token"


PERSON = [UserSessionToken(), SessionAuth()]


class Reauthenticate(Schema):
    """A 401 answer: sign in, or (with ``flows``) confirm it is you again, then retry."""

    detail: str
    flows: list[str] = Field(
        default_factory=list,
        description="The allauth flows that re-authenticate this account "
        "(reauthenticate, reauthenticate_by_code, mfa_reauthenticate); empty when the "
        "caller is not signed in at all.",
    )
    reauthenticate_url: str = Field(
        "", description="Where this client re-authenticates (allauth's app or browser API)."
    )


REAUTHENTICATED: dict[int, type[Schema]] = {401: Reauthenticate, 403: Problem}
"""The refusals of an operation that needs a recent re-authentication."""


class ReauthenticationMissing(Exception):
    """The person must confirm it is them before this operation (answered with 401)."""

    def __init__(self, *, flows: list[str], url: str) -> None:
        super().__init__(
            "Confirm it is you: re-authenticate (your password, a code or your second "
            "factor), then send this request again."
        )
        self.flows, self.url = flows, url

    def answer(self) -> dict[str, Any]:
        return {"detail": str(self), "flows": self.flows, "reauthenticate_url": self.url}


@reauthentication_required  # type: ignore[untyped-decorator]
def _recently_reauthenticated(request: HttpRequest) -> None:
    """Do nothing: allauth's decorator raises when the person must re-authenticate."""


def _token_session(request: HttpRequest) -> SessionBase | None:
    """Return the session behind the caller's ``X-Session-Token``, if it signed them in."""
    token = request.headers.get("X-Session-Token")
    user = getattr(request, "user", None)
    if not token or user is None or not user.is_authenticated:
        return None
    session: SessionBase | None = headless_settings.TOKEN_STRATEGY.lookup_session(token)
    if session is None or str(session.get(SESSION_KEY)) != str(user.pk):
        return None
    return session


def reauthentication_require(request: HttpRequest) -> None:
    """Raise ``ReauthenticationMissing`` unless the caller re-authenticated minutes ago.

    The decision is allauth's, as on the web pages: a re-authentication recorded in the
    session that authenticated this request (the app token's, or the browser's) within
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT``. A sign-in alone is not enough.
    """
    session = _token_session(request)
    checked = request
    if session is not None:
        checked = copy.copy(request)
        checked.session = session
    try:
        _recently_reauthenticated(checked)
    except ReauthenticationRequired:
        client = "app" if session is not None else "browser"
        methods = get_adapter().get_reauthentication_methods(request.user)
        raise ReauthenticationMissing(
            flows=[str(method["id"]) for method in methods],
            url=reverse(f"headless:{client}:account:reauthenticate"),
        ) from None


def person_sign_out(request: HttpRequest) -> None:
    """End the session that authenticated this request: the app token's or the cookie's."""
    session = _token_session(request)
    if session is not None:
        session.delete()
    else:
        logout(request)
