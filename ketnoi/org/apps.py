from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ketnoi.org"
    label = "org"
