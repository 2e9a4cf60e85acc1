"""Reads of marketing, behind the privacy gates (PURP-2, CONSENT-7, SHARE-4).

Code acting for marketing learns addresses only from here, and only those of people it
may reach: ``marketing_recipients`` leaves out anyone who did not opt in, objected,
restricted, unsubscribed or was erased; ``reach_summary`` gives the others as counts per
reason; ``reach_of`` judges addresses the caller already holds. The advertising audience
(``advertising_audience``) likewise keeps only people who consented to advertising and
did not opt out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from recommerce.accounts.models import User
from recommerce.marketing import rules
from recommerce.marketing.models import (
    TOPICS,
    AudienceExport,
    Campaign,
    Channel,
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.privacy import purposes
from recommerce.privacy.consent import ADVERTISING
from recommerce.privacy.rights.values import ERASED_DOMAIN
from recommerce.privacy.selectors import (
    consent_user_ids,
    people_allowed,
    processing_limit_list,
)

Status = NewsletterSubscription.Status


@dataclass(frozen=True, slots=True)
class Person:
    """One person as a campaign sees them: where to write, who they are, and ``reason``
    they must not be written to (empty when they may)."""

    address: str
    user_id: int | None
    subscription_id: int | None
    reason: str

    @property
    def reachable(self) -> bool:
        return self.reason == rules.REACHABLE


@dataclass(frozen=True, slots=True)
class Reach:
    """How many people a campaign reaches, and the others counted per reason."""

    reachable: int
    reasons: dict[str, int]


@dataclass(frozen=True, slots=True)
class PreferenceView:
    email: bool
    sms: bool
    topics: list[str]
    limit: str


@dataclass(frozen=True, slots=True)
class _Account:
    pk: int
    active: bool
    phone: str


def _erased(account: _Account | None, address: str) -> bool:
    return account is not None and (not account.active or address.endswith(f"@{ERASED_DOMAIN}"))


def _limits(user_ids: set[int]) -> dict[int, str]:
    """Return the kind of limit on direct marketing in force, for those who have one."""
    allowed = people_allowed(user_ids=user_ids, purpose=purposes.MARKETING_EMAIL)
    kinds: dict[int, str] = {}
    for user_id in sorted(user_ids - allowed):
        kind = (
            processing_limit_list(user=user_id)
            .filter(purpose=purposes.MARKETING_EMAIL.code)
            .values_list("kind", flat=True)
            .first()
        )
        kinds[user_id] = str(kind or "objection")
    return kinds


def _people(*, topic: str, channel: str, addresses: set[str] | None = None) -> list[Person]:
    """Judge everyone known to marketing (or only ``addresses``) for one campaign.

    Private: it sees people who may not be reached; callers get counts or reachable
    people only.
    """
    accounts = User._base_manager.annotate(address=Lower("email"))
    subscriptions = NewsletterSubscription.objects.all()
    if addresses is not None:
        accounts = accounts.filter(address__in=addresses)
        subscriptions = subscriptions.filter(email__in=addresses)
    by_address = {
        address: _Account(pk, active, phone)
        for pk, address, active, phone in accounts.values_list(
            "pk", "address", "is_active", "phone"
        )
    }
    subs = {
        row[1]: row
        for row in subscriptions.values_list("pk", "email", "status", "topics", "user_id")
    }
    user_ids = {a.pk for a in by_address.values()} | {r[4] for r in subs.values() if r[4]}
    prefs = {
        row[0]: row
        for row in MarketingPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "email", "sms", "topics"
        )
    }
    left = set(
        UnsubscribeEvent.objects.filter(user_id__in=user_ids, channel=channel).values_list(
            "user_id", flat=True
        )
    )
    limits = _limits(user_ids)
    people: list[Person] = []
    if channel == Channel.SMS:
        for address, holder in sorted(by_address.items()):
            pref = prefs.get(holder.pk)
            facts = rules.Facts(
                erased=_erased(holder, address),
                limit=limits.get(holder.pk, ""),
                topics=frozenset(pref[3]) if pref and pref[2] else None,
                unsubscribed=holder.pk in left,
                needs_phone=not holder.phone,
            )
            reason = rules.reason_not_reached(facts, topic=topic)
            people.append(Person(holder.phone, holder.pk, None, reason))
        return people
    for address in sorted(set(by_address) | set(subs)):
        account = by_address.get(address)
        sub = subs.get(address)
        user_id = account.pk if account else (sub[4] if sub else None)
        topics: set[str] | None = None
        if sub and sub[2] == Status.CONFIRMED:
            topics = set(sub[3])
        pref = prefs.get(account.pk) if account else None
        if pref and pref[1]:
            topics = (topics or set()) | set(pref[3])
        facts = rules.Facts(
            erased=_erased(account, address),
            limit=limits.get(user_id, "") if user_id else "",
            topics=frozenset(topics) if topics is not None else None,
            unsubscribed=bool(sub and sub[2] == Status.UNSUBSCRIBED) or user_id in left,
            pending=bool(sub and sub[2] == Status.PENDING),
        )
        reason = rules.reason_not_reached(facts, topic=topic)
        people.append(Person(address, user_id, sub[0] if sub else None, reason))
    return people


def marketing_recipients(*, topic: str, channel: str = Channel.EMAIL) -> list[Person]:
    """Return the people a campaign on ``topic`` may reach, and nobody else (PURP-2)."""
    return [person for person in _people(topic=topic, channel=channel) if person.reachable]


def reach_summary(*, topic: str, channel: str = Channel.EMAIL) -> Reach:
    """Count the people a campaign would reach, and the others per reason, in
    ``rules.REASONS`` order (reasons nobody has are left out)."""
    counted = Counter(person.reason for person in _people(topic=topic, channel=channel))
    reachable = counted.pop(rules.REACHABLE, 0)
    return Reach(
        reachable=reachable,
        reasons={reason: counted[reason] for reason in rules.REASONS if counted[reason]},
    )


def reach_of(
    *, addresses: Iterable[str], topic: str, channel: str = Channel.EMAIL
) -> dict[str, Person]:
    """Judge each of ``addresses`` (held by the caller) for one campaign, at this moment."""
    wanted = {rules.normalise_email(address) for address in addresses if address.strip()}
    found = {p.address: p for p in _people(topic=topic, channel=channel, addresses=wanted)}
    return {
        address: found.get(address, Person(address, None, None, rules.NOT_SUBSCRIBED))
        for address in sorted(wanted)
    }


# --- A person's own choices ----------------------------------------------------------------


def subscriptions_of(*, user: User) -> QuerySet[NewsletterSubscription]:
    """Return the subscriptions of ``user``: linked to the account or under its address."""
    return NewsletterSubscription.objects.filter(
        Q(user=user) | Q(email=rules.normalise_email(user.email))
    )


def preference_view(*, user: User) -> PreferenceView:
    """Return what ``user`` receives: their preferences and any confirmed subscription."""
    pref = MarketingPreference.objects.filter(user=user).first()
    confirmed = list(
        subscriptions_of(user=user).filter(status=Status.CONFIRMED).values_list("topics", flat=True)
    )
    topics = set(pref.topics if pref else [])
    for chosen in confirmed:
        topics |= set(chosen)
    limit = _limits({user.pk}).get(user.pk, "")
    return PreferenceView(
        email=bool(pref and pref.email) or bool(confirmed),
        sms=bool(pref and pref.sms),
        topics=[topic for topic in TOPICS if topic in topics],
        limit=limit,
    )


def subscription_pending(*, token: str) -> NewsletterSubscription | None:
    """Return the subscription awaiting the confirmation link ``token``, if any."""
    if not token:
        return None
    return NewsletterSubscription.objects.filter(
        token_hash=rules.token_hash(token), status=Status.PENDING
    ).first()


def address_known(*, address: str) -> bool:
    """Tell whether ``address`` belongs to an account or a newsletter subscription."""
    email = rules.normalise_email(address)
    return (
        NewsletterSubscription.objects.filter(email=email).exists()
        or User._base_manager.filter(email__iexact=email).exists()
    )


def account_by_address(*, address: str) -> User | None:
    return User._base_manager.filter(email__iexact=rules.normalise_email(address)).first()


# --- Campaigns and audiences ---------------------------------------------------------------


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("created_by")


def campaign_get(*, pk: int) -> Campaign | None:
    return Campaign.objects.select_related("created_by").filter(pk=pk).first()


def audience_export_list() -> QuerySet[AudienceExport]:
    return AudienceExport.objects.select_related("created_by")


def advertising_audience() -> list[tuple[int, str]]:
    """Return ``(user id, email)`` of everyone an advertising partner may receive (SHARE-4).

    Only people whose latest cookie choice allows advertising (a Global Privacy Control
    signal or the Do Not Sell page records a choice without it), with no objection or
    restriction on advertising audiences, and not erased or closed.
    """
    rows: dict[int, Any] = dict(
        User._base_manager.filter(is_active=True)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .values_list("pk", "email")
    )
    consented = consent_user_ids(category=ADVERTISING, user_ids=rows)
    allowed = people_allowed(user_ids=consented, purpose=purposes.MARKETING_AUDIENCES)
    return sorted((pk, str(rows[pk])) for pk in allowed)
