from __future__ import annotations

import pytest
from django.core.cache import cache

from recommerce.catalog.search.backends import SqliteBackend


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches (facet counts, the search vocabulary).

    Rolled-back test transactions can leave a table with the same row count and ids but
    other words, so the vocabulary memo is dropped rather than trusted.
    """
    cache.clear()
    SqliteBackend._vocabulary = None
    yield
    cache.clear()
