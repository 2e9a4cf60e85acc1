"""``/health/live`` and ``/health/ready``: what load balancers and process managers ask.

- ``live``: the process answers; it touches no dependency, so a database outage never gets
  healthy web processes restarted. Always 200 ``{"status": "ok"}``.
- ``ready``: each dependency checked, with its state ("ok" or "down") and the check's
  time in milliseconds. The database: ``SELECT 1``. The cache: a throw-away key written
  and read back. The queue: a Redis ``PING`` for RedisHuey (a client of its own with short
  timeouts, so a dead Redis cannot stall the check), a read of the task table for
  SqliteHuey. 503 ``"unavailable"`` when the database is down, or the queue is down and
  has nowhere else to keep tasks: this process cannot serve orders or take jobs. 200
  ``"degraded"`` when only the cache is down (it only speeds pages up: every cache error
  falls back to the database), or the queue is down but keeps its tasks in the database
  until it is back (``platform.queue.DurableRedisStorage``). Cache and queue usually share
  one Redis: taking every web process out of the pool for it would turn a slowdown into
  an outage of the whole site.

Both answer JSON only and set no cookie. ``platform.middleware.OutageMiddleware`` serves
them ahead of every other middleware: before the HTTPS redirect and the ``Host`` check
(load balancers probe backends over plain HTTP, often by IP address), before sessions,
consent and analytics. The answers carry no link and no personal data.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from huey.contrib import djhuey
from huey.storage import RedisStorage, SqliteStorage

from recommerce.platform.outages import retry_after_seconds
from recommerce.platform.queue import DurableRedisStorage

# Seconds the queue check waits for Redis; a load balancer's probe times out in a few.
QUEUE_TIMEOUT = 1.0
OK = "ok"
DOWN = "down"


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def live(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up, touching no dependency."""
    return _no_store(JsonResponse({"status": "ok"}))


def database_check() -> None:
    """Run a trivial query on the default database (raise when it cannot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_check() -> None:
    """Write a throw-away key to the default cache and read it back (raise when it cannot).

    The Redis cache never raises (errors read as misses), so a value that does not come
    back is the sign of an outage.
    """
    key, token = f"health:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, 10)
    found = cache.get(key)
    cache.delete(key)
    if found != token:
        raise ConnectionError("the cache did not keep a value")


def queue_check() -> None:
    """Reach the task queue's storage (raise when it cannot)."""
    storage = djhuey.HUEY.storage
    if isinstance(storage, RedisStorage):
        pool = storage.conn.connection_pool
        options = {
            **pool.connection_kwargs,
            "socket_connect_timeout": QUEUE_TIMEOUT,
            "socket_timeout": QUEUE_TIMEOUT,
        }
        # A connection of its own: the queue's pool may wait without a timeout.
        client = redis.Redis(connection_pool=redis.ConnectionPool(pool.connection_class, **options))
        try:
            client.ping()
        finally:
            client.close()
            client.connection_pool.disconnect()
    elif isinstance(storage, SqliteStorage):
        # A new read-only connection: one that Huey keeps open would still read a file that
        # has been removed or replaced.
        uri = f"file:{storage.filename}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=QUEUE_TIMEOUT) as queue:
            queue.execute("SELECT count(*) FROM task").fetchone()
        queue.close()
    else:
        storage.queue_size()


def _timed(check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure is the state this reports
        state: dict[str, Any] = {"state": DOWN, "error": type(exc).__name__}
    else:
        state = {"state": OK}
    state["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return state


def readiness() -> tuple[int, dict[str, Any]]:
    """Check the database, the cache and the queue; return the status code and the report."""
    checks = {
        "database": _timed(database_check),
        "cache": _timed(cache_check),
        "queue": _timed(queue_check),
    }
    queue_down = checks["queue"]["state"] == DOWN
    if queue_down and isinstance(djhuey.HUEY.storage, DurableRedisStorage):
        checks["queue"]["tasks_kept_in"] = "database"
        queue_down = False
    if checks["database"]["state"] == DOWN or queue_down:
        return 503, {"status": "unavailable", "checks": checks}
    if DOWN in (checks["cache"]["state"], checks["queue"]["state"]):
        return 200, {"status": "degraded", "checks": checks}
    return 200, {"status": "ok", "checks": checks}


def ready(request: HttpRequest) -> JsonResponse:
    """Answer whether this process can serve: 200 ok or degraded, 503 unavailable."""
    status, report = readiness()
    response = _no_store(JsonResponse(report, status=status))
    if status == 503:
        response["Retry-After"] = str(retry_after_seconds())
    return response
