"""Cookie and tracking choices (CONSENT-1 to CONSENT-3), as the rest of the code reads them.

A visitor's choice travels in one strictly necessary first-party cookie; the consent
middleware puts it on ``request.consent``. Code acting for analytics or advertising asks
``consent_of(request).allows(...)`` and does nothing otherwise. A Global Privacy Control
signal (``Sec-GPC: 1``) switches advertising off whatever the cookie says.
"""

from __future__ import annotations

from collections.abc import Iterable
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


class UnknownCategory(ValueError):
    """A choice named a category the site does not have."""


def categories_clean(categories: Iterable[str]) -> list[str]:
    """Return the optional categories in ``categories``, in the site's order.

    ``necessary`` is accepted and dropped (it needs no consent); anything else unknown
    raises ``UnknownCategory`` naming it.
    """
    wanted = {str(category).strip().lower() for category in categories}
    unknown = sorted(wanted - set(CATEGORIES))
    if unknown:
        raise UnknownCategory(
            f"Unknown cookie category {', '.join(repr(name) for name in unknown)}; "
            f"choose from {', '.join(OPTIONAL)}."
        )
    return [category for category in OPTIONAL if category in wanted]


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    title: str
    description: str


CATEGORY_INFO: dict[str, CategoryInfo] = {
    NECESSARY: CategoryInfo(
        "Strictly necessary",
        "Keep you signed in, remember your cart, protect forms against forgery and remember "
        "the choices on this page. The site cannot work without them, so they need no "
        "consent and cannot be switched off.",
    ),
    PREFERENCES: CategoryInfo(
        "Preferences",
        "Remember settings you pick for yourself, such as how lists are displayed, from one "
        "visit to the next.",
    ),
    ANALYTICS: CategoryInfo(
        "Analytics",
        "Count which pages and products are viewed, on Recommerce's own servers, to improve "
        "the site. No analytics company receives anything.",
    ),
    ADVERTISING: CategoryInfo(
        "Advertising and social networks",
        "Let Recommerce include you in advertising audiences shared with ad partners and "
        "social networks, and measure its ads. A Global Privacy Control signal from your "
        "browser keeps this off.",
    ),
}


@dataclass(frozen=True, slots=True)
class Cookie:
    """One cookie the site may set, as the cookie settings page lists it."""

    name: str
    purpose: str
    category: str
    lifetime: str


# Every cookie the site sets. The consent middleware drops any other cookie a view tries to
# set, and any cookie whose category the visitor has not allowed.
COOKIES: tuple[Cookie, ...] = (
    Cookie(
        "sessionid",
        "Keeps you signed in and remembers your cart from page to page.",
        NECESSARY,
        "2 weeks",
    ),
    Cookie(
        "csrftoken",
        "Proves that a form sent to the site came from one of its own pages.",
        NECESSARY,
        "1 year",
    ),
    Cookie(
        COOKIE_NAME,
        "Remembers your cookie choices and the privacy notice version they were made under.",
        NECESSARY,
        "6 months",
    ),
    Cookie(
        "apple-login-session",
        "Carries the answer from Apple back to the site while you sign in with Apple.",
        NECESSARY,
        "Until the sign-in ends",
    ),
    Cookie(
        "rc_notice_seen",
        "Remembers the privacy notice version whose announcement you dismissed.",
        NECESSARY,
        "1 year",
    ),
    Cookie(
        "messages",
        "Carries a confirmation, such as “saved”, to the next page you see.",
        NECESSARY,
        "Until the browser is closed",
    ),
)
COOKIES_BY_NAME = {cookie.name: cookie for cookie in COOKIES}
