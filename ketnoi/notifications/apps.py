from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ketnoi.notifications"
    label = "notifications"
