"""Fixtures of the analytics tests: a browser's consent cookie, as the banner sets it."""

from __future__ import annotations

from django.test import Client

from recommerce.privacy.consent import COOKIE_NAME
from recommerce.privacy.consent.cookie import cookie_value


def consent_cookie(client: Client, *categories: str, browser_id: str = "browser-one") -> Client:
    """Give ``client`` the signed consent cookie allowing ``categories`` (none: refused)."""
    client.cookies[COOKIE_NAME] = cookie_value(
        categories=list(categories), version="2026-11-01", browser_id=browser_id
    )
    return client
