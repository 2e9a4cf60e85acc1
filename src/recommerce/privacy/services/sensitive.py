"""Reads of sensitive fields (SEC-1, PURP-2): a declared purpose, a role, and a log line.

Sensitive values (bank details, tax numbers) are encrypted at rest and load as ``Sealed``
values that show nothing; they leave their column only through this module: the caller
names the purpose it acts for, which must be one the registry declares for the field; a
staff reader also needs the ``privacy.read_sensitive_data`` permission, and each look is
written to the staff access log. The platform's own services (a payout to a seller) read
with ``reader=None``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from recommerce.privacy.encryption.sealed import Sealed, unseal
from recommerce.privacy.purposes import Purpose
from recommerce.privacy.registry import PersonalField, registry
from recommerce.privacy.services.logs import staff_access_record


class PurposeNotDeclared(PermissionDenied):
    """Code asked for a field for a purpose the registry does not declare for it (PURP-2)."""


def sensitive_open(
    value: Sealed | str | None,
    *,
    item: PersonalField,
    purpose: Purpose,
    reader: Any = None,
    subject: Any = None,
    what: str = "",
) -> str:
    """Return the plain text of a loaded value of the field ``item`` describes, if allowed.

    ``value`` is what a row's attribute holds: ``Sealed`` once loaded, or ``""``/``None``
    when empty. The checks run even for an empty value, so a refusal never depends on the
    data.
    """
    _require(item, purpose, reader)
    if reader is not None:
        staff_access_record(staff=reader, subject=subject, what=what or item.field_name)
    if isinstance(value, Sealed):
        return unseal(value)
    return str(value or "")


def _require(item: PersonalField, purpose: Purpose, reader: Any) -> None:
    if purpose not in item.purposes:
        raise PurposeNotDeclared(
            f"{item.model_label}.{item.field_name} is not held for “{purpose.description}”."
        )
    if reader is not None and not reader.has_perm("privacy.read_sensitive_data"):
        raise PermissionDenied("Your role does not read sensitive data.")


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
    # Checked before the row is read: a refused caller causes no read at all.
    _require(item, purpose, reader)
    value = model._base_manager.filter(pk=pk).values_list(field, flat=True).first()
    return sensitive_open(
        value,
        item=item,
        purpose=purpose,
        reader=reader,
        subject=subject,
        what=f"{model._meta.verbose_name} {field}",
    )
