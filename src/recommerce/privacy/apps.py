from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "recommerce.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from recommerce.privacy import checks  # noqa: F401  (registers the system check)
        from recommerce.privacy.encryption import checks as _keys  # noqa: F401  (deploy checks)

        # Each app declares its personal data in its own privacy.py, found like admin.py.
        autodiscover_modules("privacy")
