"""The data map, rendered from the registry: what is held, about whom, why, for how long.

``docs/privacy/data-map.md`` is this module's Markdown output; a test fails when the two
drift apart, so the document always describes what the code holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recommerce.privacy.registry import PersonalField, Registry, registry


@dataclass(frozen=True, slots=True)
class Entry:
    """Fields of one model that share one declaration (category, purposes, retention …)."""

    model: str
    fields: tuple[str, ...]
    category: str
    subject: str
    purposes: tuple[tuple[str, str, str], ...]  # (code, description, legal basis)
    retention: str
    erasure: str
    sensitive: bool
    recipients: tuple[str, ...]
    export_label: str


def _key(item: PersonalField) -> tuple[Any, ...]:
    return (
        item.model_label,
        item.category,
        item.describe_subject(),
        tuple(p.code for p in item.purposes),
        item.retention.describe(),
        item.erasure.value,
        item.sensitive,
        item.recipients,
        item.export_label,
    )


def datamap_entries(*, reg: Registry = registry) -> list[Entry]:
    """Return the registry grouped into entries, by model then category."""
    grouped: dict[tuple[Any, ...], list[PersonalField]] = {}
    for item in reg:
        grouped.setdefault(_key(item), []).append(item)
    entries = [
        Entry(
            model=items[0].model_label,
            fields=tuple(i.field_name for i in items),
            category=items[0].category,
            subject=items[0].describe_subject(),
            purposes=tuple((p.code, p.description, p.basis.value) for p in items[0].purposes),
            retention=items[0].retention.describe(),
            erasure=items[0].erasure.value,
            sensitive=items[0].sensitive,
            recipients=items[0].recipients,
            export_label=items[0].export_label if items[0].exported else "",
        )
        for items in grouped.values()
    ]
    return sorted(entries, key=lambda e: (e.model, e.category, e.fields))


def datamap_json(*, reg: Registry = registry) -> dict[str, Any]:
    return {
        "entries": [
            {
                "model": e.model,
                "fields": list(e.fields),
                "category": e.category,
                "subject": e.subject,
                "purposes": [
                    {"code": code, "description": text, "legal_basis": basis}
                    for code, text, basis in e.purposes
                ],
                "retention": e.retention,
                "erasure": e.erasure,
                "sensitive": e.sensitive,
                "recipients": list(e.recipients),
                "exported_as": e.export_label,
            }
            for e in datamap_entries(reg=reg)
        ]
    }


def datamap_markdown(*, reg: Registry = registry) -> str:
    """Return the data map as the Markdown document kept in ``docs/privacy/data-map.md``."""
    entries = datamap_entries(reg=reg)
    lines = [
        "# Data map",
        "",
        "Every personal-data field the platform stores, generated from the privacy registry",
        "(`recommerce privacy datamap --format markdown`). Do not edit by hand: a test checks",
        "that this file matches the code.",
        "",
        f"{len(entries)} entries over {len({e.model for e in entries})} models.",
        "Erasure: *delete*, *anonymise*, *pseudonymise*, or *legal hold* (kept, detached from",
        "the account, until the period ends). Sensitive fields are encrypted at rest.",
        "",
    ]
    current = ""
    for entry in entries:
        if entry.model != current:
            current = entry.model
            lines += [
                f"## {current}",
                "",
                "| Fields | Category | About | Purposes (legal basis) | Kept | Erasure |",
                "|---|---|---|---|---|---|",
            ]
        purposes = "<br>".join(f"{text} ({basis})" for _, text, basis in entry.purposes)
        flags = " 🔒" if entry.sensitive else ""
        recipients = f"<br>Shared with: {', '.join(entry.recipients)}" if entry.recipients else ""
        lines.append(
            f"| {', '.join(f'`{f}`' for f in entry.fields)}{flags} | `{entry.category}` | "
            f"{entry.subject} | {purposes}{recipients} | {entry.retention} | {entry.erasure} |"
        )
        next_index = entries.index(entry) + 1
        if next_index == len(entries) or entries[next_index].model != current:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
