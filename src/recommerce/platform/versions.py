"""Version counters that every process sees at once, for cache keys built on them.

A cached page keyed on a version is never stale as long as each change bumps the version
everywhere, at the moment the change becomes visible to other readers:

- Where. With a shared cache (Redis) the counter lives in it. With page pieces cached in
  each process (local memory, or the embedded setup's split cache), a counter in one
  process's memory would leave the other web processes and the task worker serving their
  old pages; the counter then lives in a file under ``VAR_DIR`` whose size is the version:
  appending one byte is atomic between processes, and reading it is one ``stat``, no
  database query. Local caches mean one machine, so a local file reaches every process.
- When. A bump inside a transaction happens at once (later reads of the same transaction
  use new keys) and again when the transaction commits: a reader in another process that
  filled the new key between the first bump and the commit cached the state before the
  change, and the second bump retires that key.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from recommerce.platform.cache import VERSION_PREFIX as _PREFIX
from recommerce.platform.cache import SplitCache


def _process_local() -> bool:
    # The embedded setup's split cache keeps page pieces in each process's memory too.
    return isinstance(caches["default"], LocMemCache | DummyCache | SplitCache)


def _path(name: str) -> Path:
    return Path(settings.VAR_DIR) / "versions" / name


def version_get(name: str) -> int:
    """Return the current value of the counter ``name`` (1 before its first bump)."""
    if _process_local():
        try:
            return os.stat(_path(name)).st_size + 1
        except FileNotFoundError:
            return 1
    return int(cache.get_or_set(_PREFIX + name, 1, timeout=None) or 1)


def _bump(name: str) -> None:
    if _process_local():
        path = _path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as counter:
            counter.write(b".")
        return
    try:
        cache.incr(_PREFIX + name)
    except ValueError:
        cache.set(_PREFIX + name, 2, timeout=None)


def version_bump(name: str) -> None:
    """Move the counter ``name`` on now, and again when the current transaction commits."""
    _bump(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(name), robust=True)
