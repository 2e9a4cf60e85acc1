from __future__ import annotations

import pytest

from recommerce.catalog.search.backends import SqliteBackend
from tests.caching import caches_clear
from tests.ledger import _erasure_ledger, _ledger_template  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with empty caches (facet counts, the search vocabulary).

    Rolled-back test transactions can leave a table with the same row count and ids but
    other words, so the vocabulary memo is dropped rather than trusted.
    """
    caches_clear(request)
    SqliteBackend._vocabulary = None
    yield
    caches_clear(request)
