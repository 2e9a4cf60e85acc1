"""Build ``summary.html``: a person's export as a statement they can read (RIGHT-1).

A section per kind of data, the account first and then in the order of the notice's groups
(identity, account, orders, activity, choices, records); each record a card of labelled
values in the groups the registry declares them in. Apps say in their ``privacy.py`` how
their records are recognised (``registry.present``: an order's number and seller, the
currency of its amounts, its items inside it); a model without that still appears, labelled
from its fields, so a new app's data is in the summary the day it is registered.

The HTML is put together here as escaped strings rather than one template variable per
value: a person with a hundred orders has about ten thousand values.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from recommerce.privacy.notice.labels import CATEGORIES, GROUPS
from recommerce.privacy.paths import concrete_field, path_target
from recommerce.privacy.registry import Presentation, Registry, registry
from recommerce.privacy.rights.display import (
    Formatter,
    humanise,
    person_language,
    say,
    words,
)
from recommerce.privacy.rights.export import Section, exported_fields
from recommerce.privacy.rights.rows import user_fields

WITHIN = "__within"
# A code in a list (a field's name, a reason): shown as words, "postal_code" -> "Postal code".
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_DEPTH = 4  # records inside records inside records: an item's insurance in an order


@dataclass
class _Field:
    name: str
    label: str
    kind: str
    group: int
    choices: dict[Any, str] = field(default_factory=dict)
    opening: str = ""  # the label's cell and the value's opening tag, escaped once

    def __post_init__(self) -> None:
        # A list or a mapping takes the card's whole width on a narrow screen.
        block = ' class="block"' if self.kind == "json" else ""
        self.opening = f"<dt{block}>{escape(self.label)}</dt><dd{block}>"


@dataclass
class _Shape:
    """How one section's records are shown, worked out once for all its records."""

    section: Section
    model: type[models.Model]
    presentation: Presentation
    title: str
    fields: list[_Field]
    groups: list[str]
    heading: str
    heading_names: set[str]
    context: dict[Any, dict[str, Any]]
    context_fields: list[_Field]
    records: list[dict[str, Any]]
    children: list[tuple[_Shape, dict[Any, list[dict[str, Any]]]]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.section.key.replace(".", "-")


def summary_html(
    user: Any, sections: list[Section], *, generated_at: str, reg: Registry = registry
) -> str:
    """Return the summary page of ``user``'s export, in their language."""
    language = person_language(user)
    fmt = Formatter(language=language, subject_pk=user.pk)
    by_key = {model._meta.label_lower: model for model in reg.model_classes.values()}
    shapes = {s.key: _shape(s, by_key[s.key], reg, language) for s in sections if s.key in by_key}
    nested = _nest(shapes)
    shown = sorted(
        (shape for key, shape in shapes.items() if key not in nested),
        key=lambda shape: _rank(shape, user),
    )
    body = "".join(_section_html(shape, fmt) for shape in shown)
    contents = "".join(
        f'<li><a href="#{shape.anchor}">{escape(shape.title)}</a> '
        f'<span class="count">({_count(len(shape.records), language)})</span></li>'
        for shape in shown
    )
    return render_to_string(
        "privacy/export_summary.html",
        {
            "language": language,
            "title": say("title", language),
            "prepared": mark_safe(  # noqa: S308 - the phrase is ours, its values escaped
                say("prepared", language, account=user.pk, when=fmt.when(generated_at))
            ),
            "about": mark_safe(say("about", language)),  # noqa: S308 - a fixed phrase
            "contents_title": say("contents", language),
            "contents": mark_safe(contents),  # noqa: S308 - built from escaped parts
            "body": mark_safe(body),  # noqa: S308 - built from escaped parts
            "nothing": say("nothing", language),
        },
    )


# --- Shapes ---------------------------------------------------------------------------------


def _shape(section: Section, model: type[models.Model], reg: Registry, language: str) -> _Shape:
    presentation = reg.presentation(model)
    chosen = exported_fields(reg.fields_of(model))
    links = {name for item in chosen for name in user_fields(item)}
    context_names = {label for label, _ in presentation.context}
    skipped = links | set(presentation.hidden) | {presentation.within} - {""}
    groups: list[str] = []
    fields: list[_Field] = []
    seen: set[str] = set()
    for item in chosen:
        if item.field_name in seen or item.field_name in skipped:
            continue
        seen.add(item.field_name)
        group = _group_title(item.export_label, item.category, language)
        if group not in groups:
            groups.append(group)
        model_field = concrete_field(model, item.field_name)
        kind = _kind(model_field, presentation)
        if kind == "ref" and item.field_name in context_names:
            kind = "context"
        fields.append(
            _Field(
                item.field_name,
                _label(model_field),
                kind,
                groups.index(group),
                _choices(model_field),
            )
        )
    heading = escape(words(presentation.heading, language))
    heading_names = {name for _, name, _, _ in string.Formatter().parse(heading) if name}
    context_fields = []
    for label, path in presentation.context:
        target = path_target(model, path)
        kind = _kind(target, presentation) if isinstance(target, models.Field) else "text"
        context_fields.append(
            _Field(label, humanise(label), kind, -1, _choices(target) if target else {})
        )
    return _Shape(
        section=section,
        model=model,
        presentation=presentation,
        title=_title(section, model, presentation, language),
        fields=fields,
        groups=groups,
        heading=heading,
        heading_names=heading_names,
        context=_context(model, presentation, section),
        context_fields=context_fields,
        records=list(section.records),
    )


def _kind(model_field: models.Field[Any, Any], presentation: Presentation) -> str:
    name = model_field.name
    if model_field.is_relation:
        related = model_field.related_model
        if isinstance(related, type) and related._meta.label == settings.AUTH_USER_MODEL:
            return "user"
        return "ref"
    if isinstance(model_field, models.FileField):
        return "file"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.DateTimeField):
        return "when"
    if isinstance(model_field, models.DateField):
        return "day"
    if isinstance(model_field, models.JSONField):
        return "json"
    if name.endswith("_minor") or name in presentation.money:
        return "money"
    if name.endswith("_bp"):
        return "percent"
    if name == "country" or name.endswith("_country"):
        return "country"
    return "text"


