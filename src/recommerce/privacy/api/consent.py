"""Cookie and tracking choices for the app (CONSENT-1): read the choice in force, save one.

Callers may be anonymous (the choice travels in the ``rc_consent`` cookie), signed in
through allauth's app API (``X-Session-Token``), or a browser signed in with its session
cookie (then the CSRF token is required to save).
"""

from __future__ import annotations

from typing import Any

from allauth.headless.contrib.ninja.security import x_session_token_auth
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.utils import check_csrf

from recommerce.platform.api import DENIED, InvalidInput, Problem
from recommerce.privacy.consent import (
    Choice,
    UnknownCategory,
    categories_clean,
    consent_of,
)
from recommerce.privacy.consent.selectors import consent_record_latest
from recommerce.privacy.consent.web import (
    choice_json,
    choice_save,
    cookie_store,
    notice_version_in_force,
)
from recommerce.privacy.models import ConsentRecord

router = Router(tags=["privacy"])


class ConsentIn(Schema):
    categories: list[str]


class ConsentOut(Schema):
    decided: bool
    categories: list[str]
    notice_version: str
    current_notice_version: str
    ask_again: bool
    gpc: bool
    allowed: dict[str, bool]


def _caller(request: HttpRequest) -> tuple[Any | None, bool]:
    """Return the signed-in caller (or None) and whether the session cookie says so."""
    if request.headers.get("X-Session-Token"):
        # allauth's own check (its public interface) sets request.user when the token holds.
        found = x_session_token_auth(request)
        if found is None:
            raise HttpError(401, "This session token is not valid any more; sign in again.")
        return found, False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, True
    return None, False


def _answer(choice: Choice) -> dict[str, Any]:
    current = notice_version_in_force()
    return {
        **choice_json(choice),
        "current_notice_version": current,
        "ask_again": not choice.decided or choice.version != current,
    }


@router.get("/consent", response={200: ConsentOut, **DENIED}, summary="My cookie choices")
def consent_get(request: HttpRequest) -> dict[str, Any]:
    """Return the choice in force: a signed-in person's latest record, else the cookie's."""
    user, _ = _caller(request)
    choice = consent_of(request)
    latest = consent_record_latest(user=user) if user is not None else None
    if latest is not None:
        choice = Choice(
            categories=frozenset(latest.categories),
            version=latest.notice_version,
            decided=True,
            gpc=choice.gpc,
        )
    return _answer(choice)


@router.put(
    "/consent",
    # 400 is a body that is not JSON at all; 422 a body with the wrong content.
    response={200: ConsentOut, 400: Problem, 422: InvalidInput, **DENIED},
    summary="Save my cookie choices",
)
def consent_put(request: HttpRequest, response: HttpResponse, payload: ConsentIn) -> dict[str, Any]:
    """Save the categories allowed (necessary ones need no consent and may be left out)."""
    user, by_cookie = _caller(request)
    if by_cookie and check_csrf(request) is not None:
        raise HttpError(403, "The CSRF token is missing or wrong.")
    try:
        categories = categories_clean(payload.categories)
    except UnknownCategory as error:
        raise ValidationError(
            [{"loc": ["body", "payload", "categories"], "msg": str(error)}]
        ) from error
    saved = choice_save(request, categories=categories, method=ConsentRecord.Method.API, user=user)
    cookie_store(response, saved)
    return _answer(saved.choice)
