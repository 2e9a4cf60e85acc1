"""Background upkeep of the search index."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from recommerce.catalog.services import search_terms_rebuild


@db_periodic_task(crontab(minute="17"))
@lock_task("catalog-search-terms")
def search_terms_refresh() -> int:
    """Rebuild the typo-correction vocabulary every hour, so new models are corrected to."""
    return search_terms_rebuild()
