from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "recommerce.support"
    label = "support"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "After-sales"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Claims",
            url_name="staff_support:claims",
            permission="support.view_claim",
            order=50,
        )
        # The periodic tasks register on import.
        from recommerce.support import tasks  # noqa: F401
