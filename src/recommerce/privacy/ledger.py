"""The erasure ledger: an append-only store outside the database it repairs (RIGHT-3).

A backup restored after an erasure brings the erased person back. The replay
(``recommerce privacy replay-erasures``) erases them again, which it can only do if the
list of erasures did not go back in time with the database: so the ledger lives in a store
of its own (``settings.PRIVACY_LEDGER_URL``: a SQLite file, by default next to the embedded
database, or a PostgreSQL database of its own), backed up apart from the main one.

It holds only what a replay needs: the account number, a keyed hash of the email address
(to tell the erased person from a later account given the same number), the time and the
version of the erasure plan, and the request reference. It also keeps the steps of every
data-subject request (reference, kind, law, step, time, due dates), which prove that a
deadline was met even when the database that held the request is restored from before it.
No name, address or other value the erasure removed is ever written here.

Rows are never changed or deleted: both stores refuse it (triggers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from recommerce.privacy.encryption import blind_index

EMAIL_PURPOSE = "privacy.ledger.email"

_TABLES = (
    """CREATE TABLE IF NOT EXISTS erasures (
        id {serial} PRIMARY KEY,
        account_id BIGINT NOT NULL,
        email_hash TEXT NOT NULL,
        erased_at TEXT NOT NULL,
        plan_version TEXT NOT NULL,
        request_reference TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS request_steps (
        id {serial} PRIMARY KEY,
        reference TEXT NOT NULL,
        kind TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        step TEXT NOT NULL,
        at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        due_on TEXT NOT NULL,
        extended_due_on TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS erasures_account ON erasures (account_id)",
    "CREATE INDEX IF NOT EXISTS request_steps_reference ON request_steps (reference)",
)
_SQLITE_GUARDS = tuple(
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}
        BEGIN SELECT RAISE(ABORT, 'the erasure ledger is append-only'); END"""
    for table in ("erasures", "request_steps")
    for verb in ("UPDATE", "DELETE")
)
_POSTGRES_GUARDS = (
    """CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the erasure ledger is append-only'; END $$ LANGUAGE plpgsql""",
    # Table names are this module's own.
    *(
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{table}_append_only') THEN
                CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
                ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
            END IF; END $$"""  # noqa: S608
        for table in ("erasures", "request_steps")
    ),
)


class LedgerUnavailable(Exception):
    """The ledger store is missing, unreachable or unwritable; the message says which."""


@dataclass(frozen=True, slots=True)
class ErasureEntry:
    """One erasure as the ledger keeps it."""

    account_id: int
    email_hash: str
    erased_at: dt.datetime
    plan_version: str
    request_reference: str = ""


@dataclass(frozen=True, slots=True)
class RequestStep:
    """One step of a data-subject request, without anything about the person."""

    reference: str
    kind: str
    jurisdiction: str
    step: str
    at: dt.datetime
    received_at: dt.datetime
    due_on: str
    extended_due_on: str = ""


def email_hash(email: str) -> str:
    """Return the ledger's keyed hash of ``email`` (trimmed, lower case)."""
    return blind_index(email.strip().lower(), purpose=EMAIL_PURPOSE)


def erasure_plan_version() -> str:
    """Return a short digest of what the erasure does to each registered field.

    Written with each erasure, so a replay under a changed plan can be told apart.
    """
    from recommerce.privacy.registry import registry

    plan = sorted(f"{item.model_label}.{item.field_name}:{item.erasure}" for item in registry)
    return hashlib.sha256("\n".join(plan).encode()).hexdigest()[:12]


class LedgerStore(ABC):
    """An append-only store of erasures and request steps."""

    @abstractmethod
    def describe(self) -> str:
        """Return where the store is, for people (never a password)."""

    @abstractmethod
    def exists(self) -> bool:
        """Tell whether the store was created; raise ``LedgerUnavailable`` if unreachable."""

    @abstractmethod
    def _connect(self) -> Any: ...

    _serial = "INTEGER"
    _guards: tuple[str, ...] = ()
    _mark = "?"

    def _open(self) -> Any:
        try:
            return self._connect()
        except Exception as error:
            raise LedgerUnavailable(
                f"The erasure ledger {self.describe()} cannot be reached: {error}"
            ) from error

    @contextmanager
    def _cursor(self, *, create: bool = False) -> Iterator[Any]:
        if not create and not self.exists():
            raise LedgerUnavailable(f"The erasure ledger {self.describe()} does not exist.")
        connection = self._open()
        try:
            with connection:
                cursor = connection.cursor()
                yield cursor
        except LedgerUnavailable:
            raise
        except Exception as error:
            raise LedgerUnavailable(
                f"The erasure ledger {self.describe()} refused the operation: {error}"
            ) from error
        finally:
            connection.close()

    def create(self) -> None:
        """Create the store's tables and their append-only guards (idempotent)."""
        with self._cursor(create=True) as cursor:
            for statement in (*_TABLES, *self._guards):
                cursor.execute(statement.format(serial=self._serial))

    def erasure_append(self, entry: ErasureEntry) -> None:
        """Append one erasure; ``LedgerUnavailable`` if it cannot be written."""
        self._insert(
            "erasures",
            account_id=entry.account_id,
            email_hash=entry.email_hash,
            erased_at=entry.erased_at.isoformat(),
            plan_version=entry.plan_version,
            request_reference=entry.request_reference,
            recorded_at=dt.datetime.now(dt.UTC).isoformat(),
        )

    def erasures(self) -> list[ErasureEntry]:
        """Return every erasure, oldest first."""
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT account_id, email_hash, erased_at, plan_version, request_reference "
                "FROM erasures ORDER BY id"
            )
            return [
                ErasureEntry(row[0], row[1], dt.datetime.fromisoformat(row[2]), row[3], row[4])
                for row in cursor.fetchall()
            ]

    def request_step_append(self, step: RequestStep) -> None:
        """Append one step of a data-subject request."""
        self._insert(
            "request_steps",
            reference=step.reference,
            kind=step.kind,
            jurisdiction=step.jurisdiction,
            step=step.step,
            at=step.at.isoformat(),
            received_at=step.received_at.isoformat(),
            due_on=step.due_on,
            extended_due_on=step.extended_due_on,
        )

    def request_steps(self, *, reference: str | None = None) -> list[RequestStep]:
        """Return the steps of every request (or of one), oldest first."""
        sql = (
            "SELECT reference, kind, jurisdiction, step, at, received_at, due_on, "
            "extended_due_on FROM request_steps"
        )
        params: Sequence[str] = ()
        if reference is not None:
            sql, params = f"{sql} WHERE reference = {self._mark}", (reference,)
        with self._cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY id", params)
            return [
                RequestStep(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    dt.datetime.fromisoformat(row[4]),
                    dt.datetime.fromisoformat(row[5]),
                    row[6],
                    row[7],
                )
                for row in cursor.fetchall()
            ]

    def _insert(self, table: str, **values: Any) -> None:
        columns = ", ".join(values)
        marks = ", ".join([self._mark] * len(values))
        with self._cursor() as cursor:
            # Table and column names are this module's own; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                tuple(values.values()),
            )


