"""What every router of the JSON API shares.

- ``PlatformAPI``: the ``NinjaAPI`` every router is added to. Whatever the router, its
  operations get the body guard (413, 415) and the unsafe-text check (422) of ``guards``,
  and their OpenAPI entries the answers the platform gives (``openapi``).
- The shapes of error answers (``Problem``, ``InvalidInput``) and the response maps
  routers reuse (``BAD_INPUT``, ``NOT_FOUND``, ``DENIED``).
- ``IdempotencyKey`` and ``idempotent_response`` for operations that must not act twice.
- ``MultiLineText``: the annotation of an input field that takes several lines.
- ``RowId``: the annotation of a row's id in a path (1 to 2**63 - 1, documented).
- ``one_of``: a field whose values the OpenAPI document lists (``enum``).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI, Path
from ninja.openapi.schema import OpenAPISchema

from recommerce.platform.api.guards import body_guard, refuse_unsafe_values
from recommerce.platform.api.idempotent import (
    IDEMPOTENCY_HEADER,
    IdempotencyKey,
    idempotent_response,
)
from recommerce.platform.api.openapi import complete_answers
from recommerce.platform.api.shapes import (
    BAD_INPUT,
    DENIED,
    NOT_FOUND,
    FieldError,
    InvalidInput,
    Problem,
    one_of,
)
from recommerce.platform.text import MultiLineText

__all__ = [
    "BAD_INPUT",
    "DENIED",
    "IDEMPOTENCY_HEADER",
    "NOT_FOUND",
    "FieldError",
    "IdempotencyKey",
    "InvalidInput",
    "MultiLineText",
    "PlatformAPI",
    "Problem",
    "RowId",
    "idempotent_response",
    "no_such_url",
    "one_of",
]

# A row's id in a path: out of the database's range it is invalid input (422), not a 500.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class PlatformAPI(NinjaAPI):
    """A ``NinjaAPI`` whose every operation is guarded and fully documented."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # API-wide decorators: every router added later inherits them when it is bound.
        self.add_decorator(body_guard(self), mode="view")
        self.add_decorator(refuse_unsafe_values, mode="operation")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        complete_answers(schema)
        return schema


def no_such_url(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Answer a URL under the API that matches no operation with a JSON 404 problem."""
    return JsonResponse({"detail": "No such URL in this API."}, status=404)
