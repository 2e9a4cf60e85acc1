"""Build the privacy notice from the registry and the declared purposes (NOTICE-1).

``notice_data`` reads the data map into plain rows in one language; ``notice_render``
turns them into an HTML fragment through ``privacy/notice/content_<language>.html``. The
fragment holds no date or host name, so two renders of an unchanged registry are the same
bytes and publishing can tell whether anything changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from recommerce.privacy import deadlines
from recommerce.privacy.notice import labels
from recommerce.privacy.purposes import ALL, Family, Purpose
from recommerce.privacy.registry import PersonalField, Registry, Retention, registry


class LabelMissing(LookupError):
    """Codes of the registry the notice has no words for (add them to ``labels``)."""

    def __init__(self, missing: dict[str, list[str]]) -> None:
        self.missing = missing
        parts = [f"{kind}: {', '.join(codes)}" for kind, codes in missing.items() if codes]
        super().__init__(
            "The privacy notice has no label for "
            + "; ".join(parts)
            + " (privacy/notice/labels.py)."
        )


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    label: str
    purposes: tuple[str, ...]
    retention: tuple[str, ...]
    recipients: tuple[str, ...]
    encrypted: bool

    @property
    def anchor(self) -> str:
        return "category-" + self.code.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    key: str
    title: str
    rows: tuple[CategoryRow, ...]


@dataclass(frozen=True, slots=True)
class PurposeRow:
    code: str
    description: str
    basis: str
    basis_code: str
    categories: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "purpose-" + self.code.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class FamilySection:
    key: str
    title: str
    purposes: tuple[PurposeRow, ...]


@dataclass(frozen=True, slots=True)
class RecipientRow:
    name: str
    categories: tuple[str, ...]
    purposes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoticeData:
    """Everything the notice's template shows, already in its language."""

    language: str
    controller: dict[str, str]
    groups: tuple[CategoryGroup, ...]
    families: tuple[FamilySection, ...]
    recipients: tuple[RecipientRow, ...]
    encrypted: tuple[str, ...]
    links: dict[str, str]
    deadlines: dict[str, int]


# --- Words for codes -------------------------------------------------------------------------


def labels_missing(
    *, reg: Registry = registry, declared: Sequence[Purpose] = ALL
) -> dict[str, list[str]]:
    """Return, per kind, the registry's codes and phrases that have no label in the notice."""
    fields = list(reg)
    used_purposes = {p.code: p for f in fields for p in f.purposes} | {p.code: p for p in declared}
    return {
        "categories": sorted({f.category for f in fields} - set(labels.CATEGORIES)),
        "retention starts": sorted({f.retention.starts for f in fields} - set(labels.STARTS_FR)),
        "recipients": sorted({r for f in fields for r in f.recipients} - set(labels.RECIPIENTS)),
        "purposes (French)": sorted(c for c, p in used_purposes.items() if not p.description_fr),
    }


