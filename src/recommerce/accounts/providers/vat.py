"""Check that a VAT number is registered, through the EU's VIES or its offline sandbox.

``get_vat_lookup()`` returns the implementation named by ``settings.PROVIDERS["vat_lookup"]``:

- ``SandboxVatLookup`` (the default) answers offline and deterministically.
- ``ViesRestVatLookup`` asks the European Commission's VIES REST API.

VIES covers the EU member states (Greece as ``EL``) and Northern Ireland (``XI``); both
implementations refuse other numbers (``GB``, ``CH``) with ``ProviderError`` and code
``INVALID_INPUT`` before anything is sent. A check is qualified (VIES returns a consultation
reference, proof that the check was made) only when the requester's own VAT number is given.

Sandbox magic values, read from the last three digits of the number (letters ignored):

=============  ===============================================  =================
last digits    answer                                           example
=============  ===============================================  =================
``000``        not registered (``valid=False``)                 ``FR22303276000``
``999``        ``ProviderUnavailable``, code ``MS_UNAVAILABLE``  ``FR68303268999``
anything else  registered, with a made-up name and address      ``FR40303265045``
=============  ===============================================  =================

The German examples ``DE136707000`` and ``DE136697999`` work the same way.

Also in the sandbox: a number whose check digits are wrong is not registered; a prefix
passed in ``SandboxVatLookup(unavailable=["IT"])`` answers ``ProviderUnavailable`` as if
that member state's service were down; ``DE`` numbers come back registered with an empty
name and address, as the German service discloses neither; a requester number with wrong
check digits is refused with code ``INVALID_REQUESTER_INFO``; the reference is
``WAPI`` + 12 characters derived from the number and requester. Every call is appended to
``SandboxVatLookup.calls``, including those that raise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from stdnum.eu import vat as eu_vat

from recommerce.platform import clock
from recommerce.platform.identifiers import VatNumber
from recommerce.platform.providers import ProviderError, ProviderUnavailable, get_provider

__all__ = [
    "VIES_PREFIXES",
    "SandboxVatLookup",
    "VatCheckRequest",
    "VatCheckResult",
    "VatLookup",
    "ViesRestVatLookup",
    "get_vat_lookup",
]

VIES_PREFIXES = frozenset({"EL" if code == "gr" else code.upper() for code in eu_vat.MEMBER_STATES})
"""The VAT prefixes VIES answers for: EU member states, EL for Greece, XI for N. Ireland."""


@dataclass(frozen=True, slots=True)
class VatCheckResult:
    """What the member state's register says about one VAT number."""

    valid: bool
    """Registered and active for intra-EU trade."""
    country: str
    """ISO alpha-2 code of the issuing country (``GR`` for an ``EL`` number)."""
    number: str
    """The number checked, compact with its prefix."""
    name: str
    """Registered name, ``""`` when the member state does not disclose it."""
    address: str
    """Registered address, lines separated by ``\\n``; ``""`` when not disclosed."""
    reference: str
    """VIES consultation number; ``""`` unless a requester was given."""
    checked_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VatCheckRequest:
    """One call received by the sandbox."""

    number: VatNumber
    requester: VatNumber | None


@runtime_checkable
class VatLookup(Protocol):
    """Look VAT numbers up in the register of the member state that issued them."""

    def check(self, number: VatNumber, *, requester: VatNumber | None = None) -> VatCheckResult:
        """Return the register's answer for ``number``.

        ``requester`` is the checking company's own VAT number; with it, the answer carries
        a consultation reference. Raises ``ProviderUnavailable`` when the member state's
        service is down or busy (retry later) and ``ProviderError`` for a request VIES
        refuses.
        """
        ...


def get_vat_lookup() -> VatLookup:
    """Return the configured ``vat_lookup`` provider."""
    provider = get_provider("vat_lookup")
    if not isinstance(provider, VatLookup):
        raise ImproperlyConfigured(
            f'settings.PROVIDERS["vat_lookup"] built {provider!r}, which has no check().'
        )
    return provider


def _require_vies(number: VatNumber, *, code: str) -> None:
    if number.prefix not in VIES_PREFIXES:
        raise ProviderError(
            f"VIES covers EU member states and Northern Ireland (XI), not {number.prefix} "
            f"numbers such as {number.number}.",
            code=code,
        )


# --- Sandbox ------------------------------------------------------------------------------

