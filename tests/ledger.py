"""Fixtures: each test writes erasures to an empty ledger of its own, never to var/'s."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def _ledger_template(tmp_path_factory):
    from recommerce.privacy.ledger import SqliteLedger

    template = SqliteLedger(tmp_path_factory.mktemp("ledger") / "template.sqlite3")
    template.create()
    return template.path


@pytest.fixture(autouse=True)
def _erasure_ledger(_ledger_template, tmp_path_factory, settings):
    """Each test writes erasures to an empty ledger of its own, never to var/'s."""
    path = tmp_path_factory.mktemp("ledger", numbered=True) / "ledger.sqlite3"
    shutil.copyfile(_ledger_template, path)
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{path}"
    return path
