from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "recommerce.orders"
    label = "orders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Held orders",
            url_name="staff_orders:held",
            permission="orders.change_order",
            order=30,
        )
        staff_page_add(
            label="Payouts",
            url_name="staff_finance:payouts",
            permission="orders.approve_payout",
            order=40,
        )
        # Subscriptions to payment events and the periodic tasks register on import.
        from recommerce.orders import handlers, tasks, tasks_finance  # noqa: F401