def _choices(model_field: Any) -> dict[Any, str]:
    flat = getattr(model_field, "flatchoices", None) or ()
    return {value: str(label) for value, label in flat}


def _label(model_field: models.Field[Any, Any]) -> str:
    name = str(model_field.verbose_name)
    return humanise(model_field.name) if name == model_field.name.replace("_", " ") else name


def _group_title(export_label: str, category: str, language: str) -> str:
    """Return a group's heading: the registry's label without its section ("Orders: ")."""
    if language != "en" and category in CATEGORIES:
        return CATEGORIES[category].get(language)
    label = export_label.split(": ", 1)[-1]
    return label[:1].upper() + label[1:]


def _title(
    section: Section, model: type[models.Model], presentation: Presentation, language: str
) -> str:
    if presentation.title:
        return words(presentation.title, language)
    labels = section.title.split("; ")
    if len(labels) == 1:
        return labels[0][:1].upper() + labels[0][1:]
    plural = str(model._meta.verbose_name_plural)
    return plural[:1].upper() + plural[1:]


def _context(
    model: type[models.Model], presentation: Presentation, section: Section
) -> dict[Any, dict[str, Any]]:
    """Read the values that make the records recognisable: one query for the section."""
    names = [label for label, _ in presentation.context]
    paths = [path for _, path in presentation.context]
    # The link to the record a record is shown within, also when it is not exported itself.
    for name, path in (("currency", presentation.currency), (WITHIN, presentation.within)):
        if path:
            names.append(name)
            paths.append(path)
    if not paths or not section.records:
        return {}
    ids = [record["id"] for record in section.records]
    rows = model._base_manager.filter(pk__in=ids).values_list("pk", *paths)
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}


def _nest(shapes: dict[str, _Shape]) -> set[str]:
    """Put records declared ``within`` another's inside it; return the sections emptied."""
    emptied = set()
    for key, shape in shapes.items():
        within = shape.presentation.within
        if not within:
            continue
        related = concrete_field(shape.model, within).related_model
        parent = shapes.get(related._meta.label_lower) if isinstance(related, type) else None
        if parent is None or parent is shape:
            continue
        parent_ids = {record["id"] for record in parent.records}
        grouped: dict[Any, list[dict[str, Any]]] = {}
        orphans = []
        for record in shape.records:
            owner = shape.context.get(record["id"], {}).get(WITHIN)
            if owner in parent_ids:
                grouped.setdefault(owner, []).append(record)
            else:
                orphans.append(record)
        parent.children.append((shape, grouped))
        shape.records = orphans
        if not orphans:
            emptied.add(key)
    return emptied


def _rank(shape: _Shape, user: Any) -> tuple[int, str]:
    if isinstance(user, shape.model):
        return (-1, shape.section.key)
    order = list(GROUPS)
    found = [order.index(CATEGORIES[c].group) for c in shape.section.categories if c in CATEGORIES]
    return (min(found, default=len(order)), shape.section.key)


# --- HTML -----------------------------------------------------------------------------------


def _count(count: int, language: str) -> str:
    return say("one_record", language) if count == 1 else say("records", language, count=count)


def _section_html(shape: _Shape, fmt: Formatter) -> str:
    described = [
        CATEGORIES[c].get(fmt.language) for c in shape.section.categories if c in CATEGORIES
    ]
    records = "".join(_record_html(shape, record, fmt, None, 0) for record in shape.records)
    return (
        f'<section id="{shape.anchor}"><h2>{escape(shape.title)}</h2>'
        f'<p class="muted">{escape("; ".join(described))} · '
        f"{_count(len(shape.records), fmt.language)}</p>{records}</section>"
    )


