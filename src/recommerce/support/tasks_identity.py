"""Background upkeep of identity checks: evidence deleted once its claim is long closed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.platform.locks import task_lock
from recommerce.support.services.identity import identity_evidence_purge


@db_periodic_task(crontab(hour="3", minute="17"))  # type: ignore[untyped-decorator]
@task_lock("support-identity-evidence-purge")
def identity_evidence_purge_daily() -> int:
    """Delete, nightly, identity documents of claims closed more than the kept days ago."""
    return identity_evidence_purge()