class SqliteLedger(LedgerStore):
    """The ledger in a SQLite file of its own."""

    _guards = _SQLITE_GUARDS

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"file {self.path}"

    def exists(self) -> bool:
        return self.path.is_file()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=20)
        # Each erasure is written through to the disk before the database commits it.
        connection.execute("PRAGMA synchronous=FULL")
        return connection


class PostgresLedger(LedgerStore):
    """The ledger in a PostgreSQL database of its own (not the main database)."""

    _serial = "BIGSERIAL"
    _guards = _POSTGRES_GUARDS
    _mark = "%s"

    def __init__(self, url: str) -> None:
        self.url = url

    def describe(self) -> str:
        parts = urlsplit(self.url)
        return f"database {parts.path.lstrip('/')} on {parts.hostname}:{parts.port or 5432}"

    def exists(self) -> bool:
        with self._open() as connection:  # closed on the way out
            cursor = connection.cursor()
            cursor.execute("SELECT to_regclass('erasures') IS NOT NULL")
            return bool(cursor.fetchone()[0])

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, connect_timeout=5)


def ledger_store(url: str | None = None) -> LedgerStore:
    """Return the configured ledger store (``settings.PRIVACY_LEDGER_URL``)."""
    url = url or settings.PRIVACY_LEDGER_URL
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return SqliteLedger(Path(unquote(url.removeprefix("sqlite:///"))))
    if scheme in {"postgres", "postgresql"}:
        return PostgresLedger(url)
    raise LedgerUnavailable(
        f"PRIVACY_LEDGER_URL must start with sqlite:/// or postgres://, not {scheme or url!r}."
    )


def _database_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return ("sqlite", str(Path(unquote(url.removeprefix("sqlite:///"))).resolve()))
    host = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    return ("postgres", f"{host}/{parts.path.lstrip('/')}")


@checks.register(checks.Tags.database, deploy=True)
def check_ledger_apart(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Refuse a ledger inside the main database, or a per-machine file beside PostgreSQL."""
    if settings.DEBUG:
        return []
    ledger, database = settings.PRIVACY_LEDGER_URL, settings.DATABASE_URL
    errors: list[checks.CheckMessage] = []
    if _database_key(ledger) == _database_key(database):
        errors.append(
            checks.Error(
                "PRIVACY_LEDGER_URL names the main database: a restore of that database "
                "would take the list of erasures back in time with it, and erased people "
                "would come back for good.",
                hint="Give the ledger a database (or SQLite file) of its own, backed up apart "
                "(docs/operations.md).",
                id="privacy.E103",
            )
        )
    elif urlsplit(database).scheme != "sqlite" and urlsplit(ledger).scheme == "sqlite":
        errors.append(
            checks.Error(
                f"The erasure ledger is a file on this machine ({ledger}) while the database "
                "is shared: each machine would record only its own erasures, and a replay "
                "after a restore would miss the others'.",
                hint="Set PRIVACY_LEDGER_URL to a PostgreSQL database of its own, the same on "
                "every machine (docs/operations.md).",
                id="privacy.E104",
            )
        )
    return errors
