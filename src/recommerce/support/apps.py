from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "recommerce.support"
    label = "support"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "After-sales"
