"""Fixtures of the marketing tests: a site address, subscribers, staff with a permission."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from recommerce.accounts.models import User
from recommerce.marketing.models import MarketingPreference, NewsletterSubscription
from recommerce.platform import clock
from tests.accounts.conftest import make_staff, make_user

SITE = "https://shop.example"
SECRET = "inbound-shared-secret-for-tests"


@pytest.fixture(autouse=True)
def _marketing_settings(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Recommerce <no-reply@shop.example>"
    settings.INBOUND_EMAIL_SECRET = SECRET
    settings.PRIVACY_MIN_GROUP = 1
    # Password hashing is not under test here; these tests make many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def subscriber(
    email: str, *, topics: tuple[str, ...] = ("offers",), status: str = "confirmed", **extra: Any
) -> NewsletterSubscription:
    """Write a subscription as the sign-up and its confirmation would leave it."""
    now = clock.now()
    return NewsletterSubscription.objects.create(
        email=email,
        country=extra.pop("country", "FR"),
        topics=list(topics),
        status=status,
        consent_text_version="newsletter-2026-11",
        source="newsletter_page",
        confirmation_sent_at=now,
        confirmed_at=now if status == "confirmed" else None,
        **extra,
    )


def opted_in(user: User, *, topics: tuple[str, ...] = ("offers",), sms: bool = False) -> User:
    MarketingPreference.objects.create(user=user, email=True, sms=sms, topics=list(topics))
    return user


def staff_with(*permissions: str, email: str | None = None) -> User:
    """Create a staff member holding exactly ``permissions`` (dotted names)."""
    user = make_staff(None, email)
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def link(pattern: str, message: Any) -> str:
    """Return the first URL path under ``pattern`` found in ``message``'s text body."""
    found = re.search(rf"{re.escape(SITE)}(/marketing/{pattern}/[^/\s]+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def marketing_messages() -> list[Any]:
    return [m for m in mail.outbox if m.extra_headers.get("X-Recommerce-Category") == "marketing"]


__all__ = ["make_user", "marketing_messages", "opted_in", "staff_with", "subscriber"]
