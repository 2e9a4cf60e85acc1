from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "recommerce.marketing"
    label = "marketing"
    verbose_name = "Marketing"

    def ready(self) -> None:
        from recommerce.platform.staff import staff_page_add

        staff_page_add(
            label="Marketing",
            url_name="marketing_staff:campaigns",
            permission="marketing.send_campaign",
            order=60,
        )
        staff_page_add(
            label="Ad audiences",
            url_name="marketing_staff:audiences",
            permission="marketing.export_audience",
            order=65,
        )
