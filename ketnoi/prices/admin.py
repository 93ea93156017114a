from django.contrib import admin

from ketnoi.audit.admin import AuditedModelAdmin

from .models import Facility, Service


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    """The catalogue: a service is retired (not in use), never deleted, since lists price it."""

    list_display = ["code", "name_vi", "name_en", "charge_unit", "active"]
    list_filter = ["charge_unit", "active"]
    search_fields = ["code", "name_vi", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(AuditedModelAdmin):
    list_display = ["name", "operator", "kind", "unit", "active"]
    list_filter = ["kind", "unit", "active"]
    search_fields = ["name", "operator__name", "operator__tax_code"]
    raw_id_fields = ["operator"]

    def has_delete_permission(self, request, obj=None):
        return False
