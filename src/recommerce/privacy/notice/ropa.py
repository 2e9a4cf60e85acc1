"""The record of processing activities (GDPR Art. 30), one row per declared purpose.

Like the notice, it is read from the registry, so the record a supervisory authority asks
for describes what the code holds today. It is written in English, for the authority and
the data-protection officer, and exported as CSV or JSON.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings

from recommerce.privacy.notice import labels
from recommerce.privacy.notice.build import LabelMissing, labels_missing
from recommerce.privacy.purposes import ALL, Purpose
from recommerce.privacy.registry import Erasure, PersonalField, Registry, registry

COLUMNS = (
    "purpose_code",
    "purpose",
    "family",
    "legal_basis",
    "data_categories",
    "data_subjects",
    "recipients",
    "retention",
    "safeguards",
)
CONTROLLER_KEYS = ("name", "address", "registration", "dpo_email")
LIST_COLUMNS = ("data_categories", "data_subjects", "recipients", "retention", "safeguards")
SEPARATOR = "; "
ACCOUNT_HOLDERS = "account holders (buyers, trade-in customers, sellers' and companies' users)"
STAFF = "staff of the marketplace"
BASE_SAFEGUARDS = (
    "staff access limited by role",
    "each staff look at a person's data is logged",
    "periods applied by the nightly retention job",
)


@dataclass(frozen=True, slots=True)
class RopaRow:
    purpose_code: str
    purpose: str
    family: str
    legal_basis: str
    data_categories: tuple[str, ...]
    data_subjects: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: tuple[str, ...]
    safeguards: tuple[str, ...]


def _subjects(field: PersonalField) -> str:
    if field.category.startswith("staff."):
        return STAFF
    return field.subject_note or ACCOUNT_HOLDERS


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def ropa_rows(*, reg: Registry = registry, declared: Sequence[Purpose] = ALL) -> list[RopaRow]:
    """Return one row per purpose, declared or used by a field, in declaration order."""
    missing = labels_missing(reg=reg, declared=declared)
    if missing["categories"] or missing["recipients"]:
        raise LabelMissing({k: v for k, v in missing.items() if k in ("categories", "recipients")})
    fields = list(reg)
    purposes = {p.code: p for p in declared} | {p.code: p for f in fields for p in f.purposes}
    order = list(labels.CATEGORIES)
    rows = []
    for purpose in purposes.values():
        used = sorted(
            (f for f in fields if purpose in f.purposes), key=lambda f: order.index(f.category)
        )
        encrypted = _unique(
            [labels.CATEGORIES[f.category].en for f in used if registry.is_encrypted(f)]
        )
        safeguards = list(BASE_SAFEGUARDS) if used else []
        if encrypted:
            safeguards.append("encrypted at rest: " + ", ".join(encrypted))
        if any(f.erasure is Erasure.LEGAL_HOLD for f in used):
            safeguards.append("kept detached from the account under legal hold after erasure")
        rows.append(
            RopaRow(
                purpose_code=purpose.code,
                purpose=purpose.description,
                family=labels.FAMILIES[purpose.family].en,
                legal_basis=labels.BASES[purpose.basis].en,
                data_categories=_unique([labels.CATEGORIES[f.category].en for f in used]),
                data_subjects=_unique([_subjects(f) for f in used]),
                recipients=_unique([labels.RECIPIENTS[r].en for f in used for r in f.recipients]),
                retention=_unique(
                    [f"{labels.CATEGORIES[f.category].en}: {f.retention.describe()}" for f in used]
                ),
                safeguards=tuple(safeguards),
            )
        )
    return rows


def ropa_json(*, reg: Registry = registry) -> dict[str, Any]:
    """Return the record with the controller it belongs to (GDPR Art. 30(1)(a))."""
    rows = [
        {name: list(value) if name in LIST_COLUMNS else value for name, value in asdict(r).items()}
        for r in ropa_rows(reg=reg)
    ]
    legal: dict[str, Any] = settings.MARKETPLACE_LEGAL
    controller = {key: str(legal.get(key, "")) for key in CONTROLLER_KEYS}
    return {"controller": controller, "columns": list(COLUMNS), "activities": rows}


def ropa_csv(*, reg: Registry = registry) -> str:
    """Return the record as CSV, list cells joined with ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in ropa_rows(reg=reg):
        values = asdict(row)
        writer.writerow(
            [SEPARATOR.join(values[c]) if c in LIST_COLUMNS else values[c] for c in COLUMNS]
        )
    return out.getvalue()
