"""The erasure ledger outside the database it repairs (RIGHT-3, Faults 1).

The end-to-end proof (a real dump, an erasure, a restore and the replay, on SQLite and on
PostgreSQL) is in ``test_backup_restore.py``; here each rule of the ledger on its own.
"""

from __future__ import annotations

import datetime as dt
import socket
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recommerce.accounts.models import User
from recommerce.privacy.ledger import (
    LedgerUnavailable,
    PostgresLedger,
    SqliteLedger,
    email_hash,
    erasure_plan_version,
    ledger_store,
)
from recommerce.privacy.models import DataRequest, ErasureRecord
from recommerce.privacy.services.erasure import erasure_run, erasure_start
from recommerce.privacy.services.replay import LedgerMismatch, erasures_replay
from recommerce.privacy.services.requests import data_request_submit, data_request_verify_by_staff
from tests.privacy.test_rights_erasure import (
    CANARY_EMAIL,
    CANARY_NAME,
    CANARY_PHONE,
    CANARY_STREET,
    make_person,
    recorders,
)

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def restore(person: User) -> None:
    """Put the person's account back as a backup from before the erasure holds it."""
    User.objects.filter(pk=person.pk).update(
        email=CANARY_EMAIL, full_name=CANARY_NAME, phone=CANARY_PHONE, is_active=True
    )


def test_faults_1_an_erasure_writes_only_what_a_replay_needs_to_the_ledger(
    monkeypatch: pytest.MonkeyPatch, _erasure_ledger: Path
) -> None:
    """RIGHT-3: number, keyed email hash, time, plan version; none of the erased values."""
    recorders(monkeypatch)
    person = make_person()
    record = erasure_start(user=person, request_reference="DSR-26ABC")

    [entry] = ledger_store().erasures()
    assert (entry.account_id, entry.request_reference) == (person.pk, "DSR-26ABC")
    assert entry.email_hash == email_hash(CANARY_EMAIL) != CANARY_EMAIL
    assert entry.erased_at == record.erased_at
    assert entry.plan_version == erasure_plan_version()
    raw = _erasure_ledger.read_bytes().lower()
    for value in (CANARY_EMAIL, CANARY_NAME, CANARY_PHONE, CANARY_STREET, "canary"):
        assert value.lower().encode() not in raw


