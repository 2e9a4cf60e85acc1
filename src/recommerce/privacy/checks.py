"""System check: every field of every project model is classified in the privacy registry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db import models

from recommerce.privacy.registry import Registry, registry

PROJECT_PACKAGE = "recommerce."


def project_models() -> list[type[models.Model]]:
    """Return the concrete models of the project's apps, plus the user model."""
    found = [
        model
        for model in apps.get_models()
        if model.__module__.startswith(PROJECT_PACKAGE) and not model._meta.proxy
    ]
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model not in found:
        found.append(user_model)
    return found


def field_names(model: type[models.Model]) -> list[str]:
    """Return the names of the model's own stored fields (columns and many-to-many)."""
    names = [f.name for f in model._meta.concrete_fields]
    names += [f.name for f in model._meta.local_many_to_many]
    return names


def registry_errors(
    models_to_check: Iterable[type[models.Model]], reg: Registry
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    known: set[tuple[str, str]] = set()
    for model in models_to_check:
        for name in field_names(model):
            known.add((model._meta.label, name))
            if not reg.is_classified(model, name):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{name} is not classified in the privacy registry.",
                        hint=(
                            f"Declare it in {model._meta.app_config.name}.privacy with "
                            "personal(...) or not_personal(...)."
                        ),
                        obj=model,
                        id="privacy.E001",
                    )
                )
    labels = {m._meta.label for m in models_to_check}
    for key in reg.classified_keys():
        if key[0] in labels and key not in known:
            errors.append(
                checks.Error(
                    f"{key[0]}.{key[1]} is registered but the model has no such field.",
                    id="privacy.E002",
                )
            )
    return errors


@checks.register("privacy")
def check_registry_complete(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    models_to_check = project_models()
    if app_configs is not None:
        chosen = {c.label for c in app_configs}
        models_to_check = [m for m in models_to_check if m._meta.app_label in chosen]
    return registry_errors(models_to_check, registry)
