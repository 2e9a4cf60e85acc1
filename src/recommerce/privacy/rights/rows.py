"""Find a person's rows in every registered model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from recommerce.privacy.paths import SELF, subject_paths, subject_q
from recommerce.privacy.registry import Erasure, PersonalField, Registry, registry


@dataclass(frozen=True, slots=True)
class Holding:
    """The rows of one model that are about one person, with the fields that make them so."""

    model: type[models.Model]
    fields: tuple[PersonalField, ...]
    pks: tuple[Any, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def person_holdings(user: Any, *, reg: Registry = registry) -> list[Holding]:
    """Return, model by model, the primary keys of ``user``'s rows and their personal fields.

    Keys are read before anything changes, so an erasure that detaches an order from its
    buyer still reaches the order's lines through the list taken here.
    """
    found: list[Holding] = []
    for model, fields in reg.by_model().items():
        by_subject: dict[Any, list[PersonalField]] = {}
        for item in fields:
            if item.subject is not None:
                by_subject.setdefault(item.subject, []).append(item)
        pks: set[Any] = set()
        for subject in by_subject:
            query = subject_q(subject, user)
            if query is not None:
                pks.update(model._base_manager.filter(query).values_list("pk", flat=True))
        if pks:
            chosen = tuple(f for group in by_subject.values() for f in group)
            found.append(Holding(model, chosen, tuple(sorted(pks))))
    return found


def link_fields(item: PersonalField) -> set[str]:
    """Return the model's own fields through which ``item`` reaches its subject."""
    if not isinstance(item.subject, str):
        return set()
    return {path.split("__")[0] for path in subject_paths(item.subject) if path != SELF}


def user_fields(item: PersonalField) -> set[str]:
    """Return the model's own foreign keys that point straight at the subject."""
    if not isinstance(item.subject, str):
        return set()
    return {path for path in subject_paths(item.subject) if path != SELF and "__" not in path}


def deletes_rows(fields: Sequence[PersonalField]) -> bool:
    """Tell whether erasing these fields removes the rows themselves.

    So it does when the person's link to the row is to be deleted (an address, a cart), or
    when the row is found by a query rather than a link and all its personal fields are to
    be deleted (a provider's notification, an API replay record).
    """
    for item in fields:
        if item.erasure is Erasure.DELETE and item.field_name in link_fields(item):
            return True
    return bool(fields) and all(
        not isinstance(item.subject, str) and item.erasure is Erasure.DELETE for item in fields
    )
