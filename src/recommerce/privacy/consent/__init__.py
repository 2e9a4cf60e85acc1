"""Cookie and tracking choices (CONSENT-1 to CONSENT-3), as the rest of the code reads them.

A visitor's choice travels in one strictly necessary first-party cookie; the consent
middleware puts it on ``request.consent``. Code acting for analytics or advertising asks
``consent_of(request).allows(...)`` and does nothing otherwise. A Global Privacy Control
signal (``Sec-GPC: 1``) switches advertising off whatever the cookie says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NECESSARY = "necessary"
PREFERENCES = "preferences"
ANALYTICS = "analytics"
ADVERTISING = "advertising"
CATEGORIES = (NECESSARY, PREFERENCES, ANALYTICS, ADVERTISING)
OPTIONAL = (PREFERENCES, ANALYTICS, ADVERTISING)
COOKIE_NAME = "rc_consent"


@dataclass(frozen=True, slots=True)
class Choice:
    """What a visitor allowed, under which notice version, and whether GPC is on."""

    categories: frozenset[str] = field(default_factory=frozenset)
    version: str = ""
    decided: bool = False
    gpc: bool = False

    def allows(self, category: str) -> bool:
        if category == NECESSARY:
            return True
        if category == ADVERTISING and self.gpc:
            return False
        return self.decided and category in self.categories


UNDECIDED = Choice()


def consent_of(request: Any) -> Choice:
    """Return the visitor's choice (undecided when the middleware has not run)."""
    choice = getattr(request, "consent", None)
    return choice if isinstance(choice, Choice) else UNDECIDED
