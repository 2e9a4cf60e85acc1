from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "recommerce.orders"
    label = "orders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Subscriptions to payment events and the periodic tasks register on import.
        from recommerce.orders import handlers, tasks, tasks_finance  # noqa: F401
