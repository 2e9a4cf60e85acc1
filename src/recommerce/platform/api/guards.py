"""Checks every API operation runs, whichever router it comes from.

- ``body_guard`` (before authentication and parsing): a body larger than
  ``settings.API_MAX_BODY_BYTES`` answers 413; a non-empty body that is not
  ``application/json`` (UTF-8) answers 415; for an operation that reads a body, one that
  is not a JSON object answers 400. An empty body is fine whatever its type, so
  operations that take no body keep working for clients that always send a type. An
  operation that takes files (``File`` parameters) reads ``multipart/form-data`` instead,
  up to ``settings.API_MAX_UPLOAD_BYTES``; its files are checked by the operation.
- ``refuse_unsafe_values`` (after parsing): any string of any parameter (path, query,
  header, body, nested) holding a control or invisible formatting character answers 422
  naming the field (``recommerce.platform.text``); so does any integer a database column
  cannot hold (outside 64 bits).
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from ninja import NinjaAPI
from ninja.errors import ValidationError
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from recommerce.platform.text import (
    MULTILINE,
    unsafe_character,
    unsafe_text_in,
    unsafe_text_message,
)

JSON = "application/json"
MULTIPART = "multipart/form-data"
Loc = tuple[str | int, ...]


def body_refusal(
    request: HttpRequest, *, takes_body: bool = True, takes_files: bool = False
) -> tuple[int, str] | None:
    """Return the status and message refusing the request's body, or None to accept it.

    An operation that ``takes_body`` reads a JSON object: any other JSON value would be
    read as an object without fields (the defaults), so it is refused here. One that
    ``takes_files`` reads a multipart form, which Django streams to disk: its body is not
    read here.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if takes_files:
        upload_limit: int = settings.API_MAX_UPLOAD_BYTES
        if declared > upload_limit:
            return 413, f"The upload is larger than {upload_limit} bytes."
        if request.content_type != MULTIPART:
            sent = request.META.get("CONTENT_TYPE") or "none"
            return 415, f"Send the files as {MULTIPART}; this request's type is “{sent}”."
        return None
    limit: int = settings.API_MAX_BODY_BYTES
    too_big = (413, f"The request body is larger than {limit} bytes.")
    if declared > limit:
        return too_big
    try:
        body = request.body
    except RequestDataTooBig:
        return too_big
    if len(body) > limit:
        return too_big
    if not body:
        # Nothing to parse: never let a form parser (run by the CSRF check) try to read it.
        request.POST = QueryDict()
        return None
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if request.content_type != JSON or charset not in ("utf-8", "utf8"):
        sent = request.META.get("CONTENT_TYPE") or "none"
        return 415, f"Send the body as {JSON} (UTF-8); this request's type is “{sent}”."
    if takes_body:
        try:
            data = json.loads(body)
        except ValueError:
            return 400, "The body is not valid JSON (UTF-8)."
        if not isinstance(data, dict):
            return 400, "The body must be a JSON object."
    return None


def body_guard(api: NinjaAPI) -> Callable[[Callable[..., HttpResponse]], Callable[..., Any]]:
    """Return a view decorator answering ``body_refusal`` with a problem (``{"detail"}``)."""

    def decorate(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # Applied first, to the operation's own bound ``run``: its models say whether it
        # reads a body (an operation without one ignores any JSON sent).
        operation = getattr(run, "__self__", None)
        sources = {
            getattr(model, "__ninja_param_source__", None)
            for model in getattr(operation, "models", ())
        }
        takes_body = operation is None or "body" in sources
        takes_files = "file" in sources

        @functools.wraps(run)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refusal = body_refusal(request, takes_body=takes_body, takes_files=takes_files)
            if refusal is not None:
                status, message = refusal
                return api.create_response(request, {"detail": message}, status=status)
            return run(request, *args, **kwargs)

        return guarded

    return decorate


def _allows_lines(field: FieldInfo) -> bool:
    def marked(annotation: Any) -> bool:
        if MULTILINE in getattr(annotation, "__metadata__", ()):
            return True
        return any(marked(arg) for arg in typing.get_args(annotation))

    return MULTILINE in field.metadata or marked(field.annotation)


# What a database integer column holds (PostgreSQL bigint, SQLite INTEGER): a number outside
# it can match no row and must not reach a query, where it would fail as a server error.
INT64 = range(-(2**63), 2**63)
OUT_OF_RANGE = "This number is out of range."
Refusal = tuple[Loc, str, str]  # where, message, type


def _unsafe_in(value: Any, loc: Loc, *, multiline: bool = False) -> Iterator[Refusal]:
    """Yield a refusal for each unsafe string or out-of-range integer in ``value``."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            yield from _unsafe_in(
                getattr(value, name), (*loc, field.alias or name), multiline=_allows_lines(field)
            )
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _unsafe_in(item, (*loc, index), multiline=multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            key_char = unsafe_text_in(key)
            if key_char is not None:
                yield (*loc, str(key)), unsafe_text_message(key_char), "unsafe_text"
            yield from _unsafe_in(item, (*loc, str(key)), multiline=multiline)
    elif isinstance(value, str):
        char = unsafe_character(value, multiline=multiline)
        if char is not None:
            yield loc, unsafe_text_message(char), "unsafe_text"
    elif isinstance(value, int) and value not in INT64:
        yield loc, OUT_OF_RANGE, "out_of_range"


def _param_locations(view_func: Callable[..., Any]) -> dict[str, tuple[str, str]]:
    """Map each parameter of the operation to (its source, the name clients send)."""
    operation = getattr(view_func, "_ninja_operation", None)
    if operation is None:  # pragma: no cover - every operation's function carries it
        return {}
    return {
        param.name: (type(param.source)._param_source(), param.alias or param.name)
        for param in operation.signature.params
    }


def refuse_unsafe_values(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an operation so unsafe text or numbers in any of its parameters answer 422."""
    locations = _param_locations(view_func)

    @functools.wraps(view_func)
    def guarded(request: HttpRequest, **values: Any) -> Any:
        errors = []
        for name, value in values.items():
            source, alias = locations.get(name, ("body", name))
            # Body parameters keep their name in ``loc``; a schema read from the query,
            # path or headers is flattened into its fields, as the framework reports them.
            if source == "body":
                loc: Loc = (source, name)
            elif isinstance(value, BaseModel):
                loc = (source,)
            else:
                loc = (source, alias)
            for where, message, kind in _unsafe_in(value, loc):
                errors.append({"loc": list(where), "msg": message, "type": kind})
        if errors:
            raise ValidationError(errors)
        return view_func(request, **values)

    return guarded
