"""Deployment check of the demo: its accounts, whose passwords are published, must not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from recommerce.accounts.models import User
from recommerce.demo.people import DEMO_LOGINS


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_accounts(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    emails = [email for _, email, _ in DEMO_LOGINS]
    try:
        found = sorted(User.objects.filter(email__in=emails).values_list("email", flat=True))
    except DatabaseError:
        return []  # no database yet (before migrate): no account either
    if not found:
        return []
    return [
        checks.Error(
            f"The database holds demo accounts whose passwords are published: {', '.join(found)}.",
            hint="Use a database without the demo data set, or delete these accounts "
            "(recommerce shell, or the admin).",
            id="demo.E001",
        )
    ]
