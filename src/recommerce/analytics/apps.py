from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "recommerce.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Statistics",
            url_name="analytics_staff:statistics",
            permission="analytics.view_statistics",
            order=70,
        )
