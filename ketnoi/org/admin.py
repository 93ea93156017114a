from django.contrib import admin

from ketnoi.audit.admin import AuditedModelAdmin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name_vi", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name_vi", "name_en"]
    autocomplete_fields = ["parent", "successor"]
