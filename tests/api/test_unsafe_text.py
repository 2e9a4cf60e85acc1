"""Hardening 3.1: every string the API takes refuses control and invisible formatting characters.

The walk reads the published OpenAPI document: for each operation it builds a request that
is valid in every other respect, then puts a right-to-left override into one string
(path, query, header or body, nested ones too) at a time. The answer must be a 422 whose
``detail`` names that field, and nothing may change. The same walk puts a number no
database column holds into each integer: a 422 naming it, never a server error.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from recommerce.accounts.models import SellerApiKey, SellerMembership
from recommerce.accounts.services.api_keys import seller_api_key_issue
from recommerce.api import api
from tests import factories as f
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
RLO = "\u202e"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
Path = tuple[str | int, ...]


@pytest.fixture(autouse=True)
def _quick_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _example(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """Return a value valid for ``schema``, with every optional property filled in."""
    schema = _resolve(schema, document)
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, document).get("type") != "null"]
            return _example(options[0], document)
    kind = schema.get("type")
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "array":
        return [_example(schema.get("items", {"type": "string"}), document)]
    if kind == "object":
        value = {
            name: _example(sub, document) for name, sub in schema.get("properties", {}).items()
        }
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            value["1"] = _example(extra, document)
        return value
    return "x"


def _bad(schema: dict[str, Any]) -> str:
    """Return a refused string that keeps the field's length limits."""
    size = max(2, schema.get("minLength", 1))
    return (RLO + "x" * size)[: schema.get("maxLength", size + 1)]


