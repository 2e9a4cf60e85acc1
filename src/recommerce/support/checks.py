"""Deployment checks of after-sales: no sandbox provider in production (docs/deploy.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from recommerce.support.providers.activation import SandboxActivationLock
from recommerce.support.providers.identity import SandboxIdentityVerifier


def _backend(name: str) -> type:
    configured = settings.PROVIDERS[name]
    path = configured["BACKEND"] if isinstance(configured, dict) else configured
    found: type = import_string(path)
    return found


@checks.register(checks.Tags.security, deploy=True)
def check_real_after_sales_providers(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    errors: list[checks.CheckMessage] = []
    if issubclass(_backend("activation_lock"), SandboxActivationLock):
        errors.append(
            checks.Error(
                "The sandbox activation-lock service is the active one: it answers from the "
                "IMEI's digits, and a buyer can release a returned device themselves, so a "
                "device still locked to someone's account could be refunded (SEC-3).",
                hint="Set ACTIVATION_LOCK_URL and ACTIVATION_LOCK_API_KEY (an IMEI-checking "
                "service over HTTPS).",
                id="support.E101",
            )
        )
    if issubclass(_backend("identity"), SandboxIdentityVerifier):
        errors.append(
            checks.Error(
                "The sandbox identity-verification service is the active one: a live identity "
                "check passes on a file's name.",
                hint="Set STRIPE_SECRET_KEY and IDENTITY_WEBHOOK_SECRET (Stripe Identity).",
                id="support.E102",
            )
        )
    return errors
