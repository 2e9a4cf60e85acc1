from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (facet counts, vocabulary versions)."""
    cache.clear()
    yield
    cache.clear()
