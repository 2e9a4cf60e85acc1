"""Consent to marketing and its withdrawal (CONSENT-4): newsletter sign-up with a
confirmation link, preferences per channel and topic, and unsubscribing by any route.

Unsubscribing stops every marketing email to the address and leaves account and order
messages alone: those go through ``send_templated(transactional=True)``, which no
marketing choice gates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from recommerce.accounts.models import User
from recommerce.marketing import rules, selectors
from recommerce.marketing.models import (
    TOPICS,
    Campaign,
    Channel,
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.platform import clock
from recommerce.platform.mail import send_templated

Status = NewsletterSubscription.Status
Method = UnsubscribeEvent.Method
# The consent texts shown next to the boxes; a new wording gets a new version.
NEWSLETTER_TEXT_VERSION = "newsletter-2026-11"
PREFERENCES_TEXT_VERSION = "preferences-2026-11"
CONFIRM_DAYS = 7
# One confirmation email per address in this window: a form cannot be used to flood a box.
RESEND_SECONDS = 600
UNSUBSCRIBE_SALT = "recommerce.marketing.unsubscribe"


class LinkInvalid(ValueError):
    """A confirmation or unsubscribe link that is forged, used or expired."""


def _clean_topics(topics: Sequence[str]) -> list[str]:
    unknown = sorted(set(topics) - set(TOPICS))
    if unknown:
        raise ValidationError({"topics": f"Unknown topic: {', '.join(unknown)}."})
    return [topic for topic in TOPICS if topic in topics]


def _first_in_window(kind: str, email: str) -> bool:
    key = f"marketing:{kind}:{hashlib.sha256(email.encode()).hexdigest()}"
    return bool(cache.add(key, True, RESEND_SECONDS))


def _link(name: str, token: str) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[token])}"


# --- Newsletter ----------------------------------------------------------------------------


@transaction.atomic
def newsletter_subscribe(
    *,
    email: str,
    country: str,
    topics: Sequence[str],
    source: str = NewsletterSubscription.Source.NEWSLETTER_PAGE,
    user: User | None = None,
) -> None:
    """Ask ``email`` to confirm its subscription; nothing marketing is sent before that.

    The answer never says whether the address was known: an already confirmed address
    is told so by email, and its topics change only from its own preferences.
    """
    address = rules.normalise_email(email)
    chosen = _clean_topics(topics)
    if not chosen:
        raise ValidationError({"topics": "Choose at least one topic."})
    found = NewsletterSubscription.objects.select_for_update().filter(email=address).first()
    if not _first_in_window("subscribe", address):
        return
    if found is not None and found.status == Status.CONFIRMED:
        transaction.on_commit(lambda: _mail_already(address, found))
        return
    sub = found or NewsletterSubscription(email=address)
    token = secrets.token_urlsafe(32)
    sub.country, sub.topics, sub.source = country.upper(), chosen, source
    sub.consent_text_version = NEWSLETTER_TEXT_VERSION
    sub.status, sub.token_hash = Status.PENDING, rules.token_hash(token)
    sub.confirmation_sent_at = sub.confirmed_at = sub.unsubscribed_at = None
    # Only the account's own address is tied to it: a typed address may be someone else's.
    if user is not None and rules.normalise_email(user.email) == address:
        sub.user = user
    if not rules.double_opt_in_required(country):
        sub.status, sub.token_hash, sub.confirmed_at = Status.CONFIRMED, "", clock.now()
        sub.save()
        return
    sub.confirmation_sent_at = clock.now()
    sub.save()
    transaction.on_commit(lambda: _mail_confirm(address, token))


def _mail_confirm(address: str, token: str) -> None:
    send_templated(
        to=[address],
        subject="confirm your newsletter subscription",
        template="marketing/email/confirm",
        context={"confirm_url": _link("marketing:newsletter-confirm", token), "days": CONFIRM_DAYS},
    )


def _mail_already(address: str, sub: NewsletterSubscription) -> None:
    send_templated(
        to=[address],
        subject="you are already subscribed",
        template="marketing/email/already_subscribed",
        context={
            "unsubscribe_url": _link(
                "marketing:unsubscribe", unsubscribe_token(user_id=None, subscription_id=sub.pk)
            )
        },
    )


@transaction.atomic
def newsletter_confirm(*, token: str) -> NewsletterSubscription:
    """Confirm the subscription the emailed link names (``LinkInvalid`` otherwise)."""
    sub = (
        NewsletterSubscription.objects.select_for_update()
        .filter(token_hash=rules.token_hash(token), status=Status.PENDING)
        .first()
        if token
        else None
    )
    if sub is None:
        raise LinkInvalid(
            "This confirmation link is not valid: it was already used, or a newer one was sent."
        )
    sent = sub.confirmation_sent_at or sub.created_at
    if sent + dt.timedelta(days=CONFIRM_DAYS) < clock.now():
        raise LinkInvalid(
            f"This confirmation link expired after {CONFIRM_DAYS} days: sign up again to get "
            "a new one."
        )
    sub.status, sub.token_hash, sub.confirmed_at = Status.CONFIRMED, "", clock.now()
    sub.save(update_fields=["status", "token_hash", "confirmed_at", "updated_at"])
    return sub


# --- Unsubscribing -------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int | None, subscription_id: int | None) -> str:
    """Return the signed, never-expiring token of an unsubscribe link.

    It names the account when there is one (all its addresses' marketing stops), else the
    subscription; the signature, salted for this use only, is what makes it unforgeable.
    """
    if user_id:
        ref = f"u{user_id}"
    elif subscription_id:
        ref = f"s{subscription_id}"
    else:
        raise ValueError("An unsubscribe link names an account or a subscription.")
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(ref)


def unsubscribe_url(*, user_id: int | None, subscription_id: int | None) -> str:
    return _link(
        "marketing:unsubscribe",
        unsubscribe_token(user_id=user_id, subscription_id=subscription_id),
    )


def _target(token: str) -> tuple[str, int]:
    try:
        ref = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise LinkInvalid("This unsubscribe link is not valid: it may be cut short.") from error
    if len(ref) < 2 or ref[0] not in "us" or not ref[1:].isdigit():
        raise LinkInvalid("This unsubscribe link is not valid: it may be cut short.")
    return ref[0], int(ref[1:])


def unsubscribe_link_check(*, token: str) -> None:
    """Raise ``LinkInvalid`` unless ``token`` is a genuine unsubscribe link."""
    _target(token)


def marketing_unsubscribe_by_link(*, token: str, method: str) -> bool:
    """Stop marketing email to whoever the link names; repeat calls change nothing.

    Return whether anything changed. A link whose person or subscription is gone (erased,
    past retention) has nothing left to stop, which is no error.
    """
    kind, pk = _target(token)
    if kind == "u":
        user = User._base_manager.filter(pk=pk).first()
        if user is None:
            return False
        return marketing_unsubscribe(address=user.email, user=user, method=method)
    sub = NewsletterSubscription.objects.select_related("user").filter(pk=pk).first()
    if sub is None:
        return False
    return marketing_unsubscribe(address=sub.email, user=sub.user, method=method)


@transaction.atomic
def marketing_unsubscribe(
    *,
    address: str,
    user: User | None = None,
    method: str,
    campaign: Campaign | None = None,
) -> bool:
    """Stop every marketing email to ``address`` (and to ``user``'s subscriptions).

    Record one ``UnsubscribeEvent`` when something stopped; return whether it did.
    """
    email = rules.normalise_email(address)
    if user is None:
        user = selectors.account_by_address(address=email)
    now = clock.now()
    match = Q(email=email) | Q(user=user) if user is not None else Q(email=email)
    changed = (
        NewsletterSubscription.objects.filter(match)
        .exclude(status=Status.UNSUBSCRIBED)
        .update(status=Status.UNSUBSCRIBED, unsubscribed_at=now, token_hash="", updated_at=now)
    )
    if user is not None:
        changed += MarketingPreference.objects.filter(user=user, email=True).update(
            email=False, updated_at=now
        )
    if changed:
        UnsubscribeEvent.objects.create(
            email=email, user=user, channel=Channel.EMAIL, method=method, campaign=campaign
        )
    return bool(changed)


# --- Preferences ---------------------------------------------------------------------------


@transaction.atomic
def marketing_preference_set(
    *, user: User, email: bool, sms: bool, topics: Sequence[str]
) -> MarketingPreference:
    """Record ``user``'s choices; switching a channel off counts as unsubscribing from it.

    A confirmed newsletter subscription of the account follows the chosen topics, so the
    profile says exactly what the person receives.
    """
    chosen = _clean_topics(topics)
    if (email or sms) and not chosen:
        raise ValidationError({"topics": "Choose at least one topic, or no channel."})
    before = selectors.preference_view(user=user)
    if before.email and not email:
        marketing_unsubscribe(address=user.email, user=user, method=Method.PROFILE)
    pref, _ = MarketingPreference.objects.select_for_update().get_or_create(user=user)
    pref.email, pref.sms, pref.topics = email, sms, chosen
    pref.consent_text_version = PREFERENCES_TEXT_VERSION
    pref.save()
    if email:
        selectors.subscriptions_of(user=user).filter(status=Status.CONFIRMED).update(
            topics=chosen, updated_at=clock.now()
        )
    if before.sms and not sms:
        UnsubscribeEvent.objects.create(
            email=rules.normalise_email(user.email),
            user=user,
            channel=Channel.SMS,
            method=Method.PROFILE,
        )
    return pref
