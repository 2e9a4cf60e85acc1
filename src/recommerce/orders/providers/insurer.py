"""Device insurance: the insurer interface and its offline sandbox.

``get_insurer()`` returns the implementation named by ``settings.PROVIDERS["insurer"]``.
Checkout asks for a quote per device (no personal data: the device, its category and
price); once the order is placed, ``orders.services.insurance`` subscribes one policy per
insured unit, sending only what the policy needs (SHARE-2): the holder's name and email,
the device and, through the quote, its price.

The sandbox answers offline and deterministically:

- premium: 8 % of the device price rounded up to the next ``.99``, at least ``9.99``;
- a quote id carries its own issue time, price and premium, signed with the site's
  secret, so any process can check it; it is valid 24 hours;
- ``subscribe`` refuses an unknown or altered quote and an expired one with
  ``ProviderError`` (codes ``UNKNOWN_QUOTE``, ``QUOTE_EXPIRED``); the policy number is
  derived from ``reference``, so subscribing again for the same reference returns the same
  policy (a retried call never buys two);
- policies start the day of subscription and end 12 months later;
- ``certificate`` returns a one-page PDF;
- ``SandboxInsurer(unavailable=True)`` (or setting ``unavailable`` on the instance)
  answers ``ProviderUnavailable`` to every call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import constant_time_compare, salted_hmac

from recommerce.platform import clock
from recommerce.platform.calendar import add_months
from recommerce.platform.money import minor_exponent
from recommerce.platform.providers import ProviderError, ProviderUnavailable, get_provider

__all__ = [
    "InsuranceQuote",
    "Insurer",
    "PolicyResult",
    "SandboxInsurer",
    "get_insurer",
]

QUOTE_VALIDITY = dt.timedelta(hours=24)
POLICY_MONTHS = 12


@dataclass(frozen=True, slots=True)
class InsuranceQuote:
    """The insurer's price for insuring one device for a year."""

    quote_id: str
    premium_minor: int
    cover: str
    expires_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """A subscribed policy."""

    policy_number: str
    starts_on: dt.date
    ends_on: dt.date
    certificate_url: str


