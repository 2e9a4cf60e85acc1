"""Background upkeep of the search index."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.catalog.services import search_terms_rebuild
from recommerce.platform.locks import task_lock


@db_periodic_task(crontab(minute="17"))
@task_lock("catalog-search-terms", ttl=dt.timedelta(minutes=30))
def search_terms_refresh() -> int:
    """Rebuild the typo-correction vocabulary every hour, so new models are corrected to."""
    return search_terms_rebuild()
