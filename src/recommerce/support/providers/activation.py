"""Activation lock: is a returned device still tied to someone's account (SEC-3)?

A phone or tablet still linked to its owner's iCloud (Find My) or Google account cannot be
used by anyone else. Before a returned device is accepted its IMEI (or serial number) is
checked; a locked device pauses the return, and the customer is told how to remove it from
the account remotely. ``get_activation_lock()`` returns the implementation named by
``settings.PROVIDERS["activation_lock"]``. The check receives the device identifier only;
the service that calls it records that disclosure.

The sandbox answers offline and deterministically, so tests and the demo can choose:

- an IMEI (15 digits) whose 6-digit serial part (digits 9 to 14) starts with ``9`` is
  locked: ``icloud`` when its TAC starts with ``35``, ``google_frp`` otherwise
  (``356938039123451`` is locked to iCloud, ``861536039123451`` to Google,
  ``356938030123450`` is clear);
- a serial number containing ``LOCK`` is locked to iCloud (``F2LXLOCK1234``);
- anything else is clear;
- ``release(identifier=...)`` stands for the owner removing the device from their account:
  it is remembered in the Django cache (no expiry) and every later check answers clear;
- ``SandboxActivationLock(unavailable=True)`` answers ``ProviderUnavailable``.

``HttpActivationLockService`` is the adapter for a commercial IMEI-checking web service
(README.providers.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote, urlsplit

import requests
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, ProviderUnavailable, get_provider

__all__ = [
    "LOCK_KINDS",
    "ActivationLockChecker",
    "HttpActivationLockService",
    "LockStatus",
    "SandboxActivationLock",
    "get_activation_lock",
]

ICLOUD = "icloud"
GOOGLE_FRP = "google_frp"
LOCK_KINDS = (ICLOUD, GOOGLE_FRP)


@dataclass(frozen=True, slots=True)
class LockStatus:
    """The service's answer about one device.

    ``lock_kind`` is ``"icloud"``, ``"google_frp"`` or ``""`` (clear, or a lock of a kind
    the service did not name); ``reference`` is the service's id of the check.
    """

    locked: bool
    lock_kind: str
    reference: str
    checked_at: dt.datetime


@runtime_checkable
class ActivationLockChecker(Protocol):
    """Tell whether a device is still linked to a personal account."""

    name: str

    def check(self, *, identifier: str) -> LockStatus:
        """Check the IMEI or serial number ``identifier``.

        ``ProviderUnavailable`` when the service cannot answer now (retry later),
        ``ProviderError`` when it refuses the request (e.g. an identifier it cannot read).
        """
        ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Ask the service to delete what it keeps of the checks made for ``references``
        (claim references) because their buyer was erased."""
        ...


def get_activation_lock() -> ActivationLockChecker:
    """Return the configured ``activation_lock`` provider."""
    provider = get_provider("activation_lock")
    if not isinstance(provider, ActivationLockChecker):
        raise ImproperlyConfigured(
            f'settings.PROVIDERS["activation_lock"] built {provider!r}, which is not an '
            "activation-lock checker."
        )
    return provider


# Where the sandbox keeps the claim references it was told to forget.
ERASURES_KEY = "support:activation-lock:erasures"


def _compact(identifier: str) -> str:
    return re.sub(r"[\s.\-/]", "", identifier).upper()


# --- Sandbox ------------------------------------------------------------------------------


class SandboxActivationLock:
    """Answer activation-lock checks offline (rules: module docstring)."""

    name = "Sandbox activation lock"

    def __init__(self, *, unavailable: bool = False) -> None:
        self.unavailable = unavailable

    @staticmethod
    def _release_key(identifier: str) -> str:
        digest = hashlib.sha256(_compact(identifier).encode()).hexdigest()
        return f"support:activation-lock:released:{digest}"

    def _up(self) -> None:
        if self.unavailable:
            raise ProviderUnavailable("The activation-lock service is unavailable (sandbox).")

    def check(self, *, identifier: str) -> LockStatus:
        self._up()
        value = _compact(identifier)
        if not value:
            raise ProviderError("No IMEI or serial number was given.", code="invalid_identifier")
        kind = ""
        if value.isdigit() and len(value) == 15:
            if value[8] == "9":
                kind = ICLOUD if value.startswith("35") else GOOGLE_FRP
        elif "LOCK" in value:
            kind = ICLOUD
        if kind and cache.get(self._release_key(value)) is not None:
            kind = ""
        reference = "SBXAL-" + hashlib.sha256(value.encode()).hexdigest()[:12].upper()
        return LockStatus(
            locked=bool(kind), lock_kind=kind, reference=reference, checked_at=clock.now()
        )

    def release(self, *, identifier: str) -> None:
        """Record that the owner removed the device from their account (sandbox only)."""
        self._up()
        cache.set(self._release_key(identifier), clock.now().isoformat(), timeout=None)

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Keep the references told, as the service's own deletion log would."""
        self._up()
        told = list(cache.get(ERASURES_KEY) or [])
        cache.set(ERASURES_KEY, [*told, *references], timeout=None)


