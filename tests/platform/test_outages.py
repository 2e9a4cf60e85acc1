"""Outages of the cache and of the database, with real faults: pages degrade, never fail.

- The cache: Redis at a closed port, and a Redis of the test's own killed (SIGKILL) and
  started again on the same port. Every page answers as usual, built from the database.
- The database: the real application (gunicorn) in a process of its own, whose database
  goes away (SQLite: its folder renamed; PostgreSQL: the TCP path to it cut by a proxy
  that stops listening and drops its connections) and comes back. Pages and the API answer
  503 with ``Retry-After``, ``/health/live`` 200, and the site answers again by itself.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from recommerce.catalog.services import search_terms_rebuild
from recommerce.platform.versions import version_bump, version_get
from tests import factories as f
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

OUTAGE_LOGGER = "recommerce.platform.outages"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_cache(port: int, **options: Any) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "recommerce.platform.cache.SharedClientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "outages",
            "OPTIONS": options,
        }
    }


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


REDIS_ARGS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="starts a Redis of its own: needs redis-server (CI installs it)",
)


def redis_start(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server") or "redis-server", "--port", str(port), *REDIS_ARGS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_for(lambda: redis_answers(port), 10), "redis-server did not start"
    return server


@pytest.fixture
def shop() -> dict[str, Any]:
    phone = f.variant(f.device_model("Pixel 7", brand_name="Google"), storage_gb=128)
    f.offer(phone, seller_=f.seller("Outage Refurb"), price_minor=31_900)
    search_terms_rebuild()
    return {
        "product": phone.get_absolute_url(),
        "person": make_user("outage.shopper@example.test"),
    }


def browse(shop: dict[str, Any]) -> dict[str, int]:
    """Request each kind of page once; return each one's status code."""
    client = Client()
    statuses = {
        "home": client.get("/").status_code,
        "search": client.get("/search/", {"q": "pixel"}).status_code,
        "product": client.get(shop["product"]).status_code,
        "api": client.get("/api/v1/products", {"q": "pixel"}).status_code,
        "404": client.get("/no-such-page/").status_code,
        "api 404": client.get("/api/v1/no-such-thing").status_code,
        "wrong password": client.post(
            "/account/login/", {"login": "outage.shopper@example.test", "password": "nope"}
        ).status_code,
    }
    signed_in = client.post(
        "/account/login/", {"login": "outage.shopper@example.test", "password": PASSWORD}
    )
    statuses["sign in"] = signed_in.status_code
    statuses["signed in"] = client.get(reverse("accounts:profile")).status_code
    return statuses


EXPECTED = {
    "home": 200,
    "search": 200,
    "product": 200,
    "api": 200,
    "404": 404,
    "api 404": 404,
    "wrong password": 200,  # the form again, with its error
    "sign in": 302,
    "signed in": 200,
}


def test_a_cache_at_a_closed_port_serves_every_page_from_the_database(shop, caplog):
    """Faults 4: with Redis unreachable, home, search, a product, the API, 404s and sign-in
    answer as usual (never 500), and the outage is logged once, not once per call."""
    caplog.set_level(logging.WARNING, logger=OUTAGE_LOGGER)
    with override_settings(CACHES=redis_cache(free_port())):
        assert browse(shop) == EXPECTED
        home = Client().get("/").content.decode()
        assert "Pixel 7" in home  # built from the database: nothing came from the cache
        assert cache.get("anything", "default") == "default"
        assert cache.add("lock", True) is True
        with pytest.raises(ValueError):
            cache.incr("version:listings")
    warnings = [r for r in caplog.records if r.name == OUTAGE_LOGGER]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()


@needs_redis_server
def test_a_killed_redis_leaves_pages_up_and_the_cache_recovers_by_itself(shop, caplog):
    """Faults 4: Redis SIGKILLed mid-browsing, pages still answer; started again on the
    same port, the cache stores and returns values again without any restart."""
    caplog.set_level(logging.WARNING, logger=OUTAGE_LOGGER)
    port = free_port()
    server = redis_start(port)
    try:
        with override_settings(CACHES=redis_cache(port, RETRY_SECONDS=0.2)):
            assert browse(shop) == EXPECTED
            cache.set("before", "kept", 60)
            assert cache.get("before") == "kept"

            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
            assert not redis_answers(port)
            started = time.monotonic()
            assert browse(shop) == EXPECTED
            # A dead Redis costs one refused connection per pause, not a timeout per call.
            assert time.monotonic() - started < 15
            assert cache.get("before") is None

            server = redis_start(port)
            time.sleep(0.3)  # past RETRY_SECONDS: the next operation tries Redis again
            cache.set("after", "stored", 60)
            assert cache.get("after") == "stored"
            assert browse(shop) == EXPECTED
    finally:
        server.kill()
        server.wait(timeout=10)
    messages = [r.getMessage() for r in caplog.records if r.name == OUTAGE_LOGGER]
    assert len(messages) == 2, messages
    assert "cache unavailable" in messages[0] and "answers again" in messages[1]


# --- the database ---------------------------------------------------------------------


