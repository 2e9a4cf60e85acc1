"""My data-protection requests: follow them with their deadlines and steps (RIGHT-5), and
ask for a correction the profile cannot make (RIGHT-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.errors import HttpError

from recommerce.platform.api import DENIED, NOT_FOUND
from recommerce.platform.api_auth import REAUTHENTICATED, reauthentication_require
from recommerce.privacy import selectors
from recommerce.privacy.api.common import REFUSED, RequestOut, person, person_router, request_out
from recommerce.privacy.forms import RectificationForm
from recommerce.privacy.models import DataRequest
from recommerce.privacy.services.account import account_request_submit
from recommerce.privacy.services.requests import RequestError

router = person_router()
LIST_LIMIT = 100


class StepOut(Schema):
    action: str
    at: dt.datetime


class RequestDetailOut(RequestOut):
    steps: list[StepOut] = Field(description="What happened to the request, oldest first.")


class RectificationIn(Schema):
    details: str = Field(description="What is wrong, and what it should say.")


@router.get(
    "/me/privacy/requests",
    response={200: list[RequestOut], **DENIED},
    summary="My data-protection requests, newest first",
)
def request_list(request: HttpRequest) -> list[dict[str, Any]]:
    requests = selectors.data_request_list(user=person(request))[:LIST_LIMIT]
    return [request_out(data_request) for data_request in requests]


@router.get(
    "/me/privacy/requests/{reference}",
    response={200: RequestDetailOut, **NOT_FOUND, **DENIED},
    summary="One of my requests, with its deadlines and steps",
)
def request_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    data_request = selectors.data_request_of(user=person(request), reference=reference)
    if data_request is None:
        raise HttpError(404, "You have no request with this reference.")
    # The steps name what happened and when; staff notes and who acted stay with staff.
    events = data_request.events.all()
    steps = [{"action": event.action, "at": event.created_at} for event in events]
    return {**request_out(data_request), "steps": steps}


@router.post(
    "/me/privacy/rectifications",
    response={201: RequestOut, **REFUSED, **REAUTHENTICATED},
    summary="Ask for a correction of my data",
)
def rectification_create(request: HttpRequest, payload: RectificationIn) -> Status[dict[str, Any]]:
    """Ask for a correction the profile cannot make, e.g. the name on an invoice (RIGHT-2).

    Contact details and addresses are corrected directly (``PATCH /me``, the addresses).
    """
    reauthentication_require(request)
    form = RectificationForm(data={"details": payload.details})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        data_request = account_request_submit(
            user=person(request),
            kind=DataRequest.Kind.RECTIFICATION,
            details=form.cleaned_data["details"],
        )
    except RequestError as error:
        raise ValidationError(str(error)) from error
    return Status(201, request_out(data_request))