def _slots(
    schema: dict[str, Any], document: dict[str, Any], kind: str, path: Path = ()
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield (path, schema) of every free-text string (or every integer, for ``kind``
    "integer") inside the example of ``schema``."""
    schema = _resolve(schema, document)
    if "enum" in schema:
        return
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, document).get("type") != "null"]
            yield from _slots(options[0], document, kind, path)
            return
    found = schema.get("type")
    if found == kind and (kind != "string" or schema.get("format") is None):
        yield path, schema
    elif found == "array":
        yield from _slots(schema.get("items", {}), document, kind, (*path, 0))
    elif found == "object":
        for name, sub in schema.get("properties", {}).items():
            yield from _slots(sub, document, kind, (*path, name))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield from _slots(extra, document, kind, (*path, "1"))


def _too_big(schema: dict[str, Any]) -> int:
    """Return an integer no database column holds (PostgreSQL bigint, SQLite INTEGER)."""
    return 2**64


def _set(value: Any, path: Path, new: Any) -> Any:
    value = copy.deepcopy(value)
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return value


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for route, item in document["paths"].items():
        for method, operation in item.items():
            yield method, route, operation


def _cases(
    document: dict[str, Any], kind: str = "string"
) -> Iterator[tuple[str, str, dict[str, Any], str, Path]]:
    """Yield (method, route, operation, where, path) for each slot of each operation."""
    for method, route, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            for path, _ in _slots(parameter["schema"], document, kind):
                yield method, route, operation, parameter["in"], (parameter["name"], *path)
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            for path, _ in _slots(body["schema"], document, kind):
                yield method, route, operation, "body", path
        form = _form_schema(operation, document)
        for name, sub in form.get("properties", {}).items():
            for path, _ in _slots(sub, document, kind):
                if not path:  # the form's own fields; files are read as files
                    yield method, route, operation, "form", (name,)


def _form_schema(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    return _resolve(content.get("multipart/form-data", {}).get("schema", {}), document)


def _is_file(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "binary" or schema.get("items", {}).get("format") == "binary"


def _form(operation: dict[str, Any], document: dict[str, Any], bad: dict[str, Any]) -> bytes:
    """Return a multipart body valid for the operation (a PNG for each file field), with
    ``bad`` values in its place."""
    png = SimpleUploadedFile("x.png", PNG, content_type="image/png")
    data: dict[str, Any] = {}
    for name, sub in _form_schema(operation, document).get("properties", {}).items():
        sub = _resolve(sub, document)
        data[name] = png if _is_file(sub) else bad.get(name, _example(sub, document))
    return encode_multipart(BOUNDARY, data)


def _callers() -> dict[str, dict[str, str]]:
    """Return the headers of a seller's API key and of a person's session token."""
    if True:
        seller = f.seller("Guarded Refurb")
        owner = make_user("owner-guard@example.com")
        SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
        issued = seller_api_key_issue(
            seller=seller, actor=owner, name="guard", scopes=list(SellerApiKey.Scope.values)
        )
        key = {"Authorization": f"Bearer {issued.secret}"}
    make_user("guard@example.com", full_name="Ada Lovelace")
    response = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": "guard@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    return {"key": key, "token": {"X-Session-Token": response.json()["meta"]["session_token"]}}


def _caller(security: list[dict[str, Any]], callers: dict[str, dict[str, str]]) -> dict[str, str]:
    schemes = {name for alternative in security for name in alternative}
    if not schemes:
        return {}
    return callers["key" if any("SellerKey" in name for name in schemes) else "token"]


def _request(
    document: dict[str, Any],
    route: str,
    operation: dict[str, Any],
    where: str,
    path: Path,
    kind: str = "string",
) -> tuple[str, dict[str, str], bytes | None, str]:
    """Return the URL, headers, body and the expected ``loc`` prefix as text."""
    bad = _bad if kind == "string" else _too_big
    url = route
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        value = _example(parameter["schema"], document)
        name = parameter["name"]
        if where == parameter["in"] and path[0] == name:
            slot = dict(_slots(parameter["schema"], document, kind))[path[1:]]
            value = _set(value, path[1:], bad(slot)) if path[1:] else bad(slot)
        if parameter["in"] == "path":
            url = url.replace("{" + name + "}", quote(str(value), safe=""))
        elif parameter["in"] == "query":
            query[name] = value
        elif parameter["in"] == "header":
            headers[name] = str(value)
    if query:
        url += "?" + urlencode(query, doseq=True)
    body = None
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content:
        value = _example(content["schema"], document)
        if where == "body":
            slot = dict(_slots(content["schema"], document, kind))[path]
            value = _set(value, path, bad(slot))
        body = json.dumps(value).encode()
    return url, headers, body, where


def _walk(document: dict[str, Any], kind: str, message: str) -> tuple[int, list[Any]]:
    """Send each slot of ``kind`` its bad value, one at a time; return how many were sent
    and those not answered by a 422 naming the slot with ``message`` in its text."""
    cases = list(_cases(document, kind))
    failures = []
    callers = _callers()
    for method, route, operation, where, path in cases:
        caller = _caller(operation.get("security", []), callers)
        url, headers, body, _ = _request(document, route, operation, where, path, kind)
        content_type = "application/json"
        if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
            # An upload reads a multipart form, valid but for the slot under test.
            schema = _form_schema(operation, document).get("properties", {}).get(path[0], {})
            bad = {path[0]: (_bad if kind == "string" else _too_big)(schema)}
            body = _form(operation, document, bad if where == "form" else {})
            content_type = MULTIPART_CONTENT
        response = Client().generic(
            method.upper(),
            url,
            data=body or b"",
            content_type=content_type,
            headers={**headers, **caller},
        )
        detail = response.json().get("detail") if response.status_code == 422 else None
        named = [
            e
            for e in detail or []
            if message in e["msg"]
            and [str(step) for step in e["loc"][-len(path) :]] == [str(step) for step in path]
        ]
        if not named:
            failures.append((method.upper(), route, where, path, response.status_code, detail))
    return len(cases), failures


def test_every_api_string_refuses_a_bidi_override(document):
    """Hardening 3.1: each string of each operation, one at a time, answers 422 naming it."""
    sent, failures = _walk(document, "string", "U+202E")
    assert sent > 40  # the walk reaches the API's strings, not an empty document
    assert failures == []


def test_every_api_integer_refuses_a_number_no_column_holds(document):
    """Hardening 3.3: ``GET /offers?variant=2**64`` was a server error on SQLite (and on
    PostgreSQL an out-of-range bigint). Each integer of each operation, one at a time,
    answers 422 naming it."""
    sent, failures = _walk(document, "integer", "")
    assert sent > 10
    assert failures == []


def test_p_the_profile_keeps_its_name_when_a_nul_or_override_is_sent(client):
    """Hardening 3.1: ``PATCH /me`` with NUL or RLO answers 422 on full_name; nothing saved."""
    user = make_user("ada@example.com", full_name="Ada Lovelace")
    client.force_login(user)
    for name in ("Ev\u202eil\u0000Name", "Ev\u202eilName", "Eve\u0000"):
        response = client.patch("/api/v1/me", {"full_name": name}, content_type="application/json")
        assert response.status_code == 422, response.content
        assert response.json()["detail"][0]["loc"] == ["body", "payload", "full_name"]
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"


def test_an_address_with_controls_is_refused_and_not_created(client):
    """Hardening 3.1: ``line1: "+\\u0000\\u009e"`` answers 422 naming line1; no address."""
    user = make_user("ada@example.com", full_name="Ada Lovelace")
    client.force_login(user)
    response = client.post(
        "/api/v1/me/addresses",
        {
            "kind": "delivery",
            "full_name": "Ada Lovelace",
            "line1": "+\u0000\u009e",
            "postal_code": "75011",
            "city": "Paris",
            "country": "FR",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "payload", "line1"]]
    assert "U+0000" in response.json()["detail"][0]["msg"]
    assert not user.addresses.exists()


def test_a_multi_line_field_keeps_its_line_breaks_and_a_single_line_one_refuses_them(client):
    """Hardening 3.1: the seller's description takes lines; its city does not."""
    owner = make_user("owner@example.com")
    client.force_login(owner)
    started = client.post(
        "/api/v1/me/seller",
        {"name": "Lines Refurb", "legal_name": "Lines Refurb SAS", "country": "FR"},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    seller = SellerMembership.objects.get(user=owner).seller
    response = client.patch(
        "/api/v1/me/seller",
        {"description": "Refurbished in Lyon.\nTwo-year warranty."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    seller.refresh_from_db()
    assert seller.description == "Refurbished in Lyon.\nTwo-year warranty."
    response = client.patch(
        "/api/v1/me/seller", {"city": "Lyon\nParis"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "city"]
