"""System check: every field of every project model is classified in the privacy registry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db import models

from recommerce.privacy.paths import path_reaches_user, path_target, subject_paths
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
    errors += path_errors(models_to_check, reg)
    errors += presentation_errors(models_to_check, reg)
    errors += encrypted_errors(models_to_check, reg)
    return errors


def encrypted_errors(
    models_to_check: Iterable[type[models.Model]], reg: Registry
) -> list[checks.CheckMessage]:
    """Check that encrypted fields are registered so the code can still open them.

    A loaded encrypted value is sealed; only ``sensitive_read`` opens it, for a sensitive
    field and a declared purpose (PURP-2). The person's export opens it to answer their
    access request, so an exported one declares that purpose; a keyed hash of ciphertext
    would join every row, so none is pseudonymised.
    """
    from recommerce.privacy.encryption import EncryptedTextField
    from recommerce.privacy.purposes import LEGAL_DATA_PROTECTION
    from recommerce.privacy.registry import Erasure

    errors: list[checks.CheckMessage] = []
    for model in models_to_check:
        for item in reg.fields_of(model):
            if not isinstance(model._meta.get_field(item.field_name), EncryptedTextField):
                continue
            where = f"{model._meta.label}.{item.field_name}"
            if not item.sensitive:
                errors.append(
                    checks.Error(
                        f"{where} is encrypted but not registered as sensitive: nothing could "
                        "read it.",
                        hint="Add sensitive=True to its personal(...) declaration.",
                        id="privacy.E012",
                    )
                )
            exported = item.exported and item.subject is not None
            if exported and LEGAL_DATA_PROTECTION not in item.purposes:
                errors.append(
                    checks.Error(
                        f"{where} is encrypted and exported: the export opens it to answer the "
                        "person's access request, a purpose it must declare.",
                        hint="Add purposes.LEGAL_DATA_PROTECTION, or exported=False.",
                        id="privacy.E012",
                    )
                )
            if item.erasure is Erasure.PSEUDONYMISE:
                errors.append(
                    checks.Error(
                        f"{where} is encrypted and cannot be pseudonymised.",
                        hint="Choose delete, anonymise or legal hold.",
                        id="privacy.E013",
                    )
                )
    return errors


def path_errors(
    models_to_check: Iterable[type[models.Model]], reg: Registry
) -> list[checks.CheckMessage]:
    """Check that subjects lead to the user model and retention clocks to dates.

    The rights engine follows these paths to find a person's rows and the retention job to
    date them; a wrong path would leave data out of an export or an erasure silently.
    """
    errors: list[checks.CheckMessage] = []
    for model in models_to_check:
        for item in reg.fields_of(model):
            where = f"{model._meta.label}.{item.field_name}"
            if isinstance(item.subject, str):
                for path in subject_paths(item.subject):
                    if not path_reaches_user(model, path):
                        errors.append(
                            checks.Error(
                                f"{where}: subject path {path!r} does not lead to the user.",
                                hint="Use a lookup path such as 'buyer' or 'order__buyer'.",
                                id="privacy.E003",
                            )
                        )
            elif item.subject is None and not item.subject_note:
                errors.append(
                    checks.Error(
                        f"{where}: a field with no subject path needs a subject_note.",
                        id="privacy.E003",
                    )
                )
            for path in item.retention.clock:
                target = path_target(model, path)
                if not isinstance(target, models.DateField | models.DateTimeField):
                    errors.append(
                        checks.Error(
                            f"{where}: retention clock {path!r} is not a date field.",
                            id="privacy.E004",
                        )
                    )
    return errors


def presentation_errors(
    models_to_check: Iterable[type[models.Model]], reg: Registry
) -> list[checks.CheckMessage]:
    """Check the paths the export summary reads (``registry.present``): a wrong one would
    fail every export of a person holding such a record."""
    errors: list[checks.CheckMessage] = []
    for model in models_to_check:
        if model._meta.label not in reg.presentations:
            continue
        shown = reg.presentation(model)
        paths = [path for _, path in shown.context] + [p for p in (shown.currency,) if p]
        for path in paths:
            if path_target(model, path) is None:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}: summary path {path!r} leads to no field.",
                        id="privacy.E005",
                    )
                )
        if shown.within:
            target = path_target(model, shown.within)
            if target is None or not (target.many_to_one or target.one_to_one):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}: 'within' {shown.within!r} is not a foreign key.",
                        id="privacy.E005",
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
