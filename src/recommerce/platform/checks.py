"""Deployment check of the platform: a SECRET_KEY shared by every machine (docs/deploy.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_configured(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG or not getattr(settings, "SECRET_KEY_FROM_FILE", False):
        return []
    path = Path(settings.VAR_DIR) / "secret_key"
    return [
        checks.Error(
            f"SECRET_KEY comes from {path}, a key generated on this machine: every machine "
            "would make its own and reject the sessions, password-reset links and signatures "
            "of the others.",
            hint="Set SECRET_KEY in the environment, the same on every machine "
            "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))').",
            id="platform.E101",
        )
    ]
