from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "recommerce.marketing"
    label = "marketing"
    verbose_name = "Marketing"