def retention_text(retention: Retention, language: str) -> str:
    """Describe a retention period in ``language`` (English as ``Retention.describe``)."""
    if language != "fr":
        return retention.describe()
    starts = labels.STARTS_FR[retention.starts]
    if not retention.days:
        return _until_fr(starts)
    years = retention.years or (retention.days // 365 if retention.days % 365 == 0 else None)
    if years:
        return f"{years} an{'s' if years > 1 else ''} après {starts}"
    return f"{retention.days} jours après {starts}"


def _until_fr(phrase: str) -> str:
    # « à le » and « à les » contract in French: jusqu'au départ, jusqu'aux …
    if phrase.startswith("le "):
        return "jusqu'au " + phrase[3:]
    if phrase.startswith("les "):
        return "jusqu'aux " + phrase[4:]
    return "jusqu'à " + phrase


def purpose_text(purpose: Purpose, language: str) -> str:
    return purpose.description_fr if language == "fr" else purpose.description


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _link(name: str, fallback: str) -> str:
    # The cookie page may live in another part of the code base; its path is fixed anyway.
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


# --- The rows --------------------------------------------------------------------------------


def _groups(fields: list[PersonalField], language: str) -> tuple[CategoryGroup, ...]:
    by_category: dict[str, list[PersonalField]] = {}
    for item in fields:
        by_category.setdefault(item.category, []).append(item)
    rows: dict[str, list[CategoryRow]] = {key: [] for key in labels.GROUPS}
    for code in sorted(by_category, key=lambda c: list(labels.CATEGORIES).index(c)):
        items = by_category[code]
        label = labels.CATEGORIES[code]
        rows.setdefault(label.group, []).append(
            CategoryRow(
                code=code,
                label=label.get(language),
                purposes=_unique(purpose_text(p, language) for f in items for p in f.purposes),
                retention=_unique(retention_text(f.retention, language) for f in items),
                recipients=_unique(
                    labels.RECIPIENTS[r].get(language) for f in items for r in f.recipients
                ),
                encrypted=any(registry.is_encrypted(f) for f in items),
            )
        )
    return tuple(
        CategoryGroup(key=key, title=labels.GROUPS[key].get(language), rows=tuple(found))
        for key, found in rows.items()
        if found
    )


def _families(
    fields: list[PersonalField], declared: Sequence[Purpose], language: str
) -> tuple[FamilySection, ...]:
    purposes = {p.code: p for p in declared} | {p.code: p for f in fields for p in f.purposes}
    categories: dict[str, list[str]] = {code: [] for code in purposes}
    order = list(labels.CATEGORIES)
    for item in sorted(fields, key=lambda f: order.index(f.category)):
        for purpose in item.purposes:
            categories[purpose.code].append(labels.CATEGORIES[item.category].get(language))
    return tuple(
        FamilySection(
            key=family.name.lower(),
            title=labels.FAMILIES[family].get(language),
            purposes=tuple(
                PurposeRow(
                    code=purpose.code,
                    description=purpose_text(purpose, language),
                    basis=labels.BASES[purpose.basis].get(language),
                    basis_code=purpose.basis.name.lower(),
                    categories=_unique(categories[purpose.code]),
                )
                for purpose in purposes.values()
                if purpose.family is family
            ),
        )
        for family in Family
    )


def _recipients(fields: list[PersonalField], language: str) -> tuple[RecipientRow, ...]:
    found: dict[str, tuple[list[str], list[str]]] = {}
    order = list(labels.CATEGORIES)
    for item in sorted(fields, key=lambda f: order.index(f.category)):
        for raw in item.recipients:
            name = labels.RECIPIENTS[raw].get(language)
            data, why = found.setdefault(name, ([], []))
            data.append(labels.CATEGORIES[item.category].get(language))
            why.extend(purpose_text(p, language) for p in item.purposes)
    return tuple(
        RecipientRow(name=name, categories=_unique(data), purposes=_unique(why))
        for name, (data, why) in found.items()
    )


def notice_data(
    *, language: str, reg: Registry = registry, declared: Sequence[Purpose] = ALL
) -> NoticeData:
    """Return the notice's content in ``language``; raise ``LabelMissing`` for unlabelled codes."""
    missing = labels_missing(reg=reg, declared=declared)
    if any(missing.values()):
        raise LabelMissing(missing)
    fields = list(reg)
    legal: dict[str, Any] = settings.MARKETPLACE_LEGAL
    controller = {
        "name": str(legal.get("name", "")),
        "address": str(legal.get("address", "")),
        "registration": str(legal.get("registration", "")),
        "dpo_email": str(legal.get("dpo_email", "")),
    }
    groups = _groups(fields, language)
    return NoticeData(
        language=language,
        controller=controller,
        groups=groups,
        families=_families(fields, declared, language),
        recipients=_recipients(fields, language),
        encrypted=tuple(row.label for group in groups for row in group.rows if row.encrypted),
        links={
            "mine": _link("privacy:mine", "/privacy/mine/"),
            "request": _link("privacy:request", "/privacy/request/"),
            "cookies": _link("privacy:cookies", "/privacy/cookies/"),
            "opt_out": _link("privacy:opt-out", "/privacy/do-not-sell-or-share/"),
            "versions": _link("privacy:notice-versions", "/privacy/notice/versions/"),
        },
        deadlines={
            "gdpr_months": deadlines.GDPR_ANSWER_MONTHS,
            "gdpr_extension_months": deadlines.GDPR_EXTENSION_MONTHS,
            "ccpa_acknowledge_days": deadlines.CCPA_ACKNOWLEDGE_BUSINESS_DAYS,
            "ccpa_days": deadlines.CCPA_ANSWER_DAYS,
            "ccpa_extension_days": deadlines.CCPA_EXTENSION_DAYS,
        },
    )


def notice_render(
    *, language: str, reg: Registry = registry, declared: Sequence[Purpose] = ALL
) -> str:
    """Return the notice in ``language`` ("en" or "fr") as an HTML fragment."""
    if language not in labels.LANGUAGES:
        raise ValueError(f"The notice is written in English and French, not {language!r}.")
    data = notice_data(language=language, reg=reg, declared=declared)
    with translation.override(language):
        html = render_to_string(f"privacy/notice/content_{language}.html", {"notice": data})
    # Blank lines left by template tags carry no meaning; dropping them keeps the stored
    # text compact and the line diff shown before publishing readable.
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip()) + "\n"
