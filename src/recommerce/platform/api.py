"""What every router shares: the shapes of error answers, and idempotent operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from ninja import Schema, Status
from ninja.errors import HttpError
from ninja.params import functions as param_functions

from recommerce.platform.idempotency import (
    IdempotencyInProgress,
    IdempotencyMismatch,
    idempotent_call,
)


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class InvalidInput(Schema):
    """A 400 or 422 answer: which parameter was wrong and why."""

    detail: list[FieldError]


class Problem(Schema):
    """A 4xx answer that concerns the request as a whole (not found, missing parameter)."""

    detail: str


BAD_INPUT: dict[int, type[Schema]] = {400: InvalidInput, 422: InvalidInput}
NOT_FOUND: dict[int, type[Schema]] = {404: Problem}
DENIED: dict[int, type[Schema]] = {401: Problem, 403: Problem}


# An ``Idempotency-Key`` header parameter; operations that spend money require it.
IdempotencyKey = Annotated[str, param_functions.Header(alias="Idempotency-Key")]


def idempotent_response(
    *, actor: str, key: str, operation: str, body: Any, call: Callable[[], tuple[int, Any]]
) -> Status[Any]:
    """Answer ``call()``, replaying the stored answer when ``key`` was used before.

    Without a key the call simply runs. A key reused with another body answers 422; a
    key whose first call is still running answers 409.
    """
    if not key:
        return Status(*call())
    try:
        status, payload = idempotent_call(
            actor=actor, key=key, operation=operation, body=body, call=call
        )
    except IdempotencyMismatch as error:
        raise HttpError(422, str(error)) from error
    except IdempotencyInProgress as error:
        raise HttpError(409, str(error)) from error
    return Status(status, payload)
