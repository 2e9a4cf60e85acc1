"""Sign-in throttling holds whichever process answers (the embedded setup has no Redis).

Each "process" below has its own cache clients and its own process memory (Django's
local-memory cache keeps its data in module globals, swapped here per process), and all
share the database, as the web and worker processes of ``recommerce demo`` do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import CacheHandler, cache, caches
from django.core.cache.backends import locmem
from django.test import Client

from tests.accounts.conftest import make_user
from tests.accounts.test_signup_and_signin import BAD_CREDENTIALS, THROTTLED, login, signed_in_as

pytestmark = pytest.mark.django_db


class Processes:
    """Cache clients and memory of several processes, one of them active at a time."""

    def __init__(self) -> None:
        self._state: dict[int, tuple[tuple[dict[str, Any], ...], dict[str, Any]]] = {}

    @contextmanager
    def act_as(self, number: int) -> Iterator[None]:
        saved_memory = (locmem._caches, locmem._expire_info, locmem._locks)
        saved_clients = {alias: caches[alias] for alias in settings.CACHES}
        try:
            if number not in self._state:
                memory: tuple[dict[str, Any], ...] = ({}, {}, {})
                locmem._caches, locmem._expire_info, locmem._locks = memory
                handler = CacheHandler()
                self._state[number] = (memory, {a: handler[a] for a in settings.CACHES})
            memory, clients = self._state[number]
            locmem._caches, locmem._expire_info, locmem._locks = memory
            for alias, client in clients.items():
                caches[alias] = client
            yield
        finally:
            locmem._caches, locmem._expire_info, locmem._locks = saved_memory
            for alias, client in saved_clients.items():
                caches[alias] = client


@pytest.fixture
def processes() -> Iterator[Processes]:
    yield Processes()
    cache.clear()


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the embedded setup's cache (no Redis)")
def test_p_sec_2_a_sign_in_lockout_holds_in_another_process(processes):
    """Hardening 2.7: five failures answered by one process block the next sign-in in
    another process, even with the right password."""
    make_user("target@example.com")
    with processes.act_as(1):
        for _ in range(5):
            failed = login(Client(), "target@example.com", "not-the-password")
            assert BAD_CREDENTIALS in failed.content.decode()
        assert THROTTLED in login(Client(), "target@example.com").content.decode()
    with processes.act_as(2):
        browser = Client()
        response = login(browser, "target@example.com")
        assert response.status_code == 200
        assert THROTTLED in response.content.decode()
        assert signed_in_as(browser) is None


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the embedded setup's cache (no Redis)")
def test_flags_are_shared_and_page_pieces_stay_in_each_process(processes):
    """Hardening 2.7: once-per-period flags are seen by every process; the catalog's
    cached pieces and template fragments stay in the memory of the process that made them."""
    with processes.act_as(1):
        assert cache.add("privacy:code-resend:R-1", True, 60) is True
        cache.set_many({"catalog:card:1": "<p>card</p>", "marketing:flag": 1}, 60)
        cache.set("template.cache.product_page.abc", "<main></main>", 60)
        assert cache.get("catalog:card:1") == "<p>card</p>"
    with processes.act_as(2):
        assert cache.add("privacy:code-resend:R-1", True, 60) is False
        assert cache.get_many(["catalog:card:1", "marketing:flag"]) == {"marketing:flag": 1}
        assert cache.get("template.cache.product_page.abc") is None
    with processes.act_as(1):
        assert cache.get("template.cache.product_page.abc") == "<main></main>"
