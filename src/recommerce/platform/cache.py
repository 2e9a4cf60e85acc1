"""Cache backends: Redis with a shared client, and the embedded setup's split cache.

``SharedClientRedisCache``: Django's Redis cache, with one Redis client per connection pool
instead of one per call.

Django builds a new ``redis.Redis`` client for every cache operation; each build fills its
table of response callbacks, which costs more than the round trip itself on a busy page.
A client is only a handle on its pool and safe to share between threads, so one per pool
is enough.

It never fails a request either: the cache only speeds pages up, so while Redis cannot be
reached every operation behaves as a miss (see ``SharedClientRedisCache``) and pages are
built from the database, slower but whole.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from recommerce.platform.outages import OutageLog

T = TypeVar("T")


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Private in the type stubs, public enough in Django: get_client is built from them.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(  # type: ignore[attr-defined]
                connection_pool=pool
            )
        return client


# The keys of platform.versions' counters (kept here, below it, so the cache can move them).
VERSION_PREFIX = "version:"


class _Outage:
    """The state of one Redis server as this process sees it, shared by all its threads."""

    def __init__(self, name: str, retry_seconds: float, log_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self.log = OutageLog(name, log_seconds)
        self._lock = threading.Lock()
        self.down_since = 0.0
        self.retry_at = 0.0

    def skipping(self) -> bool:
        return self.down_since != 0.0 and time.monotonic() < self.retry_at

    def failed(self, exc: RedisError, *, unreachable: bool) -> None:
        now = time.monotonic()
        if unreachable:
            with self._lock:
                self.down_since = self.down_since or now
                self.retry_at = now + self.retry_seconds
        self.log.warn("cache operations read as misses, pages come from the database", exc)

    def answered(self) -> bool:
        """Note that Redis answered; return whether that ends an outage (once per outage)."""
        if self.down_since == 0.0:
            return False
        with self._lock:
            down_since, self.down_since = self.down_since, 0.0
        if down_since:
            self.log.recovered(f"Redis answers again after {time.monotonic() - down_since:.0f} s")
        return bool(down_since)


_outages: dict[tuple[Any, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(servers: list[str], retry_seconds: float, log_seconds: float) -> _Outage:
    # Django builds one cache object per thread: the state must outlive them all.
    key = (*servers, retry_seconds, log_seconds)
    with _outages_lock:
        if key not in _outages:
            _outages[key] = _Outage("cache unavailable", retry_seconds, log_seconds)
        return _outages[key]


class SharedClientRedisCache(RedisCache):
    """Redis with one client per pool, where an unreachable Redis reads as an empty cache.

    On a Redis error: ``get`` gives the default, ``get_many`` nothing, ``has_key``,
    ``touch`` and ``delete`` False, ``set`` does nothing, ``set_many`` returns every key as
    not stored, and ``incr``/``decr`` raise ``ValueError`` as for a missing key (callers
    handle that already). ``add`` returns True, as if the key were absent and now set: the
    flags and rate limits built on it (allauth's sign-in limits and their lock, resend
    throttles, once-a-day checks) let requests through during an outage instead of
    refusing every sign-in for its whole length; nothing that must never run twice may
    rely on ``add`` (task locks live in the database, ADR 0017). When Redis answers
    again, every version counter (``platform.versions``) moves on, retiring what was
    cached before the outage. Errors that are not about
    reaching Redis (a wrong type stored under a key) still read as misses, but only
    connection errors and timeouts open the pause below.

    ``OPTIONS``: ``socket_connect_timeout`` and ``socket_timeout`` (seconds, 0.25 and 0.5
    by default) bound what a Redis that does not answer costs a page. After a connection
    error or a timeout, operations skip Redis for ``RETRY_SECONDS`` (5) before trying it
    again, so a page makes one failed attempt per pause rather than one per cache read;
    recovery needs no restart. A warning is logged at most once per ``LOG_SECONDS`` (60).
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        log_seconds = float(options.pop("LOG_SECONDS", 60))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SharedClientRedisCacheClient
        servers = [server] if isinstance(server, str) else list(server)
        self._outage = _outage_for(servers, retry_seconds, log_seconds)

    def _guarded(self, operation: Callable[[], T], fallback: Callable[[], T]) -> T:
        if self._outage.skipping():
            return fallback()
        try:
            result = operation()
        except RedisError as exc:
            unreachable = isinstance(exc, RedisConnectionError | RedisTimeoutError)
            self._outage.failed(exc, unreachable=unreachable)
            return fallback()
        if self._outage.answered():
            self._versions_retire()
        return result

    def _versions_retire(self) -> None:
        """Move every version counter on, once Redis answers again after an outage.

        Bumps made while Redis was out of reach were lost; a Redis that kept its data
        through the outage (a network cut, a pause) would otherwise serve pieces keyed on
        versions older than the data.
        """
        try:
            client = self._cache.get_client(write=True)  # type: ignore[attr-defined]
            for key in client.scan_iter(match=self.make_key(f"{VERSION_PREFIX}*"), count=500):
                client.incr(key)
        except RedisError as exc:
            self._outage.failed(exc, unreachable=True)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._guarded(partial(super().add, key, value, timeout, version), lambda: True)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guarded(partial(super().get, key, default, version), lambda: default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._guarded(partial(super().set, key, value, timeout, version), lambda: None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guarded(partial(super().touch, key, timeout, version), lambda: False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guarded(partial(super().delete, key, version), lambda: False)

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guarded(partial(super().get_many, keys, version), dict)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guarded(partial(super().has_key, key, version), lambda: False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key '{key}' not found (the cache cannot be reached).")

        return self._guarded(partial(super().incr, key, delta, version), missing)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        return self._guarded(partial(super().set_many, data, timeout, version), lambda: list(data))

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        keys = list(keys)
        self._guarded(partial(super().delete_many, keys, version), lambda: None)

    def clear(self) -> None:
        self._guarded(super().clear, lambda: None)


class SplitCache(BaseCache):
    """Keep page pieces in this process's memory and share everything else between processes.

    The embedded setup has no Redis. Sign-in rate limits, once-per-period flags and locks
    must be seen by every web and worker process, so they go to a shared cache (the
    database). Pieces of pages (keys starting with one of ``LOCAL_PREFIXES``: the catalog's
    cards, menus, counts and results, and ``{% cache %}`` fragments) are read many times per
    page and tolerate being a few minutes stale, so they stay in local memory, where a read
    costs microseconds instead of a query.

    ``OPTIONS``: ``SHARED`` and ``LOCAL``, the aliases of the two caches, and
    ``LOCAL_PREFIXES``. Keys go to the chosen cache unchanged, which applies its own prefix
    and version.
    """

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._shared_alias: str = options["SHARED"]
        self._local_alias: str = options["LOCAL"]
        self._local_prefixes: tuple[str, ...] = tuple(options["LOCAL_PREFIXES"])

    @property
    def shared(self) -> BaseCache:
        return caches[self._shared_alias]

    @property
    def local(self) -> BaseCache:
        return caches[self._local_alias]

    def _for(self, key: Any) -> BaseCache:
        return self.local if str(key).startswith(self._local_prefixes) else self.shared

    def _split(self, keys: Iterable[Any]) -> tuple[list[Any], list[Any]]:
        local: list[Any] = []
        shared: list[Any] = []
        for key in keys:
            (local if str(key).startswith(self._local_prefixes) else shared).append(key)
        return local, shared

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._for(key).add(key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._for(key).get(key, default, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._for(key).set(key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._for(key).touch(key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._for(key).delete(key, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._for(key).has_key(key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._for(key).incr(key, delta, version)

    def decr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._for(key).decr(key, delta, version)

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        local, shared = self._split(keys)
        found = self.local.get_many(local, version) if local else {}
        if shared:
            found |= self.shared.get_many(shared, version)
        return found

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        local, shared = self._split(data)
        failed: list[Any] = []
        if local:
            failed += self.local.set_many({k: data[k] for k in local}, timeout, version)
        if shared:
            failed += self.shared.set_many({k: data[k] for k in shared}, timeout, version)
        return failed

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        local, shared = self._split(keys)
        if local:
            self.local.delete_many(local, version)
        if shared:
            self.shared.delete_many(shared, version)

    def clear(self) -> None:
        self.local.clear()
        self.shared.clear()

    def close(self, **kwargs: Any) -> None:
        self.local.close(**kwargs)
        self.shared.close(**kwargs)