def _record_html(
    shape: _Shape, record: dict[str, Any], fmt: Formatter, currency: str | None, depth: int
) -> str:
    context = shape.context.get(record["id"], {})
    currency = (
        context.get("currency") or record.get("currency") or currency or settings.DEFAULT_CURRENCY
    )
    shown: dict[str, str] = {}
    rows: list[list[str]] = [[] for _ in shape.groups]
    for item in shape.fields:
        value = _value_html(item, record.get(item.name), fmt, currency, shape, context)
        if value is None:
            continue
        shown[item.name] = value
        if item.name not in shape.heading_names:
            rows[item.group].append(f"{item.opening}{value}</dd>")
    top: list[str] = []
    for item in shape.context_fields:
        if item.name in shown:
            continue
        value = _value_html(item, context.get(item.name), fmt, currency, shape, context)
        if value is None:
            continue
        shown[item.name] = value
        if item.name not in shape.heading_names:
            top.append(f"{item.opening}{value}</dd>")
    parts = ['<article class="record">']
    if shape.heading:
        heading = shape.heading.format_map(_Blank(shown)).strip()
        level = min(3 + 2 * depth, 6)
        parts.append(f"<h{level}>{heading}</h{level}>")
    if depth:
        # Inside another record: one short list of what identifies it and what it holds.
        top += [cell for cells in rows for cell in cells]
        rows = [[] for _ in rows]
    if top:
        parts.append(f'<dl class="context">{"".join(top)}</dl>')
    # What the record holds (an order's items) before the details about it.
    if depth < MAX_DEPTH:
        for child, by_parent in shape.children:
            inner = by_parent.get(record["id"])
            if not inner:
                continue
            level = min(4 + 2 * depth, 6)
            items = "".join(
                f"<li>{_record_html(child, r, fmt, currency, depth + 1)}</li>" for r in inner
            )
            parts.append(
                f'<section class="within"><h{level}>{escape(child.title)}</h{level}>'
                f"<ul>{items}</ul></section>"
            )
    # Headings help where groups are long (an order's delivery, billing, fulfilment), not
    # over one or two values each (an account's email, then its phone).
    filled = [cells for cells in rows if cells]
    grouped = len(filled) > 1 and sum(map(len, filled)) >= 3 * len(filled)
    for title, cells in zip(shape.groups, rows, strict=True):
        if not cells:
            continue
        if grouped:
            parts.append(f"<h4>{escape(title)}</h4>")
        parts.append(f"<dl>{''.join(cells)}</dl>")
    if len(parts) == 1:
        parts.append(f'<p class="muted">{say("link_only", fmt.language)}</p>')
    parts.append("</article>")
    return "".join(parts)


def _value_html(
    item: _Field,
    value: Any,
    fmt: Formatter,
    currency: str,
    shape: _Shape,
    context: dict[str, Any],
) -> str | None:
    """Return the escaped HTML of one value, or ``None`` when there is nothing to show."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    kind = item.kind
    if kind == "text":
        return escape(str(value))
    if kind == "when":
        return fmt.when(value)
    if kind == "money":
        return fmt.money(value, currency)
    if kind == "choice":
        return escape(item.choices.get(value, str(value)))
    if kind == "bool":
        return fmt.boolean(bool(value))
    if kind == "day":
        return fmt.day(value)
    if kind == "country":
        return fmt.country(str(value))
    if kind == "user":
        if value == fmt.subject_pk:
            return say("you", fmt.language)
        return say("another_account", fmt.language, id=value)
    if kind == "context":
        shown = context.get(item.name)
        return escape(str(shown)) if shown not in (None, "") else None
    if kind == "ref":
        return say("number", fmt.language, id=value)
    if kind == "file":
        name = escape(str(value))
        return f'<a href="{name}">{escape(str(value).rsplit("/", 1)[-1])}</a>'
    if kind == "percent":
        return fmt.percent(value)
    return _nested_html(value, fmt, currency, shape.presentation.money)


def _nested_html(value: Any, fmt: Formatter, currency: str, money: tuple[str, ...]) -> str:
    """Return a JSON value as lists: a mapping as labelled values, a list as items."""
    if isinstance(value, dict):
        cells = []
        for key, inner in value.items():
            if inner is None or inner == "" or inner == [] or inner == {}:
                continue
            name = str(key)
            if isinstance(inner, str) and (name == "country" or name.endswith("_country")):
                shown = fmt.country(inner)
            elif isinstance(inner, int) and not isinstance(inner, bool):
                if name.endswith("_minor") or name in money:
                    shown = fmt.money(inner, currency)
                elif name.endswith("_bp"):
                    shown = fmt.percent(inner)
                else:
                    shown = fmt.number(inner)
            else:
                shown = _nested_html(inner, fmt, currency, money)
            cells.append(f"<dt>{escape(humanise(name))}</dt><dd>{shown}</dd>")
        return f'<dl class="nested">{"".join(cells)}</dl>'
    if isinstance(value, list):
        items = [
            escape(humanise(inner))
            if isinstance(inner, str) and _CODE.fullmatch(inner)
            else _nested_html(inner, fmt, currency, money)
            for inner in value
        ]
        return f'<ul class="nested"><li>{"</li><li>".join(items)}</li></ul>'
    if isinstance(value, bool):
        return fmt.boolean(value)
    return escape(str(value))


class _Blank(dict[str, str]):
    """Fill a heading's missing names with nothing rather than fail."""

    def __missing__(self, key: str) -> str:
        return ""
