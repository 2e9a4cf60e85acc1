"""Deployment checks of encryption at rest: keys shared by every machine (docs/deploy.md).

Without ``ENCRYPTION_KEYS`` or ``BLIND_INDEX_KEY`` each machine makes its own key file in
``VAR_DIR`` on first use, and no machine can read what another one encrypted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from recommerce.privacy.encryption.keys import BLIND_INDEX_KEY_FILE, KEYS_FILE

KEEP = "To keep reading data already encrypted here, use the content of {path}."


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_keys_configured(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    var_dir = Path(settings.VAR_DIR)
    errors: list[checks.CheckMessage] = []
    if not settings.ENCRYPTION_KEYS:
        path = var_dir / KEYS_FILE
        errors.append(
            checks.Error(
                f"ENCRYPTION_KEYS is not set: sensitive fields are encrypted with a key "
                f"generated in {path} on this machine, which other machines cannot read.",
                hint="Set ENCRYPTION_KEYS (comma-separated Fernet keys, newest first) on every "
                "machine (e.g. python3 -c 'import base64, os; "
                "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'). "
                + KEEP.format(path=path),
                id="privacy.E101",
            )
        )
    if not settings.BLIND_INDEX_KEY:
        path = var_dir / BLIND_INDEX_KEY_FILE
        errors.append(
            checks.Error(
                f"BLIND_INDEX_KEY is not set: searchable hashes of encrypted values use a key "
                f"generated in {path} on this machine, so other machines find nothing.",
                hint="Set BLIND_INDEX_KEY (32 or more random characters) on every machine "
                "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'). "
                + KEEP.format(path=path),
                id="privacy.E102",
            )
        )
    return errors
