from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


class PlatformConfig(AppConfig):
    name = "recommerce.platform"
    label = "platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Outgoing email",
            url_name="platform_staff:outbox",
            permission="platform.view_outbox",
            order=80,
        )
        from recommerce.platform import checks, forms  # noqa: F401  (register their checks)

        post_migrate.connect(_cache_table_create, sender=self)


def _cache_table_create(*, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    """Create the database cache's table (embedded setup) whenever the database is migrated."""
    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
