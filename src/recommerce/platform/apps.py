from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "recommerce.platform"
    label = "platform"
    verbose_name = "Platform"
