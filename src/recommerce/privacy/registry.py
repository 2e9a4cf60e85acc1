"""The data map: every personal-data field of every model, and why it is held.

Each app registers its fields from its own ``privacy.py``::

    registry.register(
        User,
        personal("email", category="user.contact.email", subject="self",
                 purposes=[purposes.SERVICE_ACCOUNT],
                 retention=Retention(days=3 * 365, starts="account closure"),
                 erasure=Erasure.ANONYMISE),
        not_personal("is_active", "date_joined"),
    )

A system check (``privacy.E001``) fails for any concrete field of a project model that is
neither registered as personal nor declared not personal, so new data cannot slip in
unclassified.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import models

from recommerce.privacy.purposes import Purpose


class Erasure(enum.StrEnum):
    """What the erasure engine does with a field when its subject is erased."""

    DELETE = "delete"
    ANONYMISE = "anonymise"
    PSEUDONYMISE = "pseudonymise"
    LEGAL_HOLD = "legal_hold"  # kept, detached, until its legal period ends; then deleted


@dataclass(frozen=True, slots=True)
class Retention:
    """How long a field is kept, counted from an event (``days=None``: while it exists)."""

    days: int | None
    starts: str

    def describe(self) -> str:
        if self.days is None:
            return f"until {self.starts}"
        if self.days % 365 == 0:
            years = self.days // 365
            return f"{years} year{'s' if years > 1 else ''} after {self.starts}"
        return f"{self.days} days after {self.starts}"


@dataclass(frozen=True, slots=True)
class PersonalField:
    """One registered personal-data field."""

    model_label: str
    field_name: str
    category: str
    subject: str
    purposes: tuple[Purpose, ...]
    retention: Retention
    erasure: Erasure
    export_label: str
    sensitive: bool = False
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Personal:
    """A declaration of personal fields, resolved against a model by ``register``."""

    field_names: tuple[str, ...]
    category: str
    subject: str
    purposes: tuple[Purpose, ...]
    retention: Retention
    erasure: Erasure
    export_label: str = ""
    sensitive: bool = False
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NotPersonal:
    """A declaration that fields hold no personal data, with the reason."""

    field_names: tuple[str, ...]
    reason: str = ""


def personal(
    *field_names: str,
    category: str,
    subject: str,
    purposes: Sequence[Purpose],
    retention: Retention,
    erasure: Erasure,
    export_label: str = "",
    sensitive: bool = False,
    recipients: Sequence[str] = (),
) -> Personal:
    if not field_names:
        raise ValueError("personal() needs at least one field name.")
    if not purposes:
        raise ValueError("A personal field needs at least one declared purpose (PURP-1).")
    return Personal(
        field_names=field_names,
        category=category,
        subject=subject,
        purposes=tuple(purposes),
        retention=retention,
        erasure=erasure,
        export_label=export_label,
        sensitive=sensitive,
        recipients=tuple(recipients),
    )


def not_personal(*field_names: str, reason: str = "") -> NotPersonal:
    return NotPersonal(field_names=field_names, reason=reason)


@dataclass
class Registry:
    """Every classification, keyed by ``(model label, field name)``."""

    personal_fields: dict[tuple[str, str], PersonalField] = field(default_factory=dict)
    not_personal_fields: dict[tuple[str, str], str] = field(default_factory=dict)

    def register(self, model: type[models.Model], *declarations: Personal | NotPersonal) -> None:
        label = model._meta.label
        for declaration in declarations:
            for name in declaration.field_names:
                key = (label, name)
                if key in self.personal_fields or key in self.not_personal_fields:
                    raise ValueError(f"{label}.{name} is classified twice.")
                if isinstance(declaration, NotPersonal):
                    self.not_personal_fields[key] = declaration.reason
                    continue
                self.personal_fields[key] = PersonalField(
                    model_label=label,
                    field_name=name,
                    category=declaration.category,
                    subject=declaration.subject,
                    purposes=declaration.purposes,
                    retention=declaration.retention,
                    erasure=declaration.erasure,
                    export_label=declaration.export_label or name.replace("_", " "),
                    sensitive=declaration.sensitive,
                    recipients=declaration.recipients,
                )

    def unregister(self, model: type[models.Model]) -> None:
        """Forget every classification of ``model`` (used by tests of the check)."""
        label = model._meta.label
        for store in (self.personal_fields, self.not_personal_fields):
            for key in [k for k in store if k[0] == label]:
                del store[key]

    def is_classified(self, model: type[models.Model], field_name: str) -> bool:
        key = (model._meta.label, field_name)
        return key in self.personal_fields or key in self.not_personal_fields

    def fields_of(self, model: type[models.Model]) -> list[PersonalField]:
        label = model._meta.label
        return [f for (m, _), f in self.personal_fields.items() if m == label]

    def __iter__(self) -> Iterator[PersonalField]:
        return iter(
            sorted(self.personal_fields.values(), key=lambda f: (f.model_label, f.field_name))
        )

    def classified_keys(self) -> Iterable[tuple[str, str]]:
        yield from self.personal_fields
        yield from self.not_personal_fields


registry = Registry()
