from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ketnoi.demo"
    label = "demo"
