from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "recommerce.checkout"
    label = "checkout"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from recommerce.checkout import handlers, receivers  # noqa: F401  (subscriptions)
