"""Deployment check of payments: no sandbox provider in production (docs/deploy.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from recommerce.payments.providers.sandbox import SandboxPaymentProvider


@checks.register(checks.Tags.security, deploy=True)
def check_real_payment_provider(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    backend = settings.PROVIDERS["payments"]["BACKEND"]
    if not issubclass(import_string(backend), SandboxPaymentProvider):
        return []
    return [
        checks.Error(
            "The sandbox payment provider is the active provider: anyone can pay with its "
            "test cards, and orders are placed without money being taken.",
            hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments with Stripe.",
            id="payments.E101",
        )
    ]
