"""Backup, erasure, restore, replay: an erased person never comes back (RIGHT-3, Faults 1).

Each test runs the application as an operator does, in processes of its own against a
database of its own: a real backup (SQLite's online backup, ``pg_dump``), an erasure, a
real restore of that backup, then ``recommerce privacy replay-erasures``. The erasure
ledger stays where ``PRIVACY_LEDGER_URL`` says, outside the database and its backups, like
the keys under the var directory. SQLite runs with the suite on SQLite, PostgreSQL with the
suite on PostgreSQL (CI runs both).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "restored.canary@example.org"
NAME = "Quorvyn Restorable"

CREATE = f"""
from recommerce.accounts.models import Address, User
from recommerce.accounts.services.users import address_create
person = User.objects.create_user({EMAIL!r}, None, full_name={NAME!r}, phone="+33698765432")
address_create(actor=person, user=person, kind=Address.Kind.DELIVERY, full_name={NAME!r},
               line1="3 rue Vqxz", postal_code="75011", city="Paris", country="FR",
               phone="+33698765432")
User.objects.create_user("bystander.restore@example.org", None, full_name="Kept Bystander")
"""
ERASE = f"""
from recommerce.accounts.models import User
from recommerce.privacy.services.erasure import erasure_start
print(erasure_start(user=User.objects.get(email={EMAIL!r})).status)
"""
SHOW = f"""
from recommerce.accounts.models import User
for email in ({EMAIL!r}, "bystander.restore@example.org"):
    print(User.objects.filter(email=email).count(), end=" ")
print(User.objects.filter(full_name={NAME!r}).count(), User.objects.filter(is_active=False).count())
"""
# Present: the person (by email), the bystander, the person (by name), inactive accounts.
BACK, ERASED = "1 1 1 0", "0 1 0 1"


class Site:
    """The application in its own processes, on its own database, ledger and keys."""

    def __init__(self, var: Path, database_url: str) -> None:
        self.var, self.ledger = var, var / "ledger" / "erasure-ledger.sqlite3"
        keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
        self.env = {name: os.environ[name] for name in keep if name in os.environ} | {
            "DJANGO_SETTINGS_MODULE": "recommerce.settings",
            "RECOMMERCE_VAR_DIR": str(var),
            "DATABASE_URL": database_url,
            "PRIVACY_LEDGER_URL": f"sqlite:///{self.ledger}",
            "HUEY_IMMEDIATE": "1",
        }

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def python(self, code: str) -> str:
        return self.manage("shell", "-v", "0", "-c", code).stdout.strip()


def journey(site: Site, backup: Callable[[], None], restore: Callable[[], None]) -> None:
    site.manage("migrate", "--no-input", "-v", "0")
    site.python(CREATE)
    backup()  # last night's backup holds the person
    assert site.python(ERASE) == "done"
    assert site.python(SHOW) == ERASED

    restore()
    assert site.python(SHOW) == BACK  # the fault: the restore brought the person back

    replay = site.manage("privacy", "replay-erasures")
    assert "Erased again: 1 account." in replay.stdout
    assert site.python(SHOW) == ERASED
    again = site.manage("privacy", "replay-erasures")
    assert "Erased again: 0 accounts." in again.stdout
    assert "Already erased: 1 account." in again.stdout

    # Without its ledger the replay refuses, loudly, and changes nothing.
    restore()
    site.ledger.rename(site.ledger.with_suffix(".away"))
    refused = site.manage("privacy", "replay-erasures", check=False)
    assert refused.returncode == 1
    assert "Replay refused" in refused.stderr and "does not exist" in refused.stderr
    assert site.python(SHOW) == BACK


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite on SQLite runs this one")
def test_faults_1_sqlite_backup_erase_restore_replay(tmp_path: Path) -> None:
    """RIGHT-3: dump → erase → restore → replay → erased, on the embedded database."""
    database = tmp_path / "recommerce.sqlite3"
    site = Site(tmp_path / "var", f"sqlite:///{database}")
    dump = tmp_path / "backup.sqlite3"

    def backup() -> None:
        with sqlite3.connect(database) as source, sqlite3.connect(dump) as target:
            source.backup(target)

    def restore() -> None:
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(dump, database)

    journey(site, backup, restore)


def _pg_tool(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    return found[-1] if found else shutil.which(name) or name


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


@pytest.fixture
def pg_database() -> Iterator[str]:
    settings = connection.settings_dict
    base = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    )
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = [f"--maintenance-db={base}/postgres", name]
    subprocess.run([_pg_tool("createdb"), *admin], check=True)  # noqa: S603
    try:
        yield f"{base}/{name}"
    finally:
        subprocess.run([_pg_tool("dropdb"), "--force", "--if-exists", *admin], check=False)  # noqa: S603


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite on PostgreSQL runs this")
def test_faults_1_postgresql_dump_erase_restore_replay(tmp_path: Path, pg_database: str) -> None:
    """RIGHT-3: pg_dump → erase → pg_restore → replay → erased, on PostgreSQL."""
    site = Site(tmp_path / "var", pg_database)
    dump = tmp_path / "backup.dump"

    def backup() -> None:
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_dump"), "--format=custom", f"--file={dump}", pg_database], check=True
        )

    def restore() -> None:
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
             f"--dbname={pg_database}", str(dump)],
            check=True,
        )  # fmt: skip

    journey(site, backup, restore)
