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

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from recommerce.privacy.purposes import Purpose

SubjectQuery = Callable[[Any], Q]
Subject = str | SubjectQuery | None
"""Who a field is about, and how to find their rows.

- a lookup path from the model to the user (``"buyer"``, ``"order__buyer"``; ``"self"`` on
  the user model; alternatives joined by ``|``: ``"created_by|approved_by"``);
- a function of the user returning a ``Q`` over the model, for links that are not foreign
  keys (a provider's notification naming the person's payment);
- ``None`` when the field is about people who are not account holders (a seller company's
  representatives): it is kept to its retention period and never exported to a user.
"""


class Erasure(enum.StrEnum):
    """What the erasure engine does with a field when its subject is erased."""

    DELETE = "delete"
    ANONYMISE = "anonymise"
    PSEUDONYMISE = "pseudonymise"
    LEGAL_HOLD = "legal_hold"  # kept, detached, until its legal period ends; then deleted


@dataclass(frozen=True, slots=True)
class Retention:
    """How long a field is kept, counted from an event (``days=None``: while it exists).

    ``clock`` names the model's date fields (lookup paths, first non-null wins) that start
    the period, so the retention job can apply it. A period without a clock runs with the
    account: it ends when the inactive account is erased.
    """

    days: int | None
    starts: str
    clock: tuple[str, ...] = ()
    years: int | None = None

    @classmethod
    def in_years(cls, years: int, *, starts: str, clock: tuple[str, ...] = ()) -> Retention:
        """Return a period of whole years, never shorter than the calendar's (leap days)."""
        return cls(days=years * 365 + (years + 3) // 4, starts=starts, clock=clock, years=years)

    def counted_from(self, *clock: str) -> Retention:
        """Return this period with the model's date fields that start it."""
        return Retention(self.days, self.starts, tuple(clock), self.years)

    def describe(self) -> str:
        if self.days is None:
            return f"until {self.starts}"
        if self.days == 0:
            return f"until {self.starts}"
        years = self.years or (self.days // 365 if self.days % 365 == 0 else None)
        if years:
            return f"{years} year{'s' if years > 1 else ''} after {self.starts}"
        return f"{self.days} days after {self.starts}"


@dataclass(frozen=True, slots=True)
class PersonalField:
    """One registered personal-data field."""

    model_label: str
    field_name: str
    category: str
    subject: Subject
    purposes: tuple[Purpose, ...]
    retention: Retention
    erasure: Erasure
    export_label: str
    sensitive: bool = False
    recipients: tuple[str, ...] = ()
    subject_note: str = ""
    exported: bool = True

    def describe_subject(self) -> str:
        if self.subject_note:
            return self.subject_note
        return self.subject if isinstance(self.subject, str) else "see the model"


@dataclass(frozen=True, slots=True)
class Personal:
    """A declaration of personal fields, resolved against a model by ``register``."""

    field_names: tuple[str, ...]
    category: str
    subject: Subject
    purposes: tuple[Purpose, ...]
    retention: Retention
    erasure: Erasure
    export_label: str = ""
    sensitive: bool = False
    recipients: tuple[str, ...] = ()
    subject_note: str = ""
    exported: bool = True


@dataclass(frozen=True, slots=True)
class NotPersonal:
    """A declaration that fields hold no personal data, with the reason."""

    field_names: tuple[str, ...]
    reason: str = ""


def personal(
    *field_names: str,
    category: str,
    subject: Subject,
    purposes: Sequence[Purpose],
    retention: Retention,
    erasure: Erasure,
    export_label: str = "",
    sensitive: bool = False,
    recipients: Sequence[str] = (),
    subject_note: str = "",
    exported: bool = True,
) -> Personal:
    """Declare personal fields; ``exported=False`` for technical copies of data a person's
    export already holds elsewhere (an API replay record, a provider's notification)."""
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
        subject_note=subject_note,
        exported=exported,
    )


def not_personal(*field_names: str, reason: str = "") -> NotPersonal:
    return NotPersonal(field_names=field_names, reason=reason)


Words = str | dict[str, str]
"""Text a person reads: one string, or one per language (``{"en": ..., "fr": ...}``)."""


@dataclass(frozen=True, slots=True)
class Presentation:
    """How a person's export summary shows one model's records; the data stays as exported.

    - ``title``: the section's heading (else the model's plural name);
    - ``heading``: each record's heading, with ``{name}`` taken from the record's fields or
      its context (``"Order {number}"``);
    - ``context``: values shown beside the person's data so a record can be recognised (an
      order's number and seller), as ``{label: lookup path}``; read for the summary only;
    - ``currency``: the lookup path of the ISO 4217 code of the record's amounts;
    - ``within``: a foreign key; the records appear inside the record it points to (an
      order's items inside the order);
    - ``money``: further names, of fields or keys inside JSON values, that hold minor units
      (``*_minor`` always does);
    - ``hidden``: exported fields the summary leaves out (internal ids; ``data.json`` keeps
      them).
    """

    title: Words = ""
    heading: Words = ""
    context: tuple[tuple[str, str], ...] = ()
    currency: str = ""
    within: str = ""
    money: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why a person cannot be erased yet, and when that ends: the person is shown both.

    ``ends`` completes "It ends …" ("when you confirm receipt, or on 3 May 2026 at the
    latest"); ``until`` is the latest day it ends, where one is known.
    """

    reason: str
    ends: str
    until: dt.date | None = None

    def __str__(self) -> str:
        if not self.ends:
            return self.reason
        return f"{self.reason.rstrip('. ')}. It ends {self.ends.rstrip('. ')}."


ErasureBlocker = Callable[[Any], Sequence[Blocker]]
ErasureHook = Callable[[Any], None]
RecipientNotifier = Callable[[str, Sequence[str]], None]
IdentityFact = Callable[[Any, str], bool]


@dataclass
class Registry:
    """Every classification, keyed by ``(model label, field name)``, and the apps' hooks.

    Hooks let an app take part in erasure without privacy importing it: a blocker says why
    a person cannot be erased yet (an open order), a hook erases what no field describes (a
    session, a cache entry), a notifier tells a recipient of past disclosures.
    """

    personal_fields: dict[tuple[str, str], PersonalField] = field(default_factory=dict)
    not_personal_fields: dict[tuple[str, str], str] = field(default_factory=dict)
    model_classes: dict[str, type[models.Model]] = field(default_factory=dict)
    erasure_blockers: list[ErasureBlocker] = field(default_factory=list)
    erasure_hooks: list[ErasureHook] = field(default_factory=list)
    recipient_notifiers: dict[str, RecipientNotifier] = field(default_factory=dict)
    identity_facts: dict[str, tuple[str, IdentityFact]] = field(default_factory=dict)
    presentations: dict[str, Presentation] = field(default_factory=dict)

    def add_erasure_blocker(self, blocker: ErasureBlocker) -> ErasureBlocker:
        """Register ``blocker(user) -> [Blocker]``; any blocker postpones the erasure.

        Each one says when it ends: a person is never left waiting on something endless.
        """
        self.erasure_blockers.append(blocker)
        return blocker

    def add_erasure_hook(self, hook: ErasureHook) -> ErasureHook:
        """Register ``hook(user)``, run inside the erasure's transaction."""
        self.erasure_hooks.append(hook)
        return hook

    def add_identity_fact(self, name: str, label: str, matches: IdentityFact) -> None:
        """Register a fact a requester can give to prove who they are: ``matches(user, v)``."""
        self.identity_facts[name] = (label, matches)

    def add_recipient_notifier(self, kind: str, notifier: RecipientNotifier) -> None:
        """Register how recipients of ``kind`` hear of an erasure: ``notifier(recipient, refs)``."""
        self.recipient_notifiers[kind] = notifier

    def present(
        self,
        model: type[models.Model],
        *,
        title: Words = "",
        heading: Words = "",
        context: dict[str, str] | None = None,
        currency: str = "",
        within: str = "",
        money: Sequence[str] = (),
        hidden: Sequence[str] = (),
    ) -> None:
        """Say how the export summary shows ``model``'s records (see ``Presentation``)."""
        self.presentations[model._meta.label] = Presentation(
            title=title,
            heading=heading,
            context=tuple((context or {}).items()),
            currency=currency,
            within=within,
            money=tuple(money),
            hidden=tuple(hidden),
        )

    def presentation(self, model: type[models.Model]) -> Presentation:
        return self.presentations.get(model._meta.label) or Presentation()

    def register(self, model: type[models.Model], *declarations: Personal | NotPersonal) -> None:
        label = model._meta.label
        self.model_classes[label] = model
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
                    subject_note=declaration.subject_note,
                    exported=declaration.exported,
                )

    def unregister(self, model: type[models.Model]) -> None:
        """Forget every classification of ``model`` (used by tests of the check)."""
        label = model._meta.label
        self.model_classes.pop(label, None)
        self.presentations.pop(label, None)
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

    def is_encrypted(self, item: PersonalField) -> bool:
        """Tell whether the field is stored encrypted: an ``EncryptedTextField``, or a file
        field whose files are sealed (``SealedStorage``)."""
        from django.apps import apps

        from recommerce.privacy.encryption import EncryptedTextField
        from recommerce.privacy.encryption.files import SealedStorage

        model = self.model_classes.get(item.model_label) or apps.get_model(item.model_label)
        field = model._meta.get_field(item.field_name)
        if isinstance(field, models.FileField):
            return isinstance(field.storage, SealedStorage)
        return isinstance(field, EncryptedTextField)

    def by_model(self) -> dict[type[models.Model], list[PersonalField]]:
        """Return the personal fields grouped by model, in a stable order."""
        grouped: dict[type[models.Model], list[PersonalField]] = {}
        for personal_field in self:
            grouped.setdefault(self.model_classes[personal_field.model_label], []).append(
                personal_field
            )
        return grouped

    def classified_keys(self) -> Iterable[tuple[str, str]]:
        yield from self.personal_fields
        yield from self.not_personal_fields


registry = Registry()