# Legal form, postcode and city of the made-up companies, so addresses look local.
_SANDBOX_PLACES: dict[str, tuple[str, str, str]] = {
    "AT": ("GMBH", "1010", "WIEN"),
    "BE": ("SRL", "1000", "BRUXELLES"),
    "BG": ("EOOD", "1000", "SOFIA"),
    "CY": ("LTD", "1010", "NICOSIA"),
    "CZ": ("S.R.O.", "110 00", "PRAHA"),
    "DE": ("GMBH", "10117", "BERLIN"),
    "DK": ("APS", "1050", "KØBENHAVN"),
    "EE": ("OÜ", "10111", "TALLINN"),
    "EL": ("IKE", "105 57", "ATHINA"),
    "ES": ("SL", "28001", "MADRID"),
    "FI": ("OY", "00100", "HELSINKI"),
    "FR": ("SAS", "75002", "PARIS"),
    "HR": ("D.O.O.", "10000", "ZAGREB"),
    "HU": ("KFT.", "1051", "BUDAPEST"),
    "IE": ("LIMITED", "D02 X285", "DUBLIN 2"),
    "IT": ("SRL", "00184", "ROMA"),
    "LT": ("UAB", "01103", "VILNIUS"),
    "LU": ("SARL", "L-1111", "LUXEMBOURG"),
    "LV": ("SIA", "LV-1050", "RĪGA"),
    "MT": ("LIMITED", "VLT 1010", "VALLETTA"),
    "NL": ("B.V.", "1012 AB", "AMSTERDAM"),
    "PL": ("SP. Z O.O.", "00-001", "WARSZAWA"),
    "PT": ("LDA", "1100-148", "LISBOA"),
    "RO": ("SRL", "010011", "BUCUREȘTI"),
    "SE": ("AB", "111 22", "STOCKHOLM"),
    "SI": ("D.O.O.", "1000", "LJUBLJANA"),
    "SK": ("S.R.O.", "811 01", "BRATISLAVA"),
    "XI": ("LTD", "BT1 1AA", "BELFAST"),
}
_SANDBOX_WORDS = (
    "ATLAS", "BEACON", "CIRCUIT", "DELTA", "EMBER", "FJORD", "GRANITE", "HARBOUR",
    "IRIS", "JUNIPER", "KESTREL", "LUMEN", "MERIDIAN", "NOVA", "ORBIT", "PHOENIX",
)  # fmt: skip
_SANDBOX_STREETS = (
    "MARKET STREET", "STATION ROAD", "HARBOUR LANE", "MILL ROAD", "CHURCH STREET",
    "PARK AVENUE", "BRIDGE STREET", "HIGH STREET",
)  # fmt: skip


class SandboxVatLookup:
    """Answer like VIES, offline and deterministically (magic values: module docstring)."""

    def __init__(self, *, unavailable: Iterable[str] = ()) -> None:
        self.unavailable = frozenset(prefix.upper() for prefix in unavailable)
        self.calls: list[VatCheckRequest] = []

    def check(self, number: VatNumber, *, requester: VatNumber | None = None) -> VatCheckResult:
        """Return the sandbox register's answer for ``number``."""
        self.calls.append(VatCheckRequest(number=number, requester=requester))
        _require_vies(number, code="INVALID_INPUT")
        if requester is not None:
            _require_vies(requester, code="INVALID_REQUESTER_INFO")
            if not eu_vat.is_valid(requester.number):
                raise ProviderError(
                    f"The requester number {requester.number} is not valid.",
                    code="INVALID_REQUESTER_INFO",
                )
        digits = "".join(char for char in number.local if char.isdigit())
        if number.prefix in self.unavailable or digits.endswith("999"):
            raise ProviderUnavailable(
                f"The {number.prefix} member state's service is unavailable (sandbox).",
                code="MS_UNAVAILABLE",
            )
        registered = eu_vat.is_valid(number.number) and not digits.endswith("000")
        name, address = self._company(number) if registered else ("", "")
        return VatCheckResult(
            valid=registered,
            country=number.country,
            number=number.number,
            name=name,
            address=address,
            reference=self._reference(number, requester),
            checked_at=clock.now(),
        )

    @staticmethod
    def _company(number: VatNumber) -> tuple[str, str]:
        if number.prefix == "DE":
            return "", ""
        # sha256 rather than hash(): the answer must not change between processes.
        seed = hashlib.sha256(number.number.encode()).digest()
        form, postcode, city = _SANDBOX_PLACES[number.prefix]
        name = f"SANDBOX {_SANDBOX_WORDS[seed[0] % len(_SANDBOX_WORDS)]} {form}"
        street = _SANDBOX_STREETS[seed[1] % len(_SANDBOX_STREETS)]
        return name, f"{1 + seed[2] % 199} {street}\n{postcode} {city}"

    @staticmethod
    def _reference(number: VatNumber, requester: VatNumber | None) -> str:
        if requester is None:
            return ""
        seed = f"{number.number}/{requester.number}".encode()
        return "WAPI" + hashlib.sha256(seed).hexdigest()[:12].upper()


