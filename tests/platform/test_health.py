"""``/health/live``, ``/health/ready`` and which database errors answer 503: real faults."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.db.utils import ConnectionHandler
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from huey import RedisHuey, SqliteHuey
from huey.contrib import djhuey

from recommerce.platform.outages import database_unavailable, server_error, unavailable_response
from recommerce.platform.queue import DurableRedisHuey

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ready(client: Client | None = None, **headers: str) -> tuple[int, dict[str, Any], Any]:
    response = (client or Client()).get("/health/ready", headers=headers)
    return response.status_code, json.loads(response.content), response


def states(report: dict[str, Any]) -> dict[str, str]:
    return {name: check["state"] for name, check in report["checks"].items()}


def closed_cache() -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "recommerce.platform.cache.SharedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }


def test_live_answers_without_touching_anything_even_for_an_unknown_host():
    """Faults 5: /health/live is 200 JSON, sets no cookie, and is answered before the Host
    check and the HTTPS redirect (load balancers probe by address, over plain HTTP)."""
    client = Client()
    with override_settings(SECURE_SSL_REDIRECT=True), CaptureQueriesContext(connection) as q:
        response = client.get("/health/live", HTTP_HOST="10.1.2.3:8000")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok"})
    assert response["Content-Type"] == "application/json"
    assert response.cookies == {} and len(q.captured_queries) == 0
    # The control: the same host is refused on any other address.
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_ready_reports_each_dependency_with_its_state_and_time():
    """Faults 5: all up, 200 "ok" with database, cache and queue each "ok" and timed."""
    status, report, response = ready()
    assert (status, report["status"], states(report)) == (
        200,
        "ok",
        {"database": "ok", "cache": "ok", "queue": "ok"},
    )
    assert all(isinstance(check["ms"], float) for check in report["checks"].values())
    assert response.cookies == {} and response["Cache-Control"] == "no-store"


def test_ready_with_the_cache_at_a_closed_port_is_degraded_not_down():
    """Faults 4: the cache unreachable, readiness stays 200 "degraded" (pages still work)."""
    with override_settings(CACHES=closed_cache()):
        status, report, _ = ready()
    assert (status, report["status"], states(report)) == (
        200,
        "degraded",
        {"database": "ok", "cache": "down", "queue": "ok"},
    )


def test_ready_with_the_queue_redis_at_a_closed_port_is_unavailable(monkeypatch):
    """Faults 4: the queue's Redis unreachable, readiness answers 503 naming the queue."""
    unreachable = RedisHuey("recommerce", url=f"redis://127.0.0.1:{closed_port()}/0")
    monkeypatch.setattr(djhuey, "HUEY", unreachable)
    status, report, response = ready()
    assert (status, report["status"], states(report)) == (
        503,
        "unavailable",
        {"database": "ok", "cache": "ok", "queue": "down"},
    )
    assert report["checks"]["queue"]["error"] == "ConnectionError"
    assert response["Retry-After"] == "30"


def test_ready_with_a_durable_queue_at_a_closed_port_is_degraded(monkeypatch):
    """Faults 4: a queue that keeps its tasks in the database while Redis is away leaves
    readiness at 200 "degraded": the web processes stay in the pool."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setattr(djhuey, "HUEY", DurableRedisHuey("recommerce", url=url))
    status, report, _ = ready()
    assert (status, report["status"], states(report)) == (
        200,
        "degraded",
        {"database": "ok", "cache": "ok", "queue": "down"},
    )
    assert report["checks"]["queue"]["tasks_kept_in"] == "database"


def test_ready_with_the_sqlite_queue_file_gone_is_unavailable(monkeypatch, tmp_path):
    """Faults 4: the embedded queue's file removed, readiness answers 503 naming the queue."""
    folder = tmp_path / "queue"
    folder.mkdir()
    queue = SqliteHuey("recommerce", filename=str(folder / "huey.sqlite3"))
    monkeypatch.setattr(djhuey, "HUEY", queue)
    assert states(ready()[1])["queue"] == "ok"
    queue.storage.close()
    folder.rename(tmp_path / "elsewhere")
    status, report, _ = ready()
    assert (status, states(report)["queue"]) == (503, "down")


def broken(settings: dict[str, Any], sql: str = "SELECT 1") -> DatabaseError:
    """Return the error a real connection with ``settings`` raises running ``sql``."""
    handler = ConnectionHandler({"default": settings})
    try:
        with handler["default"].cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return exc
    finally:
        handler["default"].close()
    raise AssertionError("no error")


def postgres_at_closed_port() -> DatabaseError:
    return broken(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "recommerce",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": str(closed_port()),
        }
    )


def test_only_errors_that_mean_the_database_is_out_of_reach_answer_503(tmp_path: Path):
    """Faults 5: refused PostgreSQL connections and an SQLite file that cannot be opened
    count as an outage; a missing table (a bug) does not, and stays a 500."""
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    refused = postgres_at_closed_port()
    unopenable = broken({**sqlite, "NAME": str(tmp_path / "missing" / "db.sqlite3")})
    sqlite3.connect(tmp_path / "empty.sqlite3").close()
    missing_table = broken(
        {**sqlite, "NAME": str(tmp_path / "empty.sqlite3")}, "SELECT * FROM no_such_table"
    )
    assert [type(e) for e in (refused, unopenable, missing_table)] == [OperationalError] * 3
    assert [database_unavailable(e) for e in (refused, unopenable, missing_table)] == [
        True,
        True,
        False,
    ]
    assert database_unavailable(ValueError("not a database error")) is False


def test_the_last_resort_handler_answers_503_for_an_outage_and_500_for_a_bug():
    """Faults 5: an outage met outside a view answers 503 (JSON for the API), not logged as
    a server error; any other error keeps the branded 500."""
    factory = RequestFactory()
    try:
        raise postgres_at_closed_port()
    except OperationalError:
        api = server_error(factory.get("/api/v1/products"))
        page = server_error(factory.get("/search/"))
    assert (api.status_code, api["Retry-After"], json.loads(api.content)) == (
        503,
        "30",
        {"detail": "The service is temporarily unavailable. Please try again in a moment."},
    )
    assert page.status_code == 503 and "briefly unavailable" in page.content.decode()
    assert api._has_been_logged is True  # type: ignore[attr-defined]
    try:
        raise KeyError("a bug")
    except KeyError:
        bug = server_error(factory.get("/search/"))
    assert bug.status_code == 500 and "Something went wrong" in bug.content.decode()


@override_settings(OUTAGE_RETRY_AFTER_SECONDS=120)
def test_the_503_page_needs_no_database_and_takes_its_delay_from_the_settings():
    """Faults 5: the branded 503 page renders with no query at all; Retry-After configurable."""
    with CaptureQueriesContext(connection) as queries:
        response = unavailable_response(RequestFactory().get("/"))
    html = response.content.decode()
    assert (response.status_code, response["Retry-After"], len(queries.captured_queries)) == (
        503,
        "120",
        0,
    )
    assert 'class="site-header"' in html and "try again in a few minutes" in html
