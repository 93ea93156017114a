from django.contrib import admin

from ketnoi.accounts.network import client_ip

from .models import AuditEvent
from .services import audit_record, snapshot


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never changed or removed, by anyone."""

    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Every change made through the admin site records an audit event."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user, action="admin.change" if change else "admin.add", obj=obj,
            before=before, after=snapshot(obj), ip=client_ip(request),
        )

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(actor=request.user, action="admin.delete", obj=obj, before=before,
                     ip=client_ip(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        # Read the inline records as stored before saving: the forms' instances already hold
        # the edited values, and a deleted record has lost its primary key after saving.
        stored = {
            id(f.instance): (str(f.instance.pk), snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk)))
            for f in formset.initial_forms if f.instance.pk is not None
        }
        super().save_formset(request, form, formset, change)
        ip = client_ip(request)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action="admin.add", obj=obj, after=snapshot(obj), ip=ip)
        for obj, _fields in formset.changed_objects:
            audit_record(actor=request.user, action="admin.change", obj=obj, after=snapshot(obj),
                         before=stored[id(obj)][1], ip=ip)
        for obj in formset.deleted_objects:
            object_id, before = stored[id(obj)]
            audit_record(actor=request.user, action="admin.delete", obj=obj, object_id=object_id,
                         before=before, ip=ip)
