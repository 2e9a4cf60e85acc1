"""Marketing settings, each read from ``settings`` first, then the environment, then a default.

- ``INBOUND_EMAIL_SECRET`` (env ``INBOUND_EMAIL_SECRET``): the shared secret the mail
  server sends in ``X-Inbound-Secret`` when it posts a received message; empty switches
  the inbound endpoint off.
- ``MARKETING_UNSUBSCRIBE_MAILBOX`` (env of the same name): the address of the ``mailto:``
  unsubscribe; default ``unsubscribe@`` the domain of ``DEFAULT_FROM_EMAIL``.
- ``MARKETING_TEAM_EMAIL`` (env of the same name): who is told to refresh an advertising
  audience after an erasure; default ``marketing@`` that same domain.
- ``MARKETING_AD_PARTNERS`` (env, comma-separated): the partners audiences go to.
"""

from __future__ import annotations

import os
from email.utils import parseaddr

from django.conf import settings

DEFAULT_AD_PARTNERS = ("Google Ads", "Meta Ads")


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, "") or default)


def _sender_domain() -> str:
    address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]
    return address.rpartition("@")[2] or "localhost"


def inbound_secret() -> str:
    return _setting("INBOUND_EMAIL_SECRET", "")


def unsubscribe_mailbox() -> str:
    return _setting("MARKETING_UNSUBSCRIBE_MAILBOX", f"unsubscribe@{_sender_domain()}")


def team_email() -> str:
    return _setting("MARKETING_TEAM_EMAIL", f"marketing@{_sender_domain()}")


def ad_partners() -> tuple[str, ...]:
    configured = getattr(settings, "MARKETING_AD_PARTNERS", None)
    if configured:
        return tuple(str(name) for name in configured)
    names = [name.strip() for name in os.environ.get("MARKETING_AD_PARTNERS", "").split(",")]
    return tuple(name for name in names if name) or DEFAULT_AD_PARTNERS
