"""The data map document and the ``privacy`` command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from recommerce.privacy.datamap import datamap_json, datamap_markdown
from recommerce.privacy.registry import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy" / "data-map.md"


def test_the_data_map_document_matches_the_registry():
    # Regenerate with: recommerce privacy datamap > docs/privacy/data-map.md
    assert DOC.read_text() == datamap_markdown()


def test_the_json_data_map_lists_every_personal_field_once():
    listed = [
        (entry["model"], name) for entry in datamap_json()["entries"] for name in entry["fields"]
    ]
    assert sorted(listed) == sorted(registry.personal_fields)
    assert len(listed) == len(set(listed))


def test_the_command_prints_the_map_in_both_formats():
    out = StringIO()
    call_command("privacy", "datamap", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    invoices = [e for e in document["entries"] if e["model"] == "orders.Invoice"]
    assert invoices[0]["erasure"] == "legal_hold"
    assert invoices[0]["retention"] == (
        "until the end of its legal hold, 10 years after the invoice date"
    )
    out = StringIO()
    call_command("privacy", "datamap", stdout=out)
    assert out.getvalue().startswith("# Data map\n")


@pytest.mark.django_db
def test_retain_1_the_dry_run_command_reports_each_rule_and_changes_nothing(django_user_model):
    import datetime as dt

    from django.utils import timezone

    from recommerce.platform.models import IdempotentRequest

    old = IdempotentRequest.objects.create(
        actor="user:1", key="k", operation="op", request_hash="h", status_code=200, response={}
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    out = StringIO()
    call_command("privacy", "retention", "--dry-run", stdout=out)
    line = next(
        x for x in out.getvalue().splitlines() if x.startswith("platform.IdempotentRequest")
    )
    assert line.split()[-1] == "1"
    assert "would change" in line
    assert IdempotentRequest.objects.filter(pk=old.pk).exists()
    call_command("privacy", "retention", stdout=StringIO())
    assert not IdempotentRequest.objects.filter(pk=old.pk).exists()
