from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "recommerce.analytics"
    label = "analytics"
    verbose_name = "Analytics"