@runtime_checkable
class Insurer(Protocol):
    """Quote, subscribe and document device insurance policies."""

    name: str

    def quote(
        self, *, device_title: str, category: str, price_minor: int, currency: str
    ) -> InsuranceQuote:
        """Price a year of cover for one device."""
        ...

    def subscribe(
        self,
        *,
        quote_id: str,
        holder_name: str,
        holder_email: str,
        device_title: str,
        reference: str,
    ) -> PolicyResult:
        """Take out a policy on a quote; the same ``reference`` returns the same policy."""
        ...

    def certificate(self, *, policy_number: str) -> bytes:
        """Return the policy's certificate as a PDF."""
        ...

    def cancel(self, *, policy_number: str) -> None:
        """End a policy (the insured order was cancelled)."""
        ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Tell the insurer that the person behind ``references`` had their data erased.

        ``references`` are the platform's references the insurer received (order numbers).
        Raises ``ProviderUnavailable`` when the insurer cannot be reached, so the erasure's
        notice stays pending and is retried.
        """
        ...


def get_insurer() -> Insurer:
    """Return the configured ``insurer`` provider."""
    provider = get_provider("insurer")
    if not isinstance(provider, Insurer):
        raise ImproperlyConfigured(
            f'settings.PROVIDERS["insurer"] built {provider!r}, which is not an insurer.'
        )
    return provider


# --- Sandbox ------------------------------------------------------------------------------

_QUOTE = re.compile(
    r"iq_(?P<issued>[0-9a-z]+)_(?P<price>[0-9a-z]+)_(?P<premium>[0-9a-z]+)_(?P<currency>[A-Z]{3})"
    r"_(?P<sig>[0-9a-f]{16})"
)
_POLICY = re.compile(r"SI-[0-9A-F]{10}")
PREMIUM_RATE_BP = 800


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        value, rest = divmod(value, 36)
        text = digits[rest] + text
        if not value:
            return text


def _sign(body: str) -> str:
    return salted_hmac("sandbox-insurer-quote", body).hexdigest()[:16]


def sandbox_premium(price_minor: int, currency: str) -> int:
    """Return 8 % of the price rounded up to the next .99, at least 9.99."""
    unit: int = 10 ** minor_exponent(currency)
    raw = -(-price_minor * PREMIUM_RATE_BP // 10_000)
    floor = 10 * unit - 1 if unit > 1 else 10
    if unit == 1:
        return max(floor, raw)
    return max(floor, (raw + unit) // unit * unit - 1)


class SandboxInsurer:
    """Quote and subscribe policies offline (rules: module docstring)."""

    name = "Sandbox Insurance"

    def __init__(self, *, unavailable: bool = False) -> None:
        self.unavailable = unavailable
        self.erasure_notices: list[tuple[str, ...]] = []
        self.subscriptions: list[str] = []

    def _up(self) -> None:
        if self.unavailable:
            raise ProviderUnavailable("The insurer's service is unavailable (sandbox).")

    def quote(
        self, *, device_title: str, category: str, price_minor: int, currency: str
    ) -> InsuranceQuote:
        self._up()
        if price_minor <= 0:
            raise ProviderError("A device to insure has a price.", code="INVALID_PRICE")
        issued = clock.now()
        premium = sandbox_premium(price_minor, currency)
        body = (
            f"iq_{_base36(int(issued.timestamp()))}_{_base36(price_minor)}_{_base36(premium)}"
            f"_{currency.upper()}"
        )
        return InsuranceQuote(
            quote_id=f"{body}_{_sign(body)}",
            premium_minor=premium,
            cover=settings.INSURANCE_COVER,
            expires_at=issued + QUOTE_VALIDITY,
        )

    def subscribe(
        self,
        *,
        quote_id: str,
        holder_name: str,
        holder_email: str,
        device_title: str,
        reference: str,
    ) -> PolicyResult:
        self._up()
        match = _QUOTE.fullmatch(quote_id)
        body = quote_id.rsplit("_", 1)[0]
        if match is None or not constant_time_compare(match["sig"], _sign(body)):
            raise ProviderError(f"The insurer knows no quote “{quote_id}”.", code="UNKNOWN_QUOTE")
        issued = dt.datetime.fromtimestamp(int(match["issued"], 36), tz=dt.UTC)
        if clock.now() > issued + QUOTE_VALIDITY:
            raise ProviderError(
                "The insurance quote has expired (quotes are valid 24 hours).",
                code="QUOTE_EXPIRED",
            )
        if not holder_name.strip() or "@" not in holder_email:
            raise ProviderError(
                "A policy needs the holder's name and email address.", code="INVALID_HOLDER"
            )
        digest = hashlib.sha256(reference.encode()).hexdigest()[:10].upper()
        number = f"SI-{digest}"
        starts_on = clock.today()
        self.subscriptions.append(reference)
        return PolicyResult(
            policy_number=number,
            starts_on=starts_on,
            ends_on=add_months(starts_on, POLICY_MONTHS) - dt.timedelta(days=1),
            certificate_url=f"https://sandbox-insurer.invalid/certificates/{number}.pdf",
        )

    def certificate(self, *, policy_number: str) -> bytes:
        self._up()
        if not _POLICY.fullmatch(policy_number):
            raise ProviderError(
                f"The insurer knows no policy “{policy_number}”.", code="UNKNOWN_POLICY"
            )
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.set_title(f"Insurance certificate {policy_number}")
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 12, "Certificate of device insurance", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for line in (
            f"Insurer: {self.name}",
            f"Policy number: {policy_number}",
            f"Cover: {settings.INSURANCE_COVER}",
            "Claims: quote the policy number to the insurer.",
        ):
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        self._up()
        self.erasure_notices.append(tuple(references))

    def cancel(self, *, policy_number: str) -> None:
        self._up()
        if not _POLICY.fullmatch(policy_number):
            raise ProviderError(
                f"The insurer knows no policy “{policy_number}”.", code="UNKNOWN_POLICY"
            )
