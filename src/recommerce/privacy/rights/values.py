"""What an erased value becomes, by field type and strategy."""

from __future__ import annotations

from typing import Any

from django.db import models

from recommerce.privacy.encryption import blind_index
from recommerce.privacy.registry import Erasure

KEEP = object()
"""Marker: the field keeps its value (numbers and dates carry nothing once detached)."""

ERASED_TEXT = "[erased]"
ERASED_DOMAIN = "erased.invalid"


def erased_value(field: models.Field[Any, Any], strategy: Erasure, current: Any, pk: Any) -> Any:
    """Return the value ``field`` takes when its subject is erased, or ``KEEP``.

    Relations and nullable fields become empty; text becomes blank, or a marker where blank
    is not allowed; unique emails get a per-row address under a reserved domain. A
    pseudonymised text keeps a keyed hash, so equal values still group together.
    """
    if strategy is Erasure.LEGAL_HOLD:
        return KEEP
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return None if field.null else KEEP
    if isinstance(field, models.JSONField):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        # A column that may not be null keeps an empty value of the shape it held.
        return [] if isinstance(current, list) else {}
    if isinstance(field, models.CharField | models.TextField):
        if strategy is Erasure.PSEUDONYMISE and current:
            pseudonym = f"pseudonym:{blind_index(str(current), purpose='pseudonym')[:16]}"
            return pseudonym[: field.max_length or None]
        if isinstance(field, models.EmailField) and (field.unique or not field.blank):
            return f"erased-{pk}@{ERASED_DOMAIN}"
        if field.blank:
            return ""
        return None if field.null else ERASED_TEXT[: field.max_length or None]
    if field.null:
        return None
    if isinstance(field, models.BooleanField):
        return field.get_default()
    return KEEP
