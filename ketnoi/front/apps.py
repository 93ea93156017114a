from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "ketnoi.front"
    label = "front"