# --- VIES REST API ------------------------------------------------------------------------

# Errors that mean "not now" rather than "not ever" (VIES technical documentation).
VIES_TEMPORARY_ERRORS = frozenset(
    {
        "SERVICE_UNAVAILABLE",
        "MS_UNAVAILABLE",
        "TIMEOUT",
        "GLOBAL_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ_TIME",
        "MS_MAX_CONCURRENT_REQ",
        "MS_MAX_CONCURRENT_REQ_TIME",
    }
)
# VIES writes "---" where a member state does not disclose a field.
_UNDISCLOSED = {"", "---"}


class ViesRestVatLookup:
    """Ask the European Commission's VIES REST API (``POST /check-vat-number``).

    Each call discloses the number checked (and the requester's) to the Commission and the
    member state; recording that disclosure is for the caller until privacy's log exists.
    """

    DEFAULT_BASE_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

    def __init__(self, *, base_url: str = DEFAULT_BASE_URL, timeout: float = 20.0) -> None:
        # urlopen also reads file: and ftp: URLs; only HTTP belongs in this setting.
        if urlsplit(base_url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(f"The VIES base URL must be http(s), not {base_url!r}.")
        self.url = base_url.rstrip("/") + "/check-vat-number"
        self.timeout = timeout

    def check(self, number: VatNumber, *, requester: VatNumber | None = None) -> VatCheckResult:
        """Ask VIES about ``number``, on behalf of ``requester`` if given."""
        _require_vies(number, code="INVALID_INPUT")
        body = {"countryCode": number.prefix, "vatNumber": number.local}
        if requester is not None:
            _require_vies(requester, code="INVALID_REQUESTER_INFO")
            body |= {
                "requesterMemberStateCode": requester.prefix,
                "requesterNumber": requester.local,
            }
        status, answer = self._post(body)
        self._raise_for_errors(status, answer)
        if not isinstance(answer, dict) or not isinstance(answer.get("valid"), bool):
            raise ProviderError(f"VIES answered HTTP {status} without a validity: {answer!r}")
        return VatCheckResult(
            valid=answer["valid"],
            country=number.country,
            number=number.number,
            name=_disclosed(answer.get("name")),
            address=_disclosed(answer.get("address")),
            reference=_disclosed(answer.get("requestIdentifier")),
            checked_at=_timestamp(answer.get("requestDate")),
        )

    def _post(self, body: dict[str, str]) -> tuple[int, Any]:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    status, raw = response.status, response.read()
            except urllib.error.HTTPError as exc:
                # Error statuses still carry VIES's errorWrappers, which say what failed.
                with exc:
                    status, raw = exc.code, exc.read()
        except (OSError, http.client.HTTPException) as exc:
            # Timeouts, refused connections, resets and DNS failures are all transient.
            raise ProviderUnavailable(f"VIES could not be reached: {exc}") from exc
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None

    @staticmethod
    def _raise_for_errors(status: int, answer: Any) -> None:
        codes: list[tuple[str, str]] = []
        if isinstance(answer, dict):
            for wrapper in answer.get("errorWrappers") or []:
                if isinstance(wrapper, dict) and wrapper.get("error"):
                    codes.append((str(wrapper["error"]), str(wrapper.get("message") or "")))
            # The REST API also reports some failures in userError next to valid=false.
            user_error = answer.get("userError")
            if user_error in VIES_TEMPORARY_ERRORS:
                codes.append((str(user_error), ""))
        for code, message in codes:
            if code in VIES_TEMPORARY_ERRORS:
                raise ProviderUnavailable(f"VIES: {code} {message}".strip(), code=code)
        if codes:
            code, message = codes[0]
            raise ProviderError(f"VIES refused the request: {code} {message}".strip(), code=code)
        if status >= 500 or status == 429:
            raise ProviderUnavailable(f"VIES answered HTTP {status}.")
        if status >= 400:
            raise ProviderError(f"VIES answered HTTP {status}.")


def _disclosed(value: object) -> str:
    text = str(value or "").strip()
    return "" if text in _UNDISCLOSED else text


def _timestamp(value: object) -> dt.datetime:
    text = str(value or "")
    # fromisoformat reads a date-only answer ("2024-05-06+02:00") as 02:00 on that day.
    if "T" not in text:
        return clock.now()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return clock.now()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment
