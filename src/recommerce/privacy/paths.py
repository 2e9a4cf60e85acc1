"""Lookup paths of the registry: from a model to its subject, and to its retention clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

SELF = "self"


def path_target(model: type[models.Model], path: str) -> models.Field[Any, Any] | None:
    """Return the field a ``__``-separated lookup path ends on, or ``None`` if it breaks."""
    current: type[models.Model] = model
    found: Any = None
    for step in path.split("__"):
        try:
            found = current._meta.get_field(step)
        except Exception:  # FieldDoesNotExist and friends: the path is wrong
            return None
        if found.is_relation and found.related_model is not None:
            current = found.related_model
        elif step != path.split("__")[-1]:
            return None
    return found  # type: ignore[no-any-return]


def subject_paths(subject: str) -> list[str]:
    return [part.strip() for part in subject.split("|") if part.strip()]


def path_reaches_user(model: type[models.Model], path: str) -> bool:
    """Tell whether ``path`` from ``model`` lands on the user model (``self`` on the user)."""
    user_label = settings.AUTH_USER_MODEL
    if path == SELF:
        return model._meta.label == user_label
    target = path_target(model, path)
    related = getattr(target, "related_model", None)
    return bool(target is not None and target.is_relation and _label(related) == user_label)


def _label(model: Any) -> str:
    return str(model._meta.label) if model is not None and model != "self" else ""


def subject_q(subject: Any, user: Any) -> Q | None:
    """Return the filter selecting ``user``'s rows for a registry subject, or ``None``."""
    if subject is None:
        return None
    if callable(subject):
        return subject(user)  # type: ignore[no-any-return]
    query = Q()
    for path in subject_paths(subject):
        query |= Q(pk=user.pk) if path == SELF else Q(**{path: user.pk})
    return query


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """Return the model's own stored field ``name`` (registry fields are never reverse links)."""
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a stored field.")
    return found


def by_email_or(link: str) -> Callable[[Any], Q]:
    """Return a subject matching rows under the person's email address or linked by ``link``.

    For records that can exist before the account (an invitation, a newsletter sign-up).
    """

    def subject(user: Any) -> Q:
        return Q(email__iexact=user.email) | Q(**{link: user.pk})

    return subject
