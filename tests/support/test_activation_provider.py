"""Activation-lock checks (SEC-3): the sandbox's rules and the HTTPS adapter, offline."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import requests
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from requests.adapters import BaseAdapter

from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.support.providers.activation import (
    ActivationLockChecker,
    HttpActivationLockService,
    LockStatus,
    SandboxActivationLock,
    get_activation_lock,
)

NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
ICLOUD_IMEI = "356938039123451"  # TAC 35…, serial part 912345
GOOGLE_IMEI = "861536039123451"  # TAC 86…, serial part 912345
CLEAR_IMEI = "356938030123450"  # serial part 012345


def reference(value: str) -> str:
    return "SBXAL-" + hashlib.sha256(value.encode()).hexdigest()[:12].upper()


# --- Sandbox --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("identifier", "locked", "kind", "compact"),
    [
        (ICLOUD_IMEI, True, "icloud", ICLOUD_IMEI),
        (GOOGLE_IMEI, True, "google_frp", GOOGLE_IMEI),
        (CLEAR_IMEI, False, "", CLEAR_IMEI),
        ("35 693803 912345 1", True, "icloud", ICLOUD_IMEI),
        ("35-693803-912345-1", True, "icloud", ICLOUD_IMEI),
        ("F2LXLOCK1234", True, "icloud", "F2LXLOCK1234"),
        ("f2lx-lock-1234", True, "icloud", "F2LXLOCK1234"),
        ("C02XK0ABJGH5", False, "", "C02XK0ABJGH5"),
        # Nine in the TAC, not in the serial part: clear.
        ("999999990123450", False, "", "999999990123450"),
    ],
)
def test_sandbox_rules(identifier: str, locked: bool, kind: str, compact: str) -> None:
    with time_machine.travel(NOW, tick=False):
        status = SandboxActivationLock().check(identifier=identifier)

    assert status == LockStatus(
        locked=locked, lock_kind=kind, reference=reference(compact), checked_at=NOW
    )


@pytest.mark.django_db
def test_release_clears_the_lock_for_later_checks_only_of_that_device() -> None:
    service = SandboxActivationLock()
    assert service.check(identifier=ICLOUD_IMEI).locked is True

    service.release(identifier="35 693803 912345 1")

    assert service.check(identifier=ICLOUD_IMEI).locked is False
    assert service.check(identifier=ICLOUD_IMEI).lock_kind == ""
    # Another instance (another process) sees the release: it lives in the shared cache.
    assert SandboxActivationLock().check(identifier=ICLOUD_IMEI).locked is False
    assert SandboxActivationLock().check(identifier=GOOGLE_IMEI).locked is True


@pytest.mark.django_db
def test_release_has_no_expiry() -> None:
    service = SandboxActivationLock()
    service.release(identifier=ICLOUD_IMEI)
    key = SandboxActivationLock._release_key(ICLOUD_IMEI)

    assert cache.get(key) is not None
    assert ICLOUD_IMEI not in key  # the identifier is not written in the key
    with time_machine.travel(NOW + dt.timedelta(days=400), tick=False):
        assert service.check(identifier=ICLOUD_IMEI).locked is False


@pytest.mark.django_db
def test_unavailable_sandbox_refuses_and_records_no_release() -> None:
    service = SandboxActivationLock(unavailable=True)

    with pytest.raises(ProviderUnavailable):
        service.check(identifier=ICLOUD_IMEI)
    with pytest.raises(ProviderUnavailable):
        service.release(identifier=ICLOUD_IMEI)
    assert cache.get(SandboxActivationLock._release_key(ICLOUD_IMEI)) is None


@pytest.mark.django_db
def test_empty_identifier_is_refused() -> None:
    with pytest.raises(ProviderError) as refused:
        SandboxActivationLock().check(identifier=" - ")
    assert refused.value.code == "invalid_identifier"


def test_configured_provider_is_the_sandbox() -> None:
    provider = get_activation_lock()

    assert isinstance(provider, SandboxActivationLock)
    assert isinstance(provider, ActivationLockChecker)


def test_options_reach_the_sandbox(settings: Any) -> None:
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "activation_lock": {
            "BACKEND": "recommerce.support.providers.activation.SandboxActivationLock",
            "OPTIONS": {"unavailable": True},
        },
    }

    with pytest.raises(ProviderUnavailable):
        get_activation_lock().check(identifier=ICLOUD_IMEI)


def test_a_provider_of_another_kind_is_refused(settings: Any) -> None:
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "activation_lock": "recommerce.orders.providers.carrier.SandboxCarrier",
    }

    with pytest.raises(ImproperlyConfigured, match="not an activation-lock checker"):
        get_activation_lock()


# --- The HTTPS adapter, with requests' transport replaced ---------------------------------


class FakeTransport(BaseAdapter):
    """Answer every request with one prepared response (or error), recording the requests."""

    def __init__(
        self,
        *,
        status: int = 200,
        body: Any = None,
        raw: bytes | None = None,
        error: Exception | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.status = status
        self.content = raw if raw is not None else json.dumps(body).encode()
        self.error = error
        self.headers = headers or {}
        self.sent: list[tuple[requests.PreparedRequest, Any]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request, kwargs.get("timeout")))
        if self.error is not None:
            raise self.error
        response = requests.Response()
        response.status_code = self.status
        response._content = self.content
        response.headers.update({"Content-Type": "application/json", **self.headers})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def http_service(transport: FakeTransport, **options: Any) -> HttpActivationLockService:
    service = HttpActivationLockService(
        base_url="https://imei.example.test/api/v2/", api_key="key_123", **options
    )
    service.session.mount("https://", transport)
    return service


@pytest.mark.parametrize(
    ("body", "locked", "kind"),
    [
        ({"id": "chk_1", "fmi_status": "ON", "lock": "icloud"}, True, "icloud"),
        ({"id": "chk_1", "fmi_status": "on", "lock": "FMI"}, True, "icloud"),
        ({"id": "chk_1", "fmi_status": "ON", "lock": "google_frp"}, True, "google_frp"),
        ({"id": "chk_1", "fmi_status": "ON", "lock": "frp"}, True, "google_frp"),
        ({"id": "chk_1", "fmi_status": "ON", "lock": "samsung"}, True, ""),
        ({"id": "chk_1", "fmi_status": "ON"}, True, ""),
        ({"id": "chk_1", "fmi_status": "OFF", "lock": "icloud"}, False, ""),
    ],
)
def test_http_answer_is_mapped(body: dict[str, Any], locked: bool, kind: str) -> None:
    transport = FakeTransport(body=body)

    with time_machine.travel(NOW, tick=False):
        status = http_service(transport).check(identifier="35 693803 912345 1")

    assert status == LockStatus(locked=locked, lock_kind=kind, reference="chk_1", checked_at=NOW)


def test_http_request_carries_the_key_and_a_timeout() -> None:
    transport = FakeTransport(body={"fmi_status": "OFF"}, headers={"X-Request-Id": "req_9"})

    status = http_service(transport, timeout_seconds=4.5).check(identifier=ICLOUD_IMEI)

    assert status.reference == "req_9"
    [(request, timeout)] = transport.sent
    assert request.method == "GET"
    assert request.url == f"https://imei.example.test/api/v2/checks/{ICLOUD_IMEI}"
    assert request.headers["Authorization"] == "Bearer key_123"
    assert timeout == 4.5


@pytest.mark.parametrize(
    "error",
    [requests.ConnectTimeout("slow"), requests.ReadTimeout("slow"), requests.ConnectionError()],
)
def test_http_network_failures_are_unavailable(error: Exception) -> None:
    with pytest.raises(ProviderUnavailable):
        http_service(FakeTransport(error=error)).check(identifier=ICLOUD_IMEI)


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_http_5xx_and_429_are_unavailable(status: int) -> None:
    with pytest.raises(ProviderUnavailable) as refused:
        http_service(FakeTransport(status=status, body={})).check(identifier=ICLOUD_IMEI)
    assert refused.value.code == str(status)


def test_http_4xx_is_an_error_with_the_service_code() -> None:
    transport = FakeTransport(
        status=422, body={"error": {"code": "invalid_imei", "message": "The IMEI is invalid."}}
    )

    with pytest.raises(ProviderError) as refused:
        http_service(transport).check(identifier=ICLOUD_IMEI)

    assert not isinstance(refused.value, ProviderUnavailable)
    assert refused.value.code == "invalid_imei"
    assert str(refused.value) == "The IMEI is invalid."


def test_http_4xx_without_a_body() -> None:
    with pytest.raises(ProviderError) as refused:
        http_service(FakeTransport(status=401, raw=b"")).check(identifier=ICLOUD_IMEI)

    assert not isinstance(refused.value, ProviderUnavailable)
    assert refused.value.code == "401"
    assert str(refused.value) == "The activation-lock service refused the check."


@pytest.mark.parametrize("raw", [b"<html>oops</html>", b"[]", b'{"fmi_status": "MAYBE"}'])
def test_http_unreadable_answer_is_an_error(raw: bytes) -> None:
    with pytest.raises(ProviderError) as refused:
        http_service(FakeTransport(raw=raw)).check(identifier=ICLOUD_IMEI)
    assert refused.value.code == "bad_response"


def test_http_needs_https_and_a_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="HTTPS"):
        HttpActivationLockService(base_url="http://imei.example.test", api_key="k")
    with pytest.raises(ImproperlyConfigured, match="api_key"):
        HttpActivationLockService(base_url="https://imei.example.test", api_key="")


def test_http_service_is_configurable_by_settings(settings: Any) -> None:
    settings.PROVIDERS = {
        **settings.PROVIDERS,
        "activation_lock": {
            "BACKEND": "recommerce.support.providers.activation.HttpActivationLockService",
            "OPTIONS": {"base_url": "https://imei.example.test", "api_key": "key_123"},
        },
    }

    provider = get_activation_lock()

    assert isinstance(provider, HttpActivationLockService)
    assert provider.base_url == "https://imei.example.test"
