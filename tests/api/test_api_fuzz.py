"""Generated requests against every operation of the OpenAPI document, in every way to call it.

Hypothesis draws parameters from the published schema (and beyond it, for negative cases);
each operation is called anonymously, with a browser's session cookie (and its CSRF
token), with an app's ``X-Session-Token`` and with a seller's API key
(``Authorization: Bearer rk_…``). Every answer must be documented (status, content type,
body schema) and never a server error.

Sampled by default (``FUZZ_EXAMPLES`` examples per operation and mode, 8 unless told);
``FUZZ_FULL=1`` runs 100. The counts (operations x modes, cases, statuses seen) are
printed at the end of the run (``tests/api/conftest.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth, negative_data_rejection, positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation

from recommerce.accounts.models import Address, SellerApiKey, SellerMembership
from recommerce.accounts.services.api_keys import seller_api_key_issue
from recommerce.catalog.services import search_terms_rebuild
from recommerce.wsgi import application
from tests import factories as f
from tests.accounts.conftest import PASSWORD, make_user
from tests.api.fuzz_report import REPORT

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

FULL = os.environ.get("FUZZ_FULL") == "1"
EXAMPLES = 100 if FULL else int(os.environ.get("FUZZ_EXAMPLES", "8"))
MODES = ("anonymous", "cookie", "token", "seller_key")


@dataclass
class Credentials:
    headers: dict[str, str]
    cookies: dict[str, str]


@contextmanager
def _test_connection_kept() -> Iterator[None]:
    """Keep the test's database connection open across a generated request.

    It goes through the WSGI application as a server calls it, so the request's start and
    end close old connections; inside the test's transaction that closes the connection
    itself (on PostgreSQL; SQLite's in-memory database ignores it). Django's test client
    turns the same signal off around its own requests.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _quick_hashes(settings):
    """Hash the test person's password quickly: the fuzzer measures the API, not Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalog(db):
    variant = f.variant(f.device_model("iPhone 13"), storage_gb=128)
    f.offer(variant, grade="excellent", price_minor=45_000)
    f.offer(variant, grade="good", price_minor=40_000)
    search_terms_rebuild()
    return variant


def _person() -> Client:
    user = make_user("fuzz@example.com", full_name="Ada Lovelace", country="FR")
    Address.objects.create(
        user=user,
        kind=Address.Kind.DELIVERY,
        full_name="Ada Lovelace",
        line1="12 Rue des Lilas",
        postal_code="75011",
        city="Paris",
        country="FR",
        is_default=True,
    )
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _credentials(mode: str) -> Credentials:
    if mode == "anonymous":
        return Credentials(headers={}, cookies={})
    if mode == "seller_key":
        seller = f.seller("Fuzz Refurb")
        owner = make_user("owner@example.com")
        SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
        issued = seller_api_key_issue(
            seller=seller, actor=owner, name="fuzz", scopes=list(SellerApiKey.Scope.values)
        )
        return Credentials(headers={"Authorization": f"Bearer {issued.secret}"}, cookies={})
    client = _person()
    if mode == "cookie":
        csrf = get_random_string(32)
        return Credentials(
            headers={"X-CSRFToken": csrf},
            cookies={"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        )
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": "fuzz@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return Credentials(
        headers={"X-Session-Token": response.json()["meta"]["session_token"]}, cookies={}
    )


@pytest.fixture(params=MODES)
def credentials(request, catalog) -> tuple[str, Credentials]:
    return request.param, _credentials(request.param)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors_and_schema_conformance(case, credentials):
    """Hardening 3.3: zero 5xx, zero undocumented statuses, zero schema violations.

    Every operation x {anonymous, session cookie, X-Session-Token, seller API key}.
    """
    mode, creds = credentials
    meta = case.meta
    headers = dict(case.headers or {})
    cookies: dict[str, str] = {}
    # A case generated to break its headers (or cookies) is sent as generated: adding this
    # mode's credentials would put back the very header the case removed or garbled
    # (``Authorization``) and turn a request that must be refused into a valid one.
    if meta is None or not meta.is_negative_at(ParameterLocation.HEADER):
        headers.update(creds.headers)
    if meta is None or not meta.is_negative_at(ParameterLocation.COOKIE):
        cookies = creds.cookies
    # Filters are documented as free text (slugs, amounts) and checked against the catalog,
    # and rules refuse well-formed input (an unknown offer, a checkout already paid): a
    # schema cannot say which values exist, so only that check is left out.
    with _test_connection_kept():
        response = case.call(headers=headers, cookies=cookies)
    REPORT.record(case.operation.label, mode, response.status_code)
    excluded = [positive_data_acceptance]
    if response.status_code == 413:
        # A body past API_MAX_BODY_BYTES (thousands of generated array items) is refused
        # whole, before it is read: a refusal the check does not count among its statuses.
        excluded.append(negative_data_rejection)
    if mode != "anonymous":
        # The check replays the call with broken credentials but keeps the ones this test
        # adds itself (and a person may use either the token or the cookie), so it would
        # flag a rightful 200. Broken credentials alone are checked in the anonymous mode.
        excluded.append(ignored_auth)
    case.validate_response(response, excluded_checks=excluded)
