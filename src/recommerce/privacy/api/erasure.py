"""Delete my account (RIGHT-3): what stands in the way, and the erasure itself.

The same rules as the web page: the confirmation, a re-authentication minutes ago, the
blockers (an open order, an open dispute) that postpone the erasure with their reasons,
and one open erasure request at a time. Once erased, the session that asked is ended.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool

from recommerce.platform.api import DENIED
from recommerce.platform.api_auth import (
    REAUTHENTICATED,
    person_sign_out,
    reauthentication_require,
)
from recommerce.privacy import selectors
from recommerce.privacy.api.common import (
    CONFLICT,
    REFUSED,
    RequestOut,
    person,
    person_router,
    request_out,
)
from recommerce.privacy.forms import ConfirmErasureForm
from recommerce.privacy.models import DataRequest
from recommerce.privacy.services.account import ErasureAlreadyAsked, account_erasure_request
from recommerce.privacy.services.erasure import erasure_blockers
from recommerce.privacy.services.requests import RequestError

router = person_router()

ANSWERS = {
    "erased": "Your account and your data are erased. Records the law makes us keep are "
    "kept apart from any account until their legal period ends.",
    "postponed": "Your account will be erased as soon as what is listed is settled; your "
    "request stays open until then.",
    "failed": "Your data could not be erased yet. Your request is recorded and the erasure "
    "will be tried again; we will email you when it is done.",
}


class ErasureCheckOut(Schema):
    blockers: list[str] = Field(description="Why the account cannot be erased right now.")
    open_request: RequestOut | None = Field(description="The erasure request already open.")


class ErasureIn(Schema):
    confirm: StrictBool = Field(
        description="true: I understand that my account and my data will be erased, and "
        "that this cannot be undone."
    )


class ErasureOut(Schema):
    state: Literal["erased", "postponed", "failed"]
    detail: str
    reference: str
    blockers: list[str]


@router.get(
    "/me/privacy/erasure",
    response={200: ErasureCheckOut, **DENIED},
    summary="What stands in the way of erasing my account",
)
def erasure_check(request: HttpRequest) -> dict[str, Any]:
    user = person(request)
    open_request = selectors.data_request_open(user=user, kind=DataRequest.Kind.ERASURE)
    return {
        "blockers": erasure_blockers(user=user),
        "open_request": request_out(open_request) if open_request is not None else None,
    }


@router.post(
    "/me/privacy/erasure",
    response={200: ErasureOut, 202: ErasureOut, **REFUSED, **REAUTHENTICATED, **CONFLICT},
    summary="Erase my account and my data",
)
def erasure_create(request: HttpRequest, payload: ErasureIn) -> Status[dict[str, Any]]:
    """Erase the account at once (200, and the session ends), or as soon as it can (202).

    202 with ``postponed`` lists the blockers: nothing is erased until they are settled,
    and the request stays open. 202 with ``failed``: recorded, tried again. 400 without
    the confirmation; 409 while an erasure request is open.
    """
    reauthentication_require(request)
    form = ConfirmErasureForm(data={"confirm": payload.confirm})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    user = person(request)
    try:
        outcome = account_erasure_request(user=user)
    except ErasureAlreadyAsked as already:
        raise HttpError(409, str(already)) from already
    except RequestError as error:
        raise ValidationError(str(error)) from error
    answer = {
        "state": outcome.state,
        "detail": ANSWERS[outcome.state],
        "reference": outcome.request.reference,
        "blockers": outcome.blockers,
    }
    if outcome.state == "erased":
        person_sign_out(request)
        return Status(200, answer)
    return Status(202, answer)
