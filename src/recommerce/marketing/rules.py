"""The rules of marketing reach, as pure functions: who may receive a campaign, and why not.

Kept apart from the database so the order of the reasons is one readable table: a person
who is erased is counted as erased, not as objected; an objection outranks a subscription.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Why a person is not reached, in the order they are checked; labels for the staff screen.
ERASED = "erased"
OBJECTED = "objected"
RESTRICTED = "restricted"
NO_PHONE = "no_phone"
OTHER_TOPICS = "other_topics"
UNSUBSCRIBED = "unsubscribed"
PENDING = "pending"
NOT_SUBSCRIBED = "not_subscribed"
REASONS: dict[str, str] = {
    ERASED: "Account erased or closed",
    OBJECTED: "Objected to direct marketing",
    RESTRICTED: "Asked to restrict the use of their data",
    NO_PHONE: "Opted in to text messages without a phone number",
    OTHER_TOPICS: "Subscribed to other topics",
    UNSUBSCRIBED: "Unsubscribed",
    PENDING: "Has not confirmed their address yet",
    NOT_SUBSCRIBED: "Never subscribed",
}
REACHABLE = ""

# European Union, the rest of the EEA, and the United Kingdom: marketing by email needs
# prior consent (ePrivacy Directive art. 13, PECR reg. 22); a confirmed address proves it.
DOUBLE_OPT_IN_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO"),  # the rest of the EEA
        "GB",
    }
)
# Elsewhere a single opt-in would be lawful (CAN-SPAM in the US); confirming everywhere
# keeps one sign-up path and proves that the address's owner asked.
DOUBLE_OPT_IN_ELSEWHERE = True


def normalise_email(email: str) -> str:
    """Return the address as compared and hashed: trimmed and lower-cased."""
    return email.strip().lower()


def email_sha256(email: str) -> str:
    """Return the SHA-256 of the normalised address, as advertising partners match it."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def token_hash(token: str) -> str:
    """Return the SHA-256 under which a link's token is stored (never the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def double_opt_in_required(country: str) -> bool:
    """Tell whether an address from ``country`` must confirm before any marketing."""
    if country.upper() in DOUBLE_OPT_IN_COUNTRIES:
        return True
    return DOUBLE_OPT_IN_ELSEWHERE


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known of one person for one channel, gathered by the selectors.

    ``topics`` holds the topics opted in on the channel, ``None`` when not opted in at all.
    ``limit`` is the kind of restriction or objection in force on direct marketing, if any.
    """

    erased: bool = False
    limit: str = ""
    topics: frozenset[str] | None = None
    unsubscribed: bool = False
    pending: bool = False
    needs_phone: bool = False


def reason_not_reached(facts: Facts, *, topic: str) -> str:
    """Return why a campaign on ``topic`` must not reach this person (``""``: it may)."""
    if facts.erased:
        return ERASED
    if facts.limit == "objection":
        return OBJECTED
    if facts.limit:
        return RESTRICTED
    if facts.topics is not None:
        if topic not in facts.topics:
            return OTHER_TOPICS
        return NO_PHONE if facts.needs_phone else REACHABLE
    if facts.unsubscribed:
        return UNSUBSCRIBED
    if facts.pending:
        return PENDING
    return NOT_SUBSCRIBED
