"""Cookie and tracking choices kept as evidence (CONSENT-2), and the US opt-out of sharing
for cross-context behavioural advertising (CONSENT-3, SHARE-4's signal side).

A record holds who (the account, or a keyed hash of the consent cookie's random id), what
(the optional categories allowed), which notice version was in force, when and how. The IP
address is kept only as a keyed hash, never in clear.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from recommerce.privacy.consent import ADVERTISING, categories_clean
from recommerce.privacy.consent.selectors import consent_gpc_is_news
from recommerce.privacy.encryption import blind_index
from recommerce.privacy.models import ConsentRecord, ProcessingLimit
from recommerce.privacy.purposes import MARKETING_AUDIENCES
from recommerce.privacy.services.limits import processing_limit_set

Method = ConsentRecord.Method
OPT_OUT_METHODS = (Method.GPC, Method.OPT_OUT)
# A signed-in visitor's GPC signal is checked against the records once a day at most.
GPC_CHECK_SECONDS = 24 * 60 * 60


def gpc_checked_key(user_id: int) -> str:
    return f"privacy.consent.gpc-checked.{user_id}"


def _person(user: Any) -> Any | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def consent_record_create(
    *,
    user: Any,
    browser_id: str,
    categories: Iterable[str],
    notice_version: str,
    method: str,
    ip: str,
) -> ConsentRecord:
    """Record one choice about cookies and tracking (CONSENT-2).

    ``browser_id`` (the consent cookie's random id) and ``ip`` are stored as keyed hashes.
    Raises ``UnknownCategory`` for a category the site does not have, ``ValueError`` for
    an unknown method.
    """
    if method not in Method.values:
        raise ValueError(f"Unknown consent method {method!r}.")
    allowed = categories_clean(categories)
    person = _person(user)
    record = ConsentRecord.objects.create(
        user=person,
        browser=blind_index(browser_id, purpose="consent.browser") if browser_id else "",
        categories=allowed,
        notice_version=notice_version,
        method=method,
        ip_hash=blind_index(ip, purpose="consent.ip") if ip else "",
    )
    if person is not None and ADVERTISING in allowed:
        # A later GPC signal from this person is news again: check it on the next request.
        cache.delete(gpc_checked_key(person.pk))
    return record


@transaction.atomic
def consent_opt_out(
    *,
    user: Any,
    browser_id: str,
    categories: Iterable[str],
    notice_version: str,
    ip: str,
    method: str = Method.OPT_OUT,
) -> ConsentRecord:
    """Record an opt-out of sharing for advertising (the opt-out page or a GPC signal).

    The record keeps the other categories and drops advertising. For a signed-in person it
    also puts an objection to advertising audiences in force, so that every audience export
    skips them whichever browser they use next (SHARE-4).
    """
    if method not in OPT_OUT_METHODS:
        raise ValueError(f"{method!r} is not an opt-out method.")
    kept = [category for category in categories_clean(categories) if category != ADVERTISING]
    record = consent_record_create(
        user=user,
        browser_id=browser_id,
        categories=kept,
        notice_version=notice_version,
        method=method,
        ip=ip,
    )
    person = _person(user)
    if person is not None:
        processing_limit_set(
            user=person,
            purpose=MARKETING_AUDIENCES,
            kind=ProcessingLimit.Kind.OBJECTION,
            reason="Opted out of sharing for advertising"
            + (" (Global Privacy Control signal)." if method == Method.GPC else "."),
        )
    return record


@transaction.atomic
def consent_gpc_honour(
    *,
    user: Any,
    browser_id: str,
    categories: Iterable[str],
    notice_version: str,
    ip: str,
) -> ConsentRecord | None:
    """Treat a Global Privacy Control signal as an opt-out of sharing (CONSENT-3).

    A signed-in person's signal is recorded once: again only after they allowed
    advertising since (returns None when there is nothing new to record).
    """
    person = _person(user)
    if person is not None and not consent_gpc_is_news(user=person):
        return None
    return consent_opt_out(
        user=person,
        browser_id=browser_id,
        categories=categories,
        notice_version=notice_version,
        ip=ip,
        method=Method.GPC,
    )
