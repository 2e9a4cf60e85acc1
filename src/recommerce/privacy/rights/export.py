"""Build a person's data export (RIGHT-1): ``data.json``, CSV per section, an HTML summary
and the files they uploaded, in one ZIP."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from recommerce.privacy.encryption import Sealed
from recommerce.privacy.paths import concrete_field
from recommerce.privacy.purposes import LEGAL_DATA_PROTECTION
from recommerce.privacy.registry import PersonalField, Registry, registry
from recommerce.privacy.rights.rows import Holding, person_holdings
from recommerce.privacy.services.sensitive import sensitive_open

FORMAT_VERSION = "1.0"
NOT_EXPORTED_CATEGORIES = ("user.credentials.",)  # secrets: a hash or a key proves nothing


@dataclass
class Section:
    """One model's rows of the person, with the exported fields only."""

    key: str
    title: str
    categories: list[str]
    columns: list[str]
    records: list[dict[str, Any]] = field(default_factory=list)
    # (the field's storage, the file's name there, its name in the ZIP)
    files: list[tuple[Storage, str, str]] = field(default_factory=list)


def exported_fields(fields: tuple[PersonalField, ...] | list[PersonalField]) -> list[PersonalField]:
    """Return the fields an export shows: not technical copies, never credentials."""
    return [
        item
        for item in fields
        if item.exported and not item.category.startswith(NOT_EXPORTED_CATEGORIES)
    ]


def export_sections(user: Any, *, reg: Registry = registry) -> list[Section]:
    """Return the person's data, section by section, read through the registry."""
    sections = []
    for holding in person_holdings(user, reg=reg):
        section = _section(holding)
        if section is not None:
            sections.append(section)
    return sections


def _section(holding: Holding) -> Section | None:
    chosen = exported_fields(holding.fields)
    if not chosen:
        return None
    model = holding.model
    names = list(dict.fromkeys(item.field_name for item in chosen))
    columns = ["id", *names]
    titles = list(dict.fromkeys(item.export_label for item in chosen))
    section = Section(
        key=model._meta.label_lower,
        title="; ".join(titles),
        categories=sorted({item.category for item in chosen}),
        columns=columns,
    )
    attnames = {name: concrete_field(model, name).attname for name in names}
    items = {item.field_name: item for item in chosen}
    for obj in model._base_manager.filter(pk__in=holding.pks).order_by("pk"):
        record: dict[str, Any] = {"id": obj.pk}
        for name in names:
            field_ = concrete_field(model, name)
            value = getattr(obj, attnames[name])
            if isinstance(value, Sealed):
                # Answering the person's own access request is a purpose the field declares.
                value = sensitive_open(value, item=items[name], purpose=LEGAL_DATA_PROTECTION)
            if isinstance(field_, models.FileField) and value:
                zip_name = f"files/{section.key}/{obj.pk}-{str(value).rsplit('/', 1)[-1]}"
                section.files.append((field_.storage, str(value), zip_name))
                value = zip_name
            record[name] = plain(value)
        section.records.append(record)
    return section


def plain(value: Any) -> Any:
    """Return ``value`` as JSON can hold it."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def export_document(user: Any, sections: list[Section], *, schema_url: str) -> dict[str, Any]:
    """Return the ``data.json`` document."""
    return {
        "$schema": schema_url,
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "account_id": user.pk,
        "sections": {
            s.key: {"title": s.title, "categories": s.categories, "records": s.records}
            for s in sections
        },
    }


def export_archive_bytes(user: Any, *, schema_url: str, reg: Registry = registry) -> bytes:
    """Return the whole export as ZIP bytes."""
    # The summary reads this module's sections: imported here, not at the top.
    from recommerce.privacy.rights.summary import summary_html

    sections = export_sections(user, reg=reg)
    document = export_document(user, sections, schema_url=schema_url)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Compact: indentation makes ``json`` fall back to its slow pure-Python encoder.
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False))
        for section in sections:
            archive.writestr(f"csv/{section.key}.csv", _csv(section))
            for storage, storage_name, zip_name in section.files:
                if storage.exists(storage_name):
                    with storage.open(storage_name, "rb") as handle:
                        archive.writestr(zip_name, handle.read())
        summary = summary_html(user, sections, generated_at=document["generated_at"], reg=reg)
        archive.writestr("summary.html", summary)
    return buffer.getvalue()


def _csv(section: Section) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=section.columns, extrasaction="ignore")
    writer.writeheader()
    for record in section.records:
        writer.writerow(
            {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in record.items()}
        )
    return out.getvalue()
