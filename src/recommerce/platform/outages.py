"""What a request gets when a dependency is down: a 503 that says so, never a 500.

- ``database_unavailable(exc)``: tell an error that means "the database cannot be reached
  or cannot take the request now" from one that is a bug. PostgreSQL: no connection, a
  connection lost (SQLSTATE class 08, or none at all: libpq's own failures), the server
  shutting down or starting (57P01-57P03), out of connections or resources (class 53).
  SQLite: the file cannot be opened, stays locked past the busy timeout, or cannot be read
  or written (disk I/O, read-only). Anything else (a missing table, a deadlock, a bad
  query) stays a 500: it is a fault of the code, and hiding it behind "try again" would
  keep it unseen.
- ``unavailable_response(request)``: 503 with ``Retry-After`` (``OUTAGE_RETRY_AFTER_SECONDS``,
  30 by default), the branded ``503.html`` for people and ``{"detail": ...}`` for the API.
  The page is rendered without a request context: context processors read the database.
- ``server_error``: the project's ``handler500``. An error raised by a middleware (rather
  than a view) reaches Django's last-resort handler; one that means the database is down
  still answers 503 there.
- ``OutageLog``: a warning once per interval, not once per request: an outage of a minute
  would otherwise write thousands of identical tracebacks.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

DETAIL = "The service is temporarily unavailable. Please try again in a moment."
# PostgreSQL SQLSTATEs that mean the server cannot take requests now (not a faulty query).
_PG_UNAVAILABLE_CLASSES = ("08", "53")
_PG_UNAVAILABLE_CODES = {"57P01", "57P02", "57P03"}
_SQLITE_UNAVAILABLE = (
    "unable to open database file",
    "database is locked",
    "disk i/o error",
    "readonly database",
)
JSON_PREFIXES = ("/api/", "/_allauth/")


class OutageLog:
    """Log a warning about one dependency at most once per ``interval`` seconds."""

    def __init__(self, name: str, interval: float = 60.0) -> None:
        self.name = name
        self.interval = interval
        self._lock = threading.Lock()
        self._last = -float("inf")
        self._silenced = 0

    def warn(self, message: str, exc: BaseException | None = None) -> bool:
        """Log ``message`` unless one was logged less than ``interval`` seconds ago."""
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.interval:
                self._silenced += 1
                return False
            silenced, self._silenced, self._last = self._silenced, 0, now
        logger.warning(
            "%s: %s (%s; %d more since the last warning)",
            self.name,
            message,
            _describe(exc),
            silenced,
        )
        return True

    def recovered(self, message: str) -> None:
        """Log that the dependency answers again, and let the next failure be logged at once."""
        with self._lock:
            self._last, self._silenced = -float("inf"), 0
        logger.warning("%s: %s", self.name, message)


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "no error"
    # The first line only: connection errors spell out host and port, not the password.
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__


DATABASE_LOG = OutageLog("database unavailable")


def database_unavailable(exc: BaseException | None) -> bool:
    """Tell whether ``exc`` means the database cannot serve requests now (see the module)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return str(cause).lower().startswith(_SQLITE_UNAVAILABLE)
    sqlstate = getattr(cause, "sqlstate", None)
    if cause is not None and hasattr(cause, "sqlstate"):
        return sqlstate is None or (
            sqlstate.startswith(_PG_UNAVAILABLE_CLASSES) or sqlstate in _PG_UNAVAILABLE_CODES
        )
    return str(exc).lower().startswith(_SQLITE_UNAVAILABLE)


def retry_after_seconds() -> int:
    return int(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 30))


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith(JSON_PREFIXES) or (
        "application/json" in accept and "text/html" not in accept
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Answer 503 with ``Retry-After``: JSON for the API, the branded page for people."""
    retry_after = retry_after_seconds()
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"detail": DETAIL}, status=503)
    else:
        html = loader.render_to_string("503.html", {"retry_after": retry_after})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer an uncaught error: 503 when the database is down, the branded 500 otherwise."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        DATABASE_LOG.warn(f"{request.method} {request.path} answered 503", exc)
        response = unavailable_response(request)
        # Django would log each of them as a server error, with its traceback.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    if wants_json(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
