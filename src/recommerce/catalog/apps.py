from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "recommerce.catalog"
    label = "catalog"
    verbose_name = "Catalog"
