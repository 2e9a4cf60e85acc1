"""Restrict or object to a use of my data, or allow it again (CONSENT-7).

The rule is the service's: direct marketing always stops on objection; fraud prevention,
account security, the contract and the law cannot be stopped this way (400, with why).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Schema, Status
from ninja.errors import HttpError
from pydantic import WithJsonSchema, field_validator

from recommerce.platform.api import DENIED, NOT_FOUND, one_of
from recommerce.privacy.api.common import REFUSED, person, person_router
from recommerce.privacy.models import ProcessingLimit
from recommerce.privacy.purposes import ALL, BY_CODE
from recommerce.privacy.selectors import processing_allowed, processing_limit_list
from recommerce.privacy.services.limits import (
    LimitRefused,
    limitable,
    processing_limit_lift,
    processing_limit_set,
)

router = person_router()
PURPOSE_CODES: list[Any] = [purpose.code for purpose in ALL]


class LimitOut(Schema):
    purpose: str
    kind: str = one_of(ProcessingLimit.Kind)
    kind_label: str
    reason: str
    created_at: dt.datetime


class PurposeOut(Schema):
    code: str
    description: str
    family: str
    legal_basis: str
    limitable: bool = Field(description="Whether I can restrict or object to this use.")
    limit: LimitOut | None = Field(description="My restriction or objection in force.")


# A purpose's code in a path; one no use of data declares answers 404, as one not limited.
PurposeCode = Annotated[str, Path(), WithJsonSchema({"type": "string", "enum": PURPOSE_CODES})]


class LimitIn(Schema):
    purpose: str = one_of(PURPOSE_CODES)
    kind: Literal["restriction", "objection"] = Field(
        description="objection stops this use; restriction pauses it while a question "
        "about my data is settled."
    )
    reason: str = Field("", max_length=2000)

    @field_validator("purpose")
    @classmethod
    def _declared(cls, code: str) -> str:
        if code not in BY_CODE:
            raise ValueError("Choose a listed use of your data.")
        return code


def _limit_out(limit: ProcessingLimit) -> dict[str, Any]:
    return {
        "purpose": limit.purpose,
        "kind": limit.kind,
        "kind_label": limit.get_kind_display(),
        "reason": limit.reason,
        "created_at": limit.created_at,
    }


@router.get(
    "/me/privacy/limits",
    response={200: list[PurposeOut], **DENIED},
    summary="The uses of my data, and my restrictions and objections",
)
def limit_list(request: HttpRequest) -> list[dict[str, Any]]:
    in_force = {limit.purpose: limit for limit in processing_limit_list(user=person(request))}
    return [
        {
            "code": purpose.code,
            "description": purpose.description,
            "family": purpose.family.value,
            "legal_basis": purpose.basis.value,
            "limitable": limitable(purpose),
            "limit": _limit_out(in_force[purpose.code]) if purpose.code in in_force else None,
        }
        for purpose in ALL
    ]


@router.post(
    "/me/privacy/limits",
    response={200: LimitOut, 201: LimitOut, **REFUSED, **DENIED},
    summary="Restrict or object to a use of my data",
)
def limit_create(request: HttpRequest, payload: LimitIn) -> Status[dict[str, Any]]:
    """Stop one use of my data for me (201); 200 when a limit on it is already in force."""
    user = person(request)
    purpose = BY_CODE[payload.purpose]
    already = not processing_allowed(user=user, purpose=purpose)
    try:
        limit = processing_limit_set(
            user=user, purpose=purpose, kind=payload.kind, reason=payload.reason
        )
    except LimitRefused as error:
        raise ValidationError({"purpose": [str(error)]}) from error
    return Status(200 if already else 201, _limit_out(limit))


@router.delete(
    "/me/privacy/limits/{purpose}",
    response={204: None, **NOT_FOUND, **DENIED},
    summary="Allow a use of my data again",
)
def limit_lift(
    request: HttpRequest,
    purpose: Annotated[str, Path(), WithJsonSchema({"type": "string", "enum": PURPOSE_CODES})],
) -> Status[None]:
    declared = BY_CODE.get(purpose)
    if declared is None or not processing_limit_lift(user=person(request), purpose=declared):
        raise HttpError(404, "No restriction or objection of this use is in force for you.")
    return Status(204, None)
