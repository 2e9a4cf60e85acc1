from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "recommerce.platform"
    label = "platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from recommerce.platform import checks, forms  # noqa: F401  (register their checks)
