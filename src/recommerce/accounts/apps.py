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
        from recommerce.platform.staff import staff_page_add

        staff_page_add(label="Staff home", url_name="staff:dashboard", permission="", order=0)
        staff_page_add(
            label="People",
            url_name="staff:people",
            permission="accounts.view_personal_data",
            order=10,
        )
        staff_page_add(
            label="Seller files",
            url_name="staff:sellers",
            permission="accounts.review_seller",
            order=20,
        )
        staff_page_add(
            label="Access log",
            url_name="staff:access_log",
            permission="privacy.read_access_log",
            order=90,
        )
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.roles")
        from recommerce.accounts import credentials_audit

        credentials_audit.connect()
