"""Apply the registry's erasure strategies to one person's rows (inside a transaction)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When

from recommerce.privacy.paths import concrete_field
from recommerce.privacy.registry import Erasure, PersonalField
from recommerce.privacy.rights.rows import Holding, deletes_rows, user_fields
from recommerce.privacy.rights.values import KEEP, erased_value


def holding_erase(
    holding: Holding, *, subject_pk: Any, on_file: Callable[[str], None]
) -> tuple[str, int]:
    """Erase one model's rows of the person; return the action taken and the row count.

    Rows go entirely when the person's link to them is itself to be deleted (an address,
    a cart). Otherwise each field follows its strategy, and a link held for a legal period
    is cut, so the kept record no longer points at the account.
    """
    model, fields = holding.model, holding.fields
    rows = model._base_manager.filter(pk__in=holding.pks)
    if deletes_rows(fields):
        _collect_files(model, fields, rows, on_file)
        count, _ = rows.delete()
        return "deleted", len(holding.pks) if count else 0
    plan = _update_plan(model, fields)
    if not plan:
        return "kept (legal hold)", len(holding.pks)
    _collect_files(model, fields, rows, on_file)
    direct = {name for item in fields for name in user_fields(item)}
    # One UPDATE per model: a field that takes one value on every row is set plainly, a
    # field whose value differs by row (a per-row address, a pseudonym) through a CASE.
    by_field: dict[str, dict[Any, list[Any]]] = {}
    changed: list[Any] = []
    for obj in rows.only(*plan):
        touched = False
        for name, strategy in plan.items():
            field = concrete_field(model, name)
            current = getattr(obj, field.attname)
            if (name in direct or _links_an_account(field)) and current != subject_pk:
                # Another person's link on a shared record: a second approver, the staff
                # member who made a change. It is theirs, not the erased person's.
                continue
            value = erased_value(field, strategy, current, obj.pk)
            if value is not KEEP:
                by_field.setdefault(field.attname, {}).setdefault(_hashable(value), []).append(
                    obj.pk
                )
                touched = True
        if touched:
            changed.append(obj.pk)
    if changed:
        updates = {
            attname: _assignment(model, attname, values, len(changed))
            for attname, values in by_field.items()
        }
        model._base_manager.filter(pk__in=changed).update(**updates)
    return "anonymised", len(holding.pks)


def _update_plan(
    model: type[models.Model], fields: tuple[PersonalField, ...]
) -> dict[str, Erasure]:
    plan: dict[str, Erasure] = {}
    for item in fields:
        strategy = item.erasure
        if strategy is Erasure.LEGAL_HOLD:
            if item.field_name not in user_fields(item):
                continue
            # Kept for the legal period, but detached from the account.
            strategy = Erasure.DELETE
        if _is_primary_key(model, item.field_name):
            continue
        plan[item.field_name] = strategy
    return plan


def _links_an_account(field: models.Field[Any, Any]) -> bool:
    related = field.related_model if field.is_relation else None
    return (
        related is not None
        and related != "self"
        and (related._meta.label == settings.AUTH_USER_MODEL)
    )


def _is_primary_key(model: type[models.Model], name: str) -> bool:
    return bool(concrete_field(model, name).primary_key)


def _collect_files(
    model: type[models.Model],
    fields: tuple[PersonalField, ...],
    rows: models.QuerySet[Any],
    on_file: Callable[[str], None],
) -> None:
    for item in fields:
        field = concrete_field(model, item.field_name)
        if isinstance(field, models.FileField) and item.erasure is not Erasure.LEGAL_HOLD:
            for name in rows.exclude(**{item.field_name: ""}).values_list(
                item.field_name, flat=True
            ):
                on_file(str(name))


def _assignment(
    model: type[models.Model], attname: str, values: dict[Any, list[Any]], rows: int
) -> Any:
    """Return what ``attname`` is set to: a value, or a CASE over the rows' values."""
    if len(values) == 1:
        ((key, pks),) = values.items()
        if len(pks) == rows:
            return _unhashable(key)
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return Case(
        *(
            When(pk__in=pks, then=Value(_unhashable(key), output_field=field))
            for key, pks in values.items()
        ),
        default=F(attname),
        output_field=field,
    )


def _hashable(value: Any) -> Any:
    # JSON defaults ({} or []) group with their kind.
    return ("json", json.dumps(value, sort_keys=True)) if isinstance(value, dict | list) else value


def _unhashable(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "json":
        return json.loads(value[1])
    return value
