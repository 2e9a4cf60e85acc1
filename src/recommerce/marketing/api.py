"""Marketing endpoints for the app: a person's marketing preferences, and newsletter sign-up.

The rules are the services': a sign-up is confirmed by the emailed link before anything is
sent; switching a channel off unsubscribes from it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django_countries import countries
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from recommerce.accounts.api_auth import PERSON
from recommerce.accounts.models import User
from recommerce.marketing import selectors, services
from recommerce.marketing.models import NewsletterSubscription, Topic
from recommerce.platform.api import BAD_INPUT, DENIED, InvalidInput, Problem

router = Router(tags=["marketing"], auth=PERSON)


class PreferencesOut(Schema):
    email: bool
    sms: bool
    topics: list[Topic]
    limited: bool = Field(
        description="An objection or restriction on direct marketing is in force: "
        "nothing is sent whatever these choices."
    )


class PreferencesIn(Schema):
    email: StrictBool
    sms: StrictBool
    topics: list[Topic]


class NewsletterIn(Schema):
    email: str = Field(max_length=254)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    topics: list[Topic] = Field(min_length=1)
    consent: StrictBool = Field(description="The person ticked the consent box; must be true")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _out(user: User) -> dict[str, Any]:
    view = selectors.preference_view(user=user)
    return {
        "email": view.email,
        "sms": view.sms,
        "topics": view.topics,
        "limited": bool(view.limit),
    }


@router.get("/me/marketing", response={200: PreferencesOut, **DENIED}, summary="My marketing")
def preferences_get(request: HttpRequest) -> dict[str, Any]:
    return _out(_user(request))


@router.put(
    "/me/marketing",
    response={200: PreferencesOut, **BAD_INPUT, **DENIED},
    summary="Choose channels and topics",
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    user = _user(request)
    services.marketing_preference_set(
        user=user,
        email=payload.email,
        sms=payload.sms,
        topics=[topic.value for topic in payload.topics],
    )
    return _out(user)


@router.post(
    "/marketing/newsletter",
    auth=None,
    # A body that is not JSON at all gets the framework's plain message, not field errors.
    response={202: Problem, 400: InvalidInput | Problem, 422: InvalidInput},
    summary="Sign up to the newsletter (confirmed by an emailed link)",
)
def newsletter_post(request: HttpRequest, payload: NewsletterIn) -> Status[dict[str, str]]:
    errors: dict[str, str] = {}
    if not payload.consent:
        errors["consent"] = "The person must agree to receive the newsletter."
    if payload.country.upper() not in countries:
        errors["country"] = "Give a country code (ISO 3166-1 alpha-2)."
    if errors:
        raise ValidationError(errors)
    user = request.user if request.user.is_authenticated else None
    services.newsletter_subscribe(
        email=_valid_email(payload.email),
        country=payload.country.upper(),
        topics=[topic.value for topic in payload.topics],
        source=NewsletterSubscription.Source.API,
        user=user if isinstance(user, User) else None,
    )
    return Status(
        202, {"detail": "If the address can receive the newsletter, a confirmation link is sent."}
    )


def _valid_email(value: str) -> str:
    try:
        validate_email(value.strip())
    except ValidationError as error:
        raise ValidationError({"email": "Enter a valid email address."}) from error
    return value
