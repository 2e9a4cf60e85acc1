"""Re-encrypt stored values under the newest key, one column at a time, in batches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import ExpressionWrapper, F, Value

from recommerce.privacy.encryption.cipher import DecryptionError, needs_rotation, rotate
from recommerce.privacy.encryption.fields import EncryptedTextField

DEFAULT_BATCH_SIZE = 500
UNREADABLE_SAMPLE = 10
# Selecting the column through a plain TextField skips from_db_value: the token itself.
_RAW = "privacy_encryption_token"


@dataclass(frozen=True, slots=True)
class ColumnRotation:
    """What one pass over one encrypted column found and did."""

    column: str
    rotated: int = 0
    current: int = 0
    unreadable: int = 0
    # Rows the application rewrote between the read and the write: left as written.
    changed: int = 0
    unreadable_pks: tuple[Any, ...] = ()


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Return every ``EncryptedTextField`` of every installed model, with its model.

    Unmanaged models are included (their tables exist, made elsewhere, and a value left
    under an old key is lost once that key is dropped); proxies and inherited fields are
    not, as they would visit the same column twice.
    """
    return [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def column_rotate(
    model: type[models.Model],
    field: EncryptedTextField,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> ColumnRotation:
    """Re-encrypt under the newest key every value of one column that another key made.

    Rows are read in primary-key order, ``batch_size`` at a time, each batch written in one
    transaction. A row is only written if its column still holds the token that was read,
    so a concurrent save is never overwritten. Running it again rotates nothing more.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    raw = ExpressionWrapper(F(field.attname), output_field=models.TextField())
    table = model._base_manager.db_manager(using)
    stored = (
        table.annotate(**{_RAW: raw})
        .filter(**{f"{field.name}__isnull": False})
        .exclude(**{_RAW: ""})
        .order_by("pk")
    )
    rotated = current = unreadable = changed = 0
    unreadable_pks: list[Any] = []
    last_pk: Any = None
    while True:
        page = stored if last_pk is None else stored.filter(pk__gt=last_pk)
        rows = list(page.values_list("pk", _RAW)[:batch_size])
        if not rows:
            break
        last_pk = rows[-1][0]
        with transaction.atomic(using=using):
            for pk, token in rows:
                try:
                    if not needs_rotation(token):
                        current += 1
                        continue
                    fresh = rotate(token)
                except DecryptionError:
                    unreadable += 1
                    if len(unreadable_pks) < UNREADABLE_SAMPLE:
                        unreadable_pks.append(pk)
                    continue
                if dry_run:
                    rotated += 1
                    continue
                written = (
                    table.filter(pk=pk)
                    .alias(**{_RAW: raw})
                    .filter(**{_RAW: token})
                    .update(**{field.name: Value(fresh, output_field=models.TextField())})
                )
                if written:
                    rotated += 1
                else:
                    changed += 1
    return ColumnRotation(
        column=f"{model._meta.label}.{field.name}",
        rotated=rotated,
        current=current,
        unreadable=unreadable,
        changed=changed,
        unreadable_pks=tuple(unreadable_pks),
    )
