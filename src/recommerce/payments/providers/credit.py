"""The credit partner that decides whether a buyer may pay in instalments.

``SandboxCreditPartner`` stands in for a real consumer-credit company, offline. Its rules
are fixed so that a tester can predict each answer:

- the number of instalments is one of ``settings.INSTALMENT_COUNTS`` (3 or 4);
- the currency is EUR and the amount is from 100.00 to 3,000.00 inclusive;
- the buyer's billing country is a member state of the European Union;
- an email address whose local part (before the ``@``) contains "decline" is declined,
  so any tester can try the refusal path.

An accepted plan is paid today and then every 30 days; the first instalment carries the
remainder of the division, so the instalments add up to the amount exactly.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, ProviderUnavailable

MIN_AMOUNT_MINOR = 10_000
MAX_AMOUNT_MINOR = 300_000
INSTALMENT_STEP_DAYS = 30
EU_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)


@dataclass(frozen=True, slots=True)
class CreditDecision:
    """The partner's answer: accepted with a schedule, or declined with a reason."""

    accepted: bool
    reference: str = ""
    schedule: list[tuple[dt.date, int]] = field(default_factory=list)
    reason: str = ""


class CreditPartner(Protocol):
    """What every credit partner implementation offers."""

    name: str

    def decide(
        self,
        *,
        amount_minor: int,
        currency: str,
        count: int,
        buyer_email: str,
        buyer_country: str,
    ) -> CreditDecision:
        """Accept or decline paying ``amount_minor`` in ``count`` instalments."""
        ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Tell the credit partner that the person behind ``references`` had their data erased.

        ``references`` are the platform's references the credit partner received (order numbers).
        Raises ``ProviderUnavailable`` when the credit partner cannot be reached, so the erasure's
        notice stays pending and is retried.
        """
        ...


def instalment_schedule(
    *, amount_minor: int, count: int, first_due: dt.date, step_days: int = INSTALMENT_STEP_DAYS
) -> list[tuple[dt.date, int]]:
    """Split ``amount_minor`` into ``count`` dated instalments that add up to it exactly."""
    if count < 1:
        raise ValueError("A schedule has at least one instalment.")
    if amount_minor < 0:
        raise ValueError("An amount cannot be negative.")
    share, remainder = divmod(amount_minor, count)
    return [
        (first_due + dt.timedelta(days=step_days * index), share + (remainder if index == 0 else 0))
        for index in range(count)
    ]


class SandboxCreditPartner:
    """An offline credit partner with the documented, deterministic rules above."""

    name = "sandbox-credit"

    def __init__(self, *, unavailable: bool = False) -> None:
        self.unavailable = unavailable
        self.erasure_notices: list[tuple[str, ...]] = []

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        if self.unavailable:
            raise ProviderUnavailable("The credit partner is unavailable (sandbox).")
        self.erasure_notices.append(tuple(references))

    def decide(
        self,
        *,
        amount_minor: int,
        currency: str,
        count: int,
        buyer_email: str,
        buyer_country: str,
    ) -> CreditDecision:
        """Apply the rules in order and return the first refusal, or an accepted plan."""
        if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
            raise ProviderError("The amount must be a whole number of cents.", code="invalid")
        counts = tuple(getattr(settings, "INSTALMENT_COUNTS", (3, 4)))
        if count not in counts:
            allowed = " or ".join(str(n) for n in counts)
            return CreditDecision(
                accepted=False, reason=f"Instalments are offered in {allowed} payments only."
            )
        if currency.upper() != "EUR":
            return CreditDecision(accepted=False, reason="Instalments are offered in euros only.")
        if not MIN_AMOUNT_MINOR <= amount_minor <= MAX_AMOUNT_MINOR:
            return CreditDecision(
                accepted=False,
                reason="Instalments are offered for amounts from 100.00 to 3,000.00 EUR.",
            )
        if buyer_country.upper() not in EU_COUNTRIES:
            return CreditDecision(
                accepted=False,
                reason="Instalments are offered to buyers billed in the European Union only.",
            )
        local_part = buyer_email.rsplit("@", 1)[0].lower()
        if "decline" in local_part:
            return CreditDecision(
                accepted=False,
                reason="Our credit partner could not offer instalments for this purchase.",
            )
        return CreditDecision(
            accepted=True,
            reference=f"cr_{secrets.token_hex(10)}",
            schedule=instalment_schedule(
                amount_minor=amount_minor, count=count, first_due=clock.today()
            ),
        )
