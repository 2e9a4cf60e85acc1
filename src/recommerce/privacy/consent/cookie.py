"""The consent cookie: what it holds, how it is signed, read and written.

The value is signed with Django's signing framework, so a visitor (or a script on another
site) cannot forge a choice; a value that fails the signature, is older than
``COOKIE_MAX_AGE`` or names unknown categories reads as undecided. The random browser id
it carries is evidence of who chose (stored as a keyed hash); beyond that, only code that
checked ``allows(ANALYTICS)`` may use it, to tell visitors apart.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

from recommerce.privacy.consent import (
    COOKIE_NAME,
    UNDECIDED,
    Choice,
    UnknownCategory,
    categories_clean,
)

SALT = "recommerce.privacy.consent"
# Choices are asked again after six months, as the French regulator recommends.
COOKIE_MAX_AGE = 182 * 24 * 60 * 60
BROWSER_ID_BYTES = 16


@dataclass(frozen=True, slots=True)
class StoredChoice:
    """The cookie's content: the choice (without the GPC signal) and the browser id."""

    choice: Choice
    browser_id: str = ""


NOTHING_STORED = StoredChoice(UNDECIDED)


def browser_id_new() -> str:
    return secrets.token_urlsafe(BROWSER_ID_BYTES)


def cookie_value(*, categories: list[str], version: str, browser_id: str) -> str:
    """Return the signed cookie value for a choice."""
    return signing.dumps({"v": version, "c": categories, "b": browser_id}, salt=SALT)


def cookie_parse(value: str) -> StoredChoice:
    """Read a cookie value; anything forged, expired or malformed reads as undecided."""
    if not value:
        return NOTHING_STORED
    try:
        payload: Any = signing.loads(value, salt=SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return NOTHING_STORED
    if not isinstance(payload, dict):
        return NOTHING_STORED
    version, categories, browser_id = payload.get("v"), payload.get("c"), payload.get("b")
    if not (
        isinstance(version, str)
        and isinstance(browser_id, str)
        and isinstance(categories, list)
        and all(isinstance(category, str) for category in categories)
    ):
        return NOTHING_STORED
    try:
        allowed = categories_clean(categories)
    except UnknownCategory:
        return NOTHING_STORED
    choice = Choice(categories=frozenset(allowed), version=version, decided=True)
    return StoredChoice(choice, browser_id)


def cookie_read(request: HttpRequest) -> StoredChoice:
    return cookie_parse(request.COOKIES.get(COOKIE_NAME, ""))


def cookie_write(
    response: HttpResponseBase, *, categories: list[str], version: str, browser_id: str
) -> None:
    """Set the consent cookie: first party, Lax, HttpOnly (no script needs to read it)."""
    response.set_cookie(
        COOKIE_NAME,
        cookie_value(categories=categories, version=version, browser_id=browser_id),
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
