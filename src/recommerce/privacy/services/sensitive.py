"""Reads of sensitive fields (SEC-1, PURP-2): a declared purpose, a role, and a log line.

Sensitive values (bank details, tax numbers, identity documents) are encrypted at rest and
leave their column only through ``sensitive_read``: the caller names the purpose it acts
for, which must be one the registry declares for the field; a staff reader also needs the
``privacy.read_sensitive_data`` permission, and each look is written to the staff access
log. The platform's own services (a payout to a seller) read with ``reader=None``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from recommerce.privacy.purposes import Purpose
from recommerce.privacy.registry import registry
from recommerce.privacy.services.logs import staff_access_record


class PurposeNotDeclared(PermissionDenied):
    """Code asked for a field for a purpose the registry does not declare for it (PURP-2)."""


def sensitive_read(
    *,
    model: type[models.Model],
    pk: Any,
    field: str,
    purpose: Purpose,
    reader: Any = None,
    subject: Any = None,
) -> str:
    """Return the decrypted value of a sensitive field, if ``purpose`` and ``reader`` may."""
    item = registry.personal_fields.get((model._meta.label, field))
    if item is None or not item.sensitive:
        raise ValueError(f"{model._meta.label}.{field} is not a registered sensitive field.")
    if purpose not in item.purposes:
        raise PurposeNotDeclared(
            f"{model._meta.label}.{field} is not held for “{purpose.description}”."
        )
    if reader is not None:
        if not reader.has_perm("privacy.read_sensitive_data"):
            raise PermissionDenied("Your role does not read sensitive data.")
        staff_access_record(
            staff=reader, subject=subject, what=f"{model._meta.verbose_name} {field}"
        )
    value = model._base_manager.filter(pk=pk).values_list(field, flat=True).first()
    return str(value or "")
