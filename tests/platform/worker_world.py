"""A database, a queue and a mailbox of the test's own, shared by real worker processes.

The fault tests run the real ``recommerce worker`` (Huey's consumer) as a subprocess, stop
it with SIGKILL at a named step (``platform.faults.checkpoint``), start another and look at
what survived. Both processes and the test need one database:

- on SQLite, a file migrated once per session and copied for each test;
- on PostgreSQL, the test database itself (the test uses ``transactional_db``, so what the
  subprocesses write is committed and flushed afterwards).

The queue is a SqliteHuey file of the test's own, or, when ``REDIS_URL`` is set, that Redis
(the queue emptied first). Emails land as files (Django's file backend, no mail server).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

SEPARATOR = "\n" + "-" * 79 + "\n"
PRELUDE = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recommerce.settings")
django.setup()
result = None
"""


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _base_env(var: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"EMAIL_HOST", "RECOMMERCE_FAULT_PAUSE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DATABASE_URL=database_url,
        RECOMMERCE_VAR_DIR=str(var),
        RECOMMERCE_FAULT_DIR=str(var / "faults"),
        HUEY_IMMEDIATE="0",
        SITE_URL="https://shop.example",
        DJANGO_SETTINGS_MODULE="recommerce.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite database file with every migration applied (made once a session)."""
    folder = tmp_path_factory.mktemp("worker-db")
    path = folder / "db.sqlite3"
    env = _base_env(folder, f"sqlite:///{path}")
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "recommerce.cli", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        timeout=300,
    )
    return path


class World:
    """The test's database, queue and mailbox, and the processes that share them."""

    def __init__(self, var: Path, database_url: str) -> None:
        self.var = var
        (var / "faults").mkdir(parents=True, exist_ok=True)
        (var / "mail").mkdir(exist_ok=True)
        self.env = _base_env(var, database_url)
        self.processes: list[subprocess.Popen[bytes]] = []

    def run(self, code: str, **extra_env: str) -> Any:
        """Run ``code`` in a fresh Django process; return the JSON of its ``result``."""
        script = PRELUDE + textwrap.dedent(code) + "\nprint('RESULT=' + json.dumps(result))\n"
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        line = [row for row in done.stdout.splitlines() if row.startswith("RESULT=")][-1]
        return json.loads(line.removeprefix("RESULT="))

    def worker(self, *, pause: str = "") -> subprocess.Popen[bytes]:
        """Start ``recommerce worker`` (one worker thread, no periodic schedule, quick polls);
        with ``pause``, it stops at that step for the test to kill it."""
        env = {**self.env, "RECOMMERCE_FAULT_PAUSE": pause} if pause else self.env
        command = [sys.executable, "-m", "recommerce.cli", "worker"]
        command += ["-w", "1", "-n", "-C", "-d", "0.05", "-m", "0.3", "-v", "0"]
        log = (self.var / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
        self.processes.append(process)
        return process

    def wait_for_step(
        self, step: str, process: subprocess.Popen[bytes], timeout: float = 60
    ) -> int:
        """Wait until ``process`` pauses at ``step``; return its pid."""
        deadline = time.monotonic() + timeout
        marker = self.var / "faults" / f"{step}.{process.pid}"
        while not marker.exists():
            assert process.poll() is None, self.log()
            assert time.monotonic() < deadline, f"never reached {step}\n{self.log()}"
            time.sleep(0.05)
        return process.pid

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """Kill ``process`` outright (SIGKILL: no handler, no cleanup runs)."""
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL

    def wait_until(self, code: str, timeout: float = 60) -> Any:
        """Run ``code`` until its ``result`` is truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.run(code)
            if result:
                return result
            assert time.monotonic() < deadline, f"not reached: {code}\n{self.log()}"
            time.sleep(0.3)

    def mails(self) -> list[str]:
        """Return every message the file backend wrote (one string each)."""
        messages: list[str] = []
        for path in sorted((self.var / "mail").glob("*.log")):
            messages += [m for m in path.read_text().split(SEPARATOR) if m.strip()]
        return messages

    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")[-3000:] for path in self.var.glob("worker-*.log")
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def world(
    request: pytest.FixtureRequest, tmp_path: Path, transactional_db: None
) -> Iterator[World]:
    """Return a world of the test's own; its processes are killed at the end.

    ``transactional_db``: on PostgreSQL the processes share the test database, so what
    they write must be committed, and emptied after the test.
    """
    var = tmp_path / "var"
    var.mkdir()
    if on_postgres():
        url = _database_url()
    else:
        source: Path = request.getfixturevalue("_migrated_sqlite")
        shutil.copy(source, var / "db.sqlite3")
        url = f"sqlite:///{var / 'db.sqlite3'}"
    made = World(var, url)
    if os.environ.get("REDIS_URL"):
        made.run("from huey.contrib.djhuey import HUEY\nHUEY.flush()")
    try:
        yield made
    finally:
        made.stop()
