"""The shapes of the API's error answers, shared by every router."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from ninja import Field, Schema
from pydantic_core import PydanticUndefined


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


def one_of(
    choices: type[models.TextChoices] | Iterable[str | None],
    description: str | None = None,
    *,
    default: Any = PydanticUndefined,
) -> Any:
    """Describe a field holding one of ``choices`` (a model's choices, or values), listed in
    the field itself; the code behind it refuses any other value.

    Several models name their choices ``Kind`` or ``Status``; as shared components of the
    OpenAPI document they would overwrite one another, so the values are not a component.
    """
    values = choices.values if isinstance(choices, type) else choices
    return Field(default, json_schema_extra={"enum": list(values)}, description=description)
