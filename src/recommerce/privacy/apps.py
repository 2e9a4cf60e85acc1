import logging
import sys
from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


class PrivacyConfig(AppConfig):
    name = "recommerce.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Data requests",
            url_name="privacy_staff:requests",
            permission="privacy.handle_datarequest",
            order=50,
        )
        from recommerce.privacy import (
            checks,  # noqa: F401  (registers the system check)
            ledger,  # noqa: F401  (registers its deployment check)
        )
        from recommerce.privacy.encryption import checks as _keys  # noqa: F401  (deploy checks)

        # Each app declares its personal data in its own privacy.py, found like admin.py.
        autodiscover_modules("privacy")
        post_migrate.connect(_ledger_ensure, sender=self)


def _ledger_ensure(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Start the erasure ledger with a database that has erased nobody yet.

    A ledger missing beside a database that has erased people is never made again
    quietly: it was lost, or this is an upgrade. ``replay-erasures`` refuses until it is
    restored, or started from the database with ``recommerce privacy ledger-init``.
    """
    if using != DEFAULT_DB_ALIAS:
        return
    from recommerce.privacy.ledger import ledger_store
    from recommerce.privacy.selectors import erasure_traces

    store = ledger_store()
    if store.exists():
        return
    traces = erasure_traces()
    if not traces:
        store.create()
        return
    message = (
        f"The erasure ledger ({store.describe()}) is missing, and this database shows "
        f"{traces} erased account(s). Restore the ledger from its backup, or, for a "
        "database that never had one, run: recommerce privacy ledger-init"
    )
    logger.warning(message)
    print(f"WARNING: {message}", file=sys.stderr)
