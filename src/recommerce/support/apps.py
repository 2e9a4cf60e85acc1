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
        staff_page_add(
            label="Support chats",
            url_name="staff_support:chat_queue",
            permission="support.view_conversation",
            order=51,
        )
        staff_page_add(
            label="Identity checks",
            url_name="staff_support:identity_queue",
            permission="support.view_identity_evidence",
            order=52,
        )
        staff_page_add(
            label="Reviews",
            url_name="staff_support:reviews",
            permission="support.moderate_review",
            order=53,
        )
        # The periodic tasks and the deployment checks register on import.
        from recommerce.support import checks, tasks  # noqa: F401
