from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "recommerce.offers"
    label = "offers"
    verbose_name = "Offers"
