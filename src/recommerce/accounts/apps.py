from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles(using: str = "default", **kwargs: Any) -> None:
    from django.contrib.auth.management import create_permissions

    from recommerce.accounts.roles import ROLE_PERMISSIONS, roles_sync

    # The roles use permissions of several apps; make sure they exist whatever the order.
    labels = {dotted.split(".")[0] for names in ROLE_PERMISSIONS.values() for dotted in names}
    for label in sorted(labels):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    roles_sync()


class AccountsConfig(AppConfig):
    name = "recommerce.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.roles")
        from recommerce.accounts import credentials_audit

        credentials_audit.connect()
