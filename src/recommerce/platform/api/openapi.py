"""Complete each operation's documented answers with those the platform itself gives.

An operation documents what its own code answers (``response={...}``); the answers that
come from the platform and the framework, the same for every router, are added here from
what the operation declares:

| answer | when | shape |
|---|---|---|
| 400 | the operation takes a body: the body is not a JSON object | ``Problem`` |
| 401 | the operation needs authentication | ``Problem`` |
| 403 | an unsafe method with the session cookie: CSRF token missing or wrong | ``Problem`` |
| 404 | the operation has path parameters: no such object, or no such URL | ``Problem`` |
| 409 | an ``Idempotency-Key`` header: the first call with the key is still running | ``Problem`` |
| 413 | every operation: the body is over ``API_MAX_BODY_BYTES`` | ``Problem`` |
| 415 | every operation: a non-empty body that is not ``application/json`` | ``Problem`` |
| 422 | it takes parameters: one is missing, malformed or holds unsafe text | ``InvalidInput`` |

A code the operation documents already keeps its description; its shape becomes a choice
of both when they differ.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

from recommerce.platform.api.idempotent import IDEMPOTENCY_HEADER
from recommerce.platform.api.shapes import FieldError, InvalidInput, Problem

REF = "#/components/schemas/{model}"
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})

DESCRIPTIONS = {
    400: "Bad request: the body is not valid JSON, or a rule refused the input.",
    401: "Not signed in: no valid session, session token or API key.",
    403: "Forbidden: the CSRF token is missing or wrong, or the caller may not do this.",
    404: "Not found: no such object for this caller, or no such URL.",
    409: "Conflict: the first call with this Idempotency-Key is still running.",
    413: "The request body is larger than the API accepts (API_MAX_BODY_BYTES).",
    415: "The request body is not application/json (UTF-8).",
    422: "A parameter is missing or invalid; ``detail`` names each (``loc``) and says why.",
}


def _ensure_component(schema: dict[str, Any], model: type[Schema]) -> dict[str, str]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if model.__name__ not in components:
        body = model.model_json_schema(ref_template=REF)
        for name, definition in body.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components[model.__name__] = body
    return {"$ref": REF.format(model=model.__name__)}


def _add_answer(operation: dict[str, Any], code: int, ref: dict[str, str]) -> None:
    responses = operation.setdefault("responses", {})
    # The framework keys answers by int; a string key (from openapi_extra) is the same code.
    if str(code) in responses:
        responses[code] = responses.pop(str(code))
    entry = responses.setdefault(code, {"description": DESCRIPTIONS[code]})
    content = entry.setdefault("content", {}).setdefault("application/json", {})
    current = content.get("schema")
    if current is None:
        content["schema"] = ref
        return
    options = current.get("anyOf", [current])
    if ref in options:
        return
    if "anyOf" in current:
        content["schema"] = {**current, "anyOf": [*options, ref]}
    else:
        content["schema"] = {"anyOf": [current, ref]}


def _cookie_schemes(schema: dict[str, Any]) -> set[str]:
    schemes = schema.get("components", {}).get("securitySchemes", {})
    return {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie"
    }


def complete_answers(schema: dict[str, Any]) -> None:
    """Add the platform's answers (see the module's table) to every operation."""
    problem = _ensure_component(schema, Problem)
    invalid = _ensure_component(schema, InvalidInput)
    _ensure_component(schema, FieldError)
    cookie = _cookie_schemes(schema)
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            security = operation.get("security", [])
            codes: dict[int, dict[str, str]] = {413: problem, 415: problem}
            if "requestBody" in operation:
                codes[400] = problem
            if parameters or "requestBody" in operation:
                codes[422] = invalid
            if security:
                codes[401] = problem
                if method in UNSAFE_METHODS and any(set(s) & cookie for s in security):
                    codes[403] = problem
            if any(p.get("in") == "path" for p in parameters):
                codes[404] = problem
            if any(p.get("in") == "header" and p["name"] == IDEMPOTENCY_HEADER for p in parameters):
                codes[409] = problem
            for code, ref in sorted(codes.items()):
                _add_answer(operation, code, ref)
