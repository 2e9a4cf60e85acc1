from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "recommerce.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from recommerce.demo import checks  # noqa: F401  (registers the deploy check)
