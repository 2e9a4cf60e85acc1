"""Idempotent operations: a retried call replays the first answer instead of acting twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from ninja import Status
from ninja.errors import HttpError, ValidationError
from ninja.params import functions as param_functions

from recommerce.platform.idempotency import (
    IdempotencyInProgress,
    IdempotencyMismatch,
    idempotent_call,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"

# An ``Idempotency-Key`` header parameter; operations that spend money require it.
IdempotencyKey = Annotated[str, param_functions.Header(alias=IDEMPOTENCY_HEADER)]


def idempotent_response(
    *, actor: str, key: str, operation: str, body: Any, call: Callable[[], tuple[int, Any]]
) -> Status[Any]:
    """Answer ``call()``, replaying the stored answer when ``key`` was used before.

    Without a key the call simply runs. A key reused with another body answers 422 (on the
    header, like any other invalid parameter); a key whose first call is still running
    answers 409.
    """
    if not key:
        return Status(*call())
    try:
        status, payload = idempotent_call(
            actor=actor, key=key, operation=operation, body=body, call=call
        )
    except IdempotencyMismatch as error:
        raise ValidationError(
            [{"loc": ["header", IDEMPOTENCY_HEADER], "msg": str(error)}]
        ) from error
    except IdempotencyInProgress as error:
        raise HttpError(409, str(error)) from error
    return Status(status, payload)
