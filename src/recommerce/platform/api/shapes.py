"""The shapes of the API's error answers, shared by every router."""

from __future__ import annotations

from ninja import Schema


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
