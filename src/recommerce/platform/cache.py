"""Cache backends: Redis with a shared client, and the embedded setup's split cache.

``SharedClientRedisCache``: Django's Redis cache, with one Redis client per connection pool
instead of one per call.

Django builds a new ``redis.Redis`` client for every cache operation; each build fills its
table of response callbacks, which costs more than the round trip itself on a busy page.
A client is only a handle on its pool and safe to share between threads, so one per pool
is enough.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


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
