"""Hardening 3.3: the OpenAPI document describes every answer an operation can give."""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from recommerce.api import api

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for route, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {route}", operation


def test_every_operation_documents_the_platform_answers(document):
    """Hardening 3.3: 413/415 everywhere; 400/422 with a body; 401 with auth; 404 by id."""
    missing = []
    for label, operation in _operations(document):
        codes = set(operation["responses"])
        expected = {413, 415}
        if "requestBody" in operation:
            expected |= {400, 422}
        if operation.get("parameters"):
            expected.add(422)
        if operation.get("security"):
            expected.add(401)
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add(404)
        if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
            expected.add(409)
        if expected - codes:
            missing.append((label, sorted(expected - codes)))
        for code, answer in operation["responses"].items():
            assert answer.get("description"), (label, code)
    assert missing == []


def _codes_in(func: Any, seen: set[str] | None = None) -> set[int]:
    """Return the status codes ``func`` (and the module's functions it calls) can answer."""
    seen = set() if seen is None else seen
    if func.__qualname__ in seen:
        return set()
    seen.add(func.__qualname__)
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    module = sys.modules[func.__module__]
    codes: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        first = node.args[0] if node.args else None
        if name in ("HttpError", "Status") and isinstance(first, ast.Constant):
            codes.add(int(first.value))
        called = getattr(module, name, None)
        if inspect.isfunction(called) and called.__module__ == func.__module__:
            codes |= _codes_in(called, seen)
        for imported in (getattr(module, name, None),):
            if (
                inspect.isfunction(imported)
                and imported.__module__.startswith("recommerce.")
                and (imported.__module__.rsplit(".", 1)[0] == func.__module__.rsplit(".", 1)[0])
            ):
                codes |= _codes_in(imported, seen)
    return codes


def test_the_codes_the_code_answers_are_documented(document):
    """Hardening 3.3: each HttpError/Status code an operation's code raises is documented."""
    by_id = {op["operationId"]: op for _, op in _operations(document)}
    undocumented = []
    checked = 0
    for router in (r for _, r in api._routers):
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                view = inspect.unwrap(operation.view_func)
                documented = set(by_id[api.get_openapi_operation_id(operation)]["responses"])
                checked += 1
                for code in sorted(_codes_in(view) - documented):
                    undocumented.append((view.__qualname__, code))
    assert checked >= 45
    assert undocumented == []


def _field(document: dict[str, Any], label: str, name: str) -> dict[str, Any]:
    method, route = label.split(" ", 1)
    operation = document["paths"][route][method.lower()]
    for parameter in operation.get("parameters", []):
        if parameter["name"] == name:
            return dict(parameter["schema"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    component = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return dict(component["properties"][name])


def test_closed_sets_list_their_values_from_the_code(document):
    """Hardening 3.3: a field taking one of a fixed set of values lists them (``enum``), so a
    client built from the document sends values the API takes."""
    from django.conf import settings

    from recommerce.accounts.models import CompanyMembership
    from recommerce.catalog.search import SORTS
    from recommerce.offers.grading import Grade
    from recommerce.privacy.purposes import BY_CODE

    expected = {
        ("GET /api/v1/products", "sort"): ["", *SORTS],
        ("GET /api/v1/seller/orders", "status"): [
            "",
            "new",
            "accepted",
            "shipped",
            "delivered",
            "cancelled",
        ],
        ("POST /api/v1/seller/offers", "grade"): list(Grade.values),
        ("POST /api/v1/seller/offers", "currency"): [settings.DEFAULT_CURRENCY],
        ("PATCH /api/v1/me", "language"): ["en", "fr", None],
        ("POST /api/v1/me/company/invitations", "role"): list(CompanyMembership.Role.values),
        ("DELETE /api/v1/me/privacy/limits/{purpose}", "purpose"): sorted(BY_CODE),
    }
    found = {key: _field(document, *key).get("enum") for key in expected}
    assert {k: sorted(v, key=str) if k[1] == "purpose" else v for k, v in found.items()} == {
        k: sorted(v, key=str) if k[1] == "purpose" else v for k, v in expected.items()
    }
