"""Load the configured implementation of each external service (a provider).

``settings.PROVIDERS`` maps a provider name to the dotted path of a class, or to a dict
``{"BACKEND": "dotted.path", "OPTIONS": {...}}`` whose options become keyword arguments::

    PROVIDERS = {"vat_lookup": "recommerce.accounts.providers.vat.SandboxVatLookup"}

``get_provider(name)`` instantiates the class once per process and returns that instance
until the setting changes (``override_settings`` included) or ``clear_provider_cache`` runs.
Each app owns its provider interfaces and offers a typed accessor over ``get_provider``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

__all__ = [
    "ProviderError",
    "ProviderUnavailable",
    "clear_provider_cache",
    "get_provider",
]


class ProviderError(Exception):
    """Report a provider's refusal or failure that retrying the same request will not fix.

    ``code`` carries the provider's own error code (e.g. VIES's ``INVALID_INPUT``), if any.
    """

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class ProviderUnavailable(ProviderError):
    """Report that the provider is temporarily unavailable: retry the request later."""


_instances: dict[str, Any] = {}
_lock = threading.Lock()


def get_provider(name: str) -> Any:
    """Return the process-wide instance of the provider configured as ``name``."""
    try:
        return _instances[name]
    except KeyError:
        pass
    with _lock:
        # Another thread may have built it while this one waited for the lock.
        if name not in _instances:
            _instances[name] = _build(name)
        return _instances[name]


def clear_provider_cache() -> None:
    """Forget every provider instance, so the next ``get_provider`` builds a new one."""
    with _lock:
        _instances.clear()


def _build(name: str) -> Any:
    configured: Mapping[str, Any] = getattr(settings, "PROVIDERS", {})
    if name not in configured:
        raise ImproperlyConfigured(f"No provider named {name!r} in settings.PROVIDERS.")
    entry = configured[name]
    if isinstance(entry, str):
        path, options = entry, {}
    elif isinstance(entry, Mapping) and isinstance(entry.get("BACKEND"), str):
        path, options = entry["BACKEND"], dict(entry.get("OPTIONS", {}))
    else:
        raise ImproperlyConfigured(
            f"settings.PROVIDERS[{name!r}] must be a dotted class path or a dict with "
            f'"BACKEND" and optional "OPTIONS", not {entry!r}.'
        )
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"settings.PROVIDERS[{name!r}] names {path!r}, which cannot be imported: {exc}"
        ) from exc
    return cls(**options)


@receiver(setting_changed)
def _forget_providers_on_change(*, setting: str, **kwargs: Any) -> None:
    # override_settings(PROVIDERS=...) must reach code that already built a provider.
    if setting == "PROVIDERS":
        clear_provider_cache()
