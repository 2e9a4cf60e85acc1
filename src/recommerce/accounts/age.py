"""Age rules (AGE-1), as pure functions of a declaration and a date.

A country asks either for a date of birth or for an attestation of being an adult
(``settings.AGE_DECLARATION_BY_COUNTRY``). Under ``AGE_MINIMUM_ACCOUNT`` (13) nobody gets
an account; under ``AGE_ADULT`` (18) a person may browse and hold an account, but buying
and trade-in need a recorded parental authorisation.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.conf import settings


class AgeBand(enum.StrEnum):
    CHILD = "child"  # under the minimum age for an account
    MINOR = "minor"
    ADULT = "adult"
    UNKNOWN = "unknown"  # no declaration yet


def declaration_mode(country: str) -> str:
    """Return ``"birth_date"`` or ``"attestation"``: how ``country`` asks for age."""
    modes: dict[str, str] = settings.AGE_DECLARATION_BY_COUNTRY
    return modes.get(country.upper(), settings.AGE_DECLARATION_DEFAULT)


def age_on(birth_date: dt.date, today: dt.date) -> int:
    """Return the age in whole years on ``today`` (a 29 February birthday turns on 1 March)."""
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def age_band(*, birth_date: dt.date | None, adult_attested: bool, today: dt.date) -> AgeBand:
    """Place a declaration in its band; a date of birth outranks an attestation."""
    if birth_date is not None:
        years = age_on(birth_date, today)
        if years < settings.AGE_MINIMUM_ACCOUNT:
            return AgeBand.CHILD
        return AgeBand.MINOR if years < settings.AGE_ADULT else AgeBand.ADULT
    return AgeBand.ADULT if adult_attested else AgeBand.UNKNOWN


def may_transact(*, band: AgeBand, parental_authorisation: bool) -> bool:
    """Return whether a person in ``band`` may buy or trade in."""
    if band is AgeBand.ADULT:
        return True
    return band is AgeBand.MINOR and parental_authorisation
