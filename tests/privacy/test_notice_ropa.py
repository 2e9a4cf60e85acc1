"""The record of processing activities, generated from the registry: one row per purpose with
exact columns, as CSV and JSON, at staff URLs and from the command line (PURP-1)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from recommerce.accounts import roles
from recommerce.privacy import purposes
from recommerce.privacy.notice.ropa import COLUMNS, ropa_csv, ropa_json, ropa_rows
from recommerce.privacy.registry import registry
from tests.accounts.conftest import make_staff, make_user

HEADER = [
    "purpose_code",
    "purpose",
    "family",
    "legal_basis",
    "data_categories",
    "data_subjects",
    "recipients",
    "retention",
    "safeguards",
]


def _purpose_codes() -> list[str]:
    found = {p.code: p for p in purposes.ALL} | {p.code: p for f in registry for p in f.purposes}
    return list(found)


def test_purp_1_the_record_has_one_row_per_purpose_with_exact_columns() -> None:
    assert list(COLUMNS) == HEADER
    rows = list(csv.reader(io.StringIO(ropa_csv())))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == _purpose_codes()
    assert all(len(row) == len(HEADER) for row in rows)
    assert [row.family for row in ropa_rows()] == [
        {
            purposes.Family.SERVICE: "Using the service",
            purposes.Family.MARKETING: "Marketing",
            purposes.Family.IMPROVEMENT: "Improving the service",
            purposes.Family.FRAUD_SECURITY: "Fraud prevention and security",
            purposes.Family.LEGAL: "Legal and tax obligations",
        }[purposes.by_code(code).family]
        for code in _purpose_codes()
    ]


def test_purp_1_a_row_lists_the_categories_people_recipients_periods_and_safeguards() -> None:
    rows = {row[0]: row for row in csv.reader(io.StringIO(ropa_csv()))}
    assert rows["service.insurance"] == [
        "service.insurance",
        "Subscribe the device insurance the buyer chose",
        "Using the service",
        "Performance of a contract",
        "Device insurance policy",
        "account holders (buyers, trade-in customers, sellers' and companies' users)",
        "The device insurer",
        "Device insurance policy: 10 years after the invoice date",
        "staff access limited by role; each staff look at a person's data is logged; "
        "periods applied by the nightly retention job; "
        "kept detached from the account under legal hold after erasure",
    ]


def test_purp_1_sensitive_categories_are_recorded_as_encrypted() -> None:
    by_code = {row.purpose_code: row for row in ropa_rows()}
    assert "encrypted at rest: Seller's bank account (IBAN) and its holder" in (
        by_code["service.payments"].safeguards
    )
    assert [s for s in by_code["legal.age"].safeguards if s.startswith("encrypted")] == []


def test_purp_1_the_json_record_has_the_same_rows_and_lists(settings: Any) -> None:
    data = ropa_json()
    assert data["controller"] == {
        "name": settings.MARKETPLACE_LEGAL["name"],
        "address": settings.MARKETPLACE_LEGAL["address"],
        "registration": settings.MARKETPLACE_LEGAL["registration"],
        "dpo_email": settings.MARKETPLACE_LEGAL.get("dpo_email", ""),
    }
    assert data["columns"] == HEADER
    assert [row["purpose_code"] for row in data["activities"]] == _purpose_codes()
    for row in data["activities"]:
        assert list(row) == HEADER
        for column in ("data_categories", "data_subjects", "recipients", "retention", "safeguards"):
            assert isinstance(row[column], list)
    insurance = next(r for r in data["activities"] if r["purpose_code"] == "service.insurance")
    assert insurance["data_categories"] == ["Device insurance policy"]
    assert insurance["recipients"] == ["The device insurer"]


def test_purp_1_the_command_prints_the_record(capsys: Any) -> None:
    call_command("privacy", "ropa", "--format", "json")
    assert json.loads(capsys.readouterr().out) == ropa_json()
    call_command("privacy", "ropa")
    assert capsys.readouterr().out == ropa_csv()


@pytest.mark.django_db
def test_purp_1_the_dpo_downloads_the_record_and_others_cannot() -> None:
    client = Client()
    client.force_login(make_staff(roles.DPO, "dpo@recommerce.example"))
    exported = client.get("/staff/privacy/ropa.csv")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported["Content-Disposition"].startswith('attachment; filename="record-of-processing-')
    assert exported.content.decode() == ropa_csv()
    as_json = client.get("/staff/privacy/ropa.json")
    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content) == ropa_json()

    client.force_login(make_staff(roles.FINANCE, "finance@recommerce.example"))
    assert client.get("/staff/privacy/ropa.csv").status_code == 403
    client.force_login(make_user("buyer@example.com"))
    assert client.get("/staff/privacy/ropa.json").status_code == 404