class TcpProxy:
    """Forward a local port to the database; ``cut`` stops listening and drops every link."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            # A close alone would leave the accepting thread listening on the socket.
            self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets = []


def fetch(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


SERVER_ARGS = ["--workers", "1", "--timeout", "30"]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], int]]:
    """Start the application under gunicorn on ``database_url``; return its port."""
    started: list[subprocess.Popen[bytes]] = []
    logs = contextlib.ExitStack()

    def start(database_url: str) -> int:
        port, log = free_port(), tmp_path / "server.log"
        outside = {"DATABASE_URL", "REDIS_URL"}
        env = {
            **{key: value for key, value in os.environ.items() if key not in outside},
            "DATABASE_URL": database_url,
            "RECOMMERCE_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "recommerce.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "OUTAGE_RETRY_AFTER_SECONDS": "17",
        }
        command = [sys.executable, "-m", "gunicorn", "recommerce.wsgi:application"]
        server = subprocess.Popen(  # noqa: S603
            [*command, *SERVER_ARGS, "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=logs.enter_context(log.open("ab")),
            start_new_session=True,  # its own process group: the worker is stopped with it
        )
        started.append(server)

        def up() -> bool:
            try:
                return fetch(port, "/health/live")[0] == 200
            except OSError:
                return False

        assert wait_for(up, 60), f"the application did not start: {log.read_text()[-2000:]}"
        return port

    with logs:
        yield start
        for server in started:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def assert_unavailable(port: int) -> None:
    """Pages, the API and readiness answer 503 with Retry-After; liveness 200.

    No page was asked for before: one whose pieces are all in the memory cache could still
    be served without the database, as it should.
    """
    status, headers, body = fetch(port, "/", Accept="text/html")
    assert (status, headers["Retry-After"]) == (503, "17")
    assert "The shop is briefly unavailable" in body and 'class="site-header"' in body
    assert "Set-Cookie" not in headers
    status, headers, body = fetch(port, "/api/v1/products")
    assert (status, headers["Retry-After"]) == (503, "17")
    assert json.loads(body) == {
        "detail": "The service is temporarily unavailable. Please try again in a moment."
    }
    status, headers, body = fetch(port, "/search/?q=phone", Accept="application/json")
    assert (status, headers["Content-Type"]) == (503, "application/json")
    status, _, body = fetch(port, "/health/ready")
    assert status == 503
    assert json.loads(body)["checks"]["database"]["state"] == "down"
    assert fetch(port, "/health/live")[:1] == (200,)


def assert_recovers(port: int) -> None:
    assert wait_for(lambda: fetch(port, "/")[0] == 200, 5), "the site did not come back"
    assert fetch(port, "/api/v1/products")[0] == 200
    status, _, body = fetch(port, "/health/ready")
    assert (status, json.loads(body)["checks"]["database"]["state"]) == (200, "ok")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant of the test")
# Outside a transaction: a copy cannot be taken while the test's transaction holds the lock.
@pytest.mark.django_db(transaction=True)
def test_a_vanished_sqlite_database_answers_503_then_recovers(serve, tmp_path):
    """Faults 5: the embedded database's folder gone, pages and the API answer 503 with
    Retry-After (branded page, JSON), /health/live 200; back in place, pages answer again."""
    folder = tmp_path / "db"
    folder.mkdir()
    connection.ensure_connection()
    with sqlite3.connect(folder / "shop.sqlite3") as copy:
        connection.connection.backup(copy)  # the migrated test database, as a file
    copy.close()
    port = serve(f"sqlite:///{folder / 'shop.sqlite3'}")
    assert fetch(port, "/health/ready")[0] == 200

    folder.rename(tmp_path / "db-away")
    assert_unavailable(port)
    (tmp_path / "db-away").rename(folder)
    assert_recovers(port)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (CI runs it)")
def test_a_postgresql_out_of_reach_answers_503_then_recovers(serve):
    """Faults 5: the path to PostgreSQL cut (new connections refused, open ones dropped),
    pages and the API answer 503 with Retry-After, /health/live 200; once it is back, the
    site answers again by itself, without a restart."""
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@127.0.0.1:{proxy.port}/{db['NAME']}"
        port = serve(url)
        assert fetch(port, "/health/ready")[0] == 200

        proxy.cut()
        assert_unavailable(port)
        proxy.start()
        assert_recovers(port)
    finally:
        proxy.cut()


@needs_redis_server
def test_a_redis_that_kept_its_data_through_an_outage_retires_every_cached_version(shop):
    """Faults 4: a bump made while Redis did not answer is lost; when Redis answers again
    with its data kept (a pause, a network cut), every version moves on, so no piece cached
    before the outage is served for data changed during it."""
    port = free_port()
    server = redis_start(port)
    try:
        with override_settings(CACHES=redis_cache(port, RETRY_SECONDS=0.2)):
            version_bump("listings")
            before = version_get("listings")
            cache.set("piece", "cached before", 60)

            with socket.create_connection(("127.0.0.1", port), timeout=2) as admin:
                admin.sendall(b"CLIENT PAUSE 1500 ALL\r\n")
                assert admin.recv(16).startswith(b"+OK")
            version_bump("listings")  # the change the outage swallows
            assert version_get("listings") == 1  # a miss while Redis does not answer

            time.sleep(1.8)  # the pause is over, the data still there
            assert cache.get("piece") == "cached before"
            assert version_get("listings") == before + 1
    finally:
        server.kill()
        server.wait(timeout=10)
