from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "recommerce.demo"
    label = "demo"
    verbose_name = "Demo data"
