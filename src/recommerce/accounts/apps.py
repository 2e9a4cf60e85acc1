from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recommerce.accounts"
    label = "accounts"
    verbose_name = "Accounts"