# --- A commercial IMEI-checking service over HTTPS -----------------------------------------


class HttpActivationLockService:
    """Check activation locks with an IMEI-checking web service over HTTPS.

    Request: ``GET <base_url>/checks/<identifier>`` with ``Authorization: Bearer <api_key>``.
    Answer: JSON ``{"id": "...", "fmi_status": "ON" | "OFF", "lock": "icloud" | ...}``;
    ``fmi_status`` ``ON`` means locked. ``lock`` names the account (``icloud``/``fmi``,
    ``google_frp``/``frp``/``google``); another or none gives ``lock_kind=""``.
    Errors: a timeout, a connection failure, 429 or 5xx → ``ProviderUnavailable``; another
    4xx or an answer without ``fmi_status`` → ``ProviderError`` (with the service's
    ``error.code`` when it gives one).
    """

    name = "IMEI activation-lock service"

    _KINDS: Mapping[str, str] = {
        "icloud": ICLOUD,
        "fmi": ICLOUD,
        "find_my": ICLOUD,
        "google_frp": GOOGLE_FRP,
        "frp": GOOGLE_FRP,
        "google": GOOGLE_FRP,
    }

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout_seconds: float = 10.0,
        name: str = "",
    ) -> None:
        if urlsplit(base_url).scheme != "https":
            raise ImproperlyConfigured("The activation-lock service must be reached over HTTPS.")
        if not api_key:
            raise ImproperlyConfigured("The activation-lock service needs an api_key.")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout_seconds
        if name:
            self.name = name
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        )

    def check(self, *, identifier: str) -> LockStatus:
        value = _compact(identifier)
        if not value:
            raise ProviderError("No IMEI or serial number was given.", code="invalid_identifier")
        url = f"{self.base_url}/checks/{quote(value, safe='')}"
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.Timeout as error:
            raise ProviderUnavailable(
                "The activation-lock service did not answer in time."
            ) from error
        except requests.RequestException as error:
            raise ProviderUnavailable("The activation-lock service cannot be reached.") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise ProviderUnavailable(
                f"The activation-lock service is unavailable (HTTP {response.status_code}).",
                code=str(response.status_code),
            )
        body = self._json(response)
        if response.status_code >= 400:
            found = body.get("error")
            details: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
            raise ProviderError(
                str(details.get("message") or "The activation-lock service refused the check."),
                code=str(details.get("code") or response.status_code),
            )
        status = str(body.get("fmi_status", "")).upper()
        if status not in ("ON", "OFF"):
            raise ProviderError(
                "The activation-lock service gave an answer that cannot be read.",
                code="bad_response",
            )
        locked = status == "ON"
        kind = self._KINDS.get(str(body.get("lock") or "").lower(), "") if locked else ""
        reference = str(body.get("id") or response.headers.get("X-Request-Id", ""))
        return LockStatus(
            locked=locked, lock_kind=kind, reference=reference, checked_at=clock.now()
        )

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        try:
            response = self.session.post(
                f"{self.base_url}/erasures",
                json={"references": list(references)},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise ProviderUnavailable("The activation-lock service cannot be reached.") from error
        if response.status_code >= 400:
            raise ProviderError(
                f"The activation-lock service refused the erasure (HTTP {response.status_code}).",
                code=str(response.status_code),
            )

    @staticmethod
    def _json(response: requests.Response) -> Mapping[str, Any]:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, Mapping) else {}
