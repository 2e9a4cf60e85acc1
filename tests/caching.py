"""Emptying the caches between tests, the database cache only where a test has a database.

The embedded setup keeps rate limits and flags in a database cache table (see
``recommerce.platform.cache.SplitCache``); a test without database access still gets its
in-memory caches emptied.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches

DATABASE_BACKENDS = {
    "django.core.cache.backends.db.DatabaseCache",
    "recommerce.platform.cache.SplitCache",
}


def _has_database(request: Any) -> bool:
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)  # set up now, before the cache is touched
            return True
    return request.node.get_closest_marker("django_db") is not None


def caches_clear(request: Any) -> None:
    """Empty every cache this test may use."""
    database = _has_database(request)
    for alias, config in settings.CACHES.items():
        if database or config["BACKEND"] not in DATABASE_BACKENDS:
            caches[alias].clear()