def test_faults_1_the_ledger_refuses_changes_and_deletions(_erasure_ledger: Path) -> None:
    """RIGHT-3: append-only, whoever holds the file."""
    person = make_person()
    erasure_start(user=person)
    with sqlite3.connect(_erasure_ledger) as connection:
        for statement in ("UPDATE erasures SET account_id = 1", "DELETE FROM erasures"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                connection.execute(statement)
    assert [entry.account_id for entry in ledger_store().erasures()] == [person.pk]


def test_faults_1_an_erasure_the_ledger_cannot_record_does_not_happen(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    """RIGHT-3: ledger gone (its volume unmounted): nothing erased, the record resumable."""
    recorders(monkeypatch)
    person = make_person()
    kept_url = settings.PRIVACY_LEDGER_URL
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{tmp_path / 'unmounted' / 'ledger.sqlite3'}"

    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.FAILED
    assert record.erased_at is None
    assert "could not be recorded" in record.error and "does not exist" in record.error
    person.refresh_from_db()
    assert (person.email, person.full_name, person.is_active) == (CANARY_EMAIL, CANARY_NAME, True)
    assert person.addresses.count() == 2

    settings.PRIVACY_LEDGER_URL = kept_url  # back: the resume erases and records
    assert erasure_run(record=record).status == ErasureRecord.Status.DONE
    assert [entry.account_id for entry in ledger_store().erasures()] == [person.pk]


def test_faults_1_an_unreachable_ledger_database_stops_the_erasure(
    monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """RIGHT-3: a PostgreSQL ledger that does not answer: nothing erased, said why."""
    recorders(monkeypatch)
    person = make_person()
    settings.PRIVACY_LEDGER_URL = f"postgres://postgres@127.0.0.1:{closed_port()}/ledger"

    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.FAILED
    assert "cannot be reached" in record.error
    person.refresh_from_db()
    assert (person.email, person.is_active) == (CANARY_EMAIL, True)
    with pytest.raises(LedgerUnavailable, match="cannot be reached"):
        erasures_replay()


def test_faults_1_replay_erases_again_only_those_a_restore_brought_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """RIGHT-3: only the restored person changes; a second replay erases nobody."""
    recorders(monkeypatch)
    person = make_person()
    other = make_person("someone-else@example.org", name="Someone Else")
    bystander = make_person("bystander@example.org", name="Bystander Kept")
    erasure_start(user=person)
    erasure_start(user=other)
    assert erasures_replay().erased_again == []

    restore(person)
    report = erasures_replay()

    assert (report.entries, report.erased_again, report.already_erased) == (2, [person.pk], 1)
    shell = User.objects.get(pk=person.pk)
    assert (shell.email, shell.full_name, shell.phone, shell.is_active) == (
        f"erased-{person.pk}@erased.invalid",
        "",
        "",
        False,
    )
    bystander.refresh_from_db()
    assert (bystander.email, bystander.full_name) == ("bystander@example.org", "Bystander Kept")
    replay = ErasureRecord.objects.filter(subject_id=person.pk).order_by("pk").last()
    assert replay is not None
    assert (replay.request_reference, replay.status) == ("replay", ErasureRecord.Status.DONE)
    assert erasures_replay().erased_again == []


def test_faults_1_replay_refuses_a_missing_ledger_loudly(settings, tmp_path: Path) -> None:
    """RIGHT-3: no ledger, no "Erased again: 0": the command fails and says why."""
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{tmp_path / 'lost.sqlite3'}"
    with pytest.raises(CommandError, match=r"Replay refused: .*lost\.sqlite3 does not exist"):
        call_command("privacy", "replay-erasures")
    assert not (tmp_path / "lost.sqlite3").exists()


def test_faults_1_replay_refuses_an_empty_ledger_beside_erased_accounts(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> None:
    """RIGHT-3: an empty ledger beside a database that erased people is not its ledger."""
    recorders(monkeypatch)
    erasure_start(user=make_person())
    empty = SqliteLedger(tmp_path / "empty.sqlite3")
    empty.create()
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{empty.path}"

    with pytest.raises(LedgerMismatch, match="is empty, but this database shows 1 erased"):
        erasures_replay()
    with pytest.raises(CommandError, match="restore the ledger from its own backup"):
        call_command("privacy", "replay-erasures")
    assert empty.erasures() == []


def test_faults_1_replay_leaves_a_newcomer_given_an_erased_number_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """RIGHT-3: after a restore the number may go to someone else; they are not erased."""
    recorders(monkeypatch)
    person = make_person()
    erasure_start(user=person)
    # The restored database gave the number to a person who joined after the erasure.
    User.objects.filter(pk=person.pk).update(
        email="newcomer@example.org",
        full_name="New Comer",
        is_active=True,
        date_joined=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5),
    )

    report = erasures_replay()

    assert (report.reused, report.erased_again) == ([person.pk], [])
    newcomer = User.objects.get(pk=person.pk)
    assert (newcomer.email, newcomer.full_name) == ("newcomer@example.org", "New Comer")
    with pytest.raises(CommandError, match=rf"account number\(s\) {person.pk} now belong"):
        call_command("privacy", "replay-erasures")


def test_faults_1_request_steps_outlive_a_restore_of_the_database(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    """RIGHT-5: the steps that prove a deadline, without the person, stay in the ledger."""
    recorders(monkeypatch)
    person = make_person()
    dpo = User.objects.create_user("dpo-ledger@example.org", None, full_name="Dee Pio")
    with django_capture_on_commit_callbacks(execute=True):
        request = data_request_submit(
            kind=DataRequest.Kind.ACCESS,
            channel=DataRequest.Channel.WRITTEN,
            jurisdiction="gdpr",
            full_name=CANARY_NAME,
            email=CANARY_EMAIL,
            details="Letter.",
            actor=dpo,
        )
    with django_capture_on_commit_callbacks(execute=True):
        data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")
    steps = ledger_store().request_steps(reference=request.reference)
    assert [step.step for step in steps] == list(
        request.events.order_by("pk").values_list("action", flat=True)
    )
    assert {(step.kind, step.jurisdiction, step.due_on) for step in steps} == {
        ("access", "gdpr", request.due_on.isoformat())
    }
    assert person.pk  # the person exists; nothing of theirs is in the steps
    assert all(CANARY_NAME not in str(step) and CANARY_EMAIL not in str(step) for step in steps)

    DataRequest.objects.filter(pk=request.pk).delete()  # a backup from before it
    assert erasures_replay().requests_missing == [request.reference]


def test_faults_1_migrate_never_makes_a_lost_ledger_again_quietly(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path, capsys
) -> None:
    """RIGHT-3: lost ledger + erased accounts: a warning, then ledger-init starts it."""
    from recommerce.privacy.apps import _ledger_ensure

    recorders(monkeypatch)
    person = make_person()
    erasure_start(user=person)
    lost = tmp_path / "lost.sqlite3"
    settings.PRIVACY_LEDGER_URL = f"sqlite:///{lost}"

    _ledger_ensure(using="default")

    assert not lost.exists()
    assert "recommerce privacy ledger-init" in capsys.readouterr().err
    call_command("privacy", "ledger-init")
    assert [entry.account_id for entry in ledger_store().erasures()] == [person.pk]
    with pytest.raises(CommandError, match="already holds erasures"):
        call_command("privacy", "ledger-init")


@pytest.mark.postgres
def test_faults_1_a_postgresql_ledger_is_append_only_too() -> None:
    """RIGHT-3: the ledger in a PostgreSQL database of its own refuses changes."""
    psycopg = pytest.importorskip("psycopg")
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        server = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("needs a PostgreSQL server on 127.0.0.1:5432 (CI has one)")
    name = f"ledger_test_{closed_port()}"
    server.execute(f'CREATE DATABASE "{name}"')
    try:
        store = PostgresLedger(f"postgres://postgres@127.0.0.1:5432/{name}")
        assert not store.exists()
        store.create()
        store.create()  # idempotent
        person = make_person()
        with pytest.MonkeyPatch.context() as patch:
            recorders(patch)
            patch.setattr("django.conf.settings.PRIVACY_LEDGER_URL", store.url)
            erasure_start(user=person)
        assert [entry.account_id for entry in store.erasures()] == [person.pk]
        with psycopg.connect(store.url) as connection:
            for statement in ("UPDATE erasures SET account_id = 1", "DELETE FROM erasures"):
                with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                    connection.execute(statement)
                connection.rollback()
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def test_faults_1_the_console_shows_people_a_restore_brought_back(
    monkeypatch: pytest.MonkeyPatch, client, settings, tmp_path: Path
) -> None:
    """RIGHT-3: the DPO sees the ledger, and a restore not yet replayed, at a glance."""
    from tests.privacy.test_dpo_console import make_staff

    recorders(monkeypatch)
    person = make_person()
    erasure_start(user=person, request_reference="DSR-26LEDGER")
    client.force_login(make_staff("privacy.handle_datarequest"))

    page = client.get("/staff/privacy/ledger/").content.decode()
    assert "DSR-26LEDGER" in page and "is back in the database" not in page

    restore(person)
    page = client.get("/staff/privacy/ledger/").content.decode()
    assert "1 erased person is back in the database" in page
    assert CANARY_EMAIL not in page and CANARY_NAME not in page

    settings.PRIVACY_LEDGER_URL = f"sqlite:///{tmp_path / 'gone.sqlite3'}"
    page = client.get("/staff/privacy/ledger/").content.decode()
    assert "The ledger cannot be read" in page and "gone.sqlite3 does not exist" in page
