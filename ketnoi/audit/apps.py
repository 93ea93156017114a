from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ketnoi.audit"
    label = "audit"
