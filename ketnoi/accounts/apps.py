from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ketnoi.accounts"
    label = "accounts"
