"""The JSON Schema of ``data.json``, generated from the registry and published by the app."""

from __future__ import annotations

from typing import Any

from django.db import models

from recommerce.privacy.paths import concrete_field
from recommerce.privacy.registry import Registry, registry
from recommerce.privacy.rights.export import FORMAT_VERSION, exported_fields


def _json_type(field: models.Field[Any, Any]) -> dict[str, Any]:
    kind: dict[str, Any]
    if isinstance(field, models.BooleanField):
        kind = {"type": "boolean"}
    elif isinstance(field, models.ForeignKey | models.OneToOneField):
        kind = {"type": ["integer", "string"]}
    elif isinstance(field, models.IntegerField | models.AutoField):
        kind = {"type": "integer"}
    elif isinstance(field, models.DateTimeField):
        kind = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        kind = {"type": "string", "format": "date"}
    elif isinstance(field, models.JSONField):
        return {}
    else:
        kind = {"type": "string"}
    if field.null or isinstance(field, models.ForeignKey):
        types = kind["type"] if isinstance(kind["type"], list) else [kind["type"]]
        kind["type"] = [*types, "null"]
    return kind


def export_json_schema(*, reg: Registry = registry) -> dict[str, Any]:
    """Return the schema every ``data.json`` validates against."""
    sections: dict[str, Any] = {}
    for model, fields in reg.by_model().items():
        chosen = exported_fields(fields)
        if not chosen:
            continue
        properties: dict[str, Any] = {"id": {}}
        for item in chosen:
            properties[item.field_name] = {
                **_json_type(concrete_field(model, item.field_name)),
                "description": f"{item.export_label} ({item.category})",
            }
        sections[model._meta.label_lower] = {
            "type": "object",
            "required": ["title", "categories", "records"],
            "properties": {
                "title": {"type": "string"},
                "categories": {"type": "array", "items": {"type": "string"}},
                "records": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id"],
                        "properties": properties,
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Recommerce personal data export",
        "type": "object",
        "required": ["format_version", "generated_at", "account_id", "sections"],
        "properties": {
            "$schema": {"type": "string"},
            "format_version": {"const": FORMAT_VERSION},
            "generated_at": {"type": "string", "format": "date-time"},
            "account_id": {"type": "integer"},
            "sections": {
                "type": "object",
                "properties": sections,
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }
