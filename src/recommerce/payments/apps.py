from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "recommerce.payments"
    label = "payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from recommerce.payments import checks  # noqa: F401  (registers the deploy check)
