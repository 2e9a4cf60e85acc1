"""What an erased value becomes, by field type and strategy."""

from __future__ import annotations

from typing import Any

from django.db import models

from recommerce.privacy.encryption import Sealed, blind_index
from recommerce.privacy.registry import Erasure

KEEP = object()
"""Marker: the field keeps its value (numbers and dates carry nothing once detached)."""

ERASED_TEXT = "[erased]"
ERASED_DOMAIN = "erased.invalid"
PSEUDONYM_PREFIX = "pseudonym:"


def erased_value(field: models.Field[Any, Any], strategy: Erasure, current: Any, pk: Any) -> Any:
    """Return the value ``field`` takes when its subject is erased, or ``KEEP``.

    The value is always one the column accepts (its choices, width and validators).
    Relations and nullable fields become empty; text becomes blank, or a marker where blank
    is not allowed; unique emails get a per-row address under a reserved domain; a choice
    falls back to its default. A pseudonymised text keeps a keyed hash, so equal values
    still group together.
    """
    if strategy is Erasure.LEGAL_HOLD:
        return KEEP
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return None if field.null else KEEP
    if isinstance(field, models.JSONField):
        return _erased_json(field, current)
    if isinstance(field, models.CharField | models.TextField):
        if strategy is Erasure.PSEUDONYMISE and isinstance(current, Sealed):
            # privacy.E013 refuses this registration; a hash of "[encrypted]" would join all.
            raise ValueError(f"{field} is encrypted and cannot be pseudonymised.")
        return _erased_text(field, strategy, current, pk)
    if field.null:
        return None
    if isinstance(field, models.BooleanField) and field.has_default():
        return field.get_default()
    return KEEP


def _erased_json(field: models.JSONField[Any, Any], current: Any) -> Any:
    if current is None and field.has_default():
        current = field.get_default()  # the shape the column holds, when no row is at hand
    if field.has_default() and (field.blank or field.get_default() not in field.empty_values):
        return field.get_default()
    if field.null:
        return None
    if field.blank:
        return [] if isinstance(current, list) else {}
    # A column that may not be empty keeps a marker of the shape it held.
    return [ERASED_TEXT] if isinstance(current, list) else {"erased": True}


def _erased_text(field: models.Field[Any, Any], strategy: Erasure, current: Any, pk: Any) -> Any:
    width = field.max_length or None
    if strategy is Erasure.PSEUDONYMISE and current and not field.choices:
        digest = blind_index(str(current), purpose="pseudonym")[:16]
        pseudonym = f"{PSEUDONYM_PREFIX}{digest}"
        # A narrow column keeps the hash alone: shorter, but still equal for equal values.
        return pseudonym if width is None or len(pseudonym) <= width else digest[:width]
    if isinstance(field, models.EmailField) and (field.unique or not field.blank):
        return f"erased-{pk}@{ERASED_DOMAIN}"
    if field.blank:
        return ""
    if field.null:
        return None
    if field.choices:
        # A fixed list of values singles no one out: the default, else the value stays.
        return field.get_default() if field.has_default() else KEEP
    if width is not None and width < len(ERASED_TEXT):
        # Codes too narrow for the marker: ``ZZ`` is the ISO 3166 code for an unknown
        # country, and reads as "unknown" in the other code columns too.
        return "Z" * width
    return ERASED_TEXT
