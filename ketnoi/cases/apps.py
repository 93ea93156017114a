from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ketnoi.cases"
    label = "cases"
