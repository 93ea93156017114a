from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Job
from .services import job_retry


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs for the administrators: failures first to the eye (filter by state), with
    the error, who asked, and the package's own task result of the latest attempt. Read-only: a
    job changes only through the worker, or by being queued again (the action below)."""

    list_display = ["id", "kind", "requested_by", "state", "attempts", "created_at", "finished_at", "error_summary"]
    list_filter = ["state", "kind"]
    search_fields = ["requested_by__username", "requested_by__full_name", "error_detail"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]
    actions = ["try_again"]
    readonly_fields = ["kind", "params", "requested_by", "language", "state", "progress_done", "progress_total",
                       "step", "result", "result_name", "result_content_type", "error", "formatted_error_detail",
                       "attempts", "max_attempts", "next_attempt_at", "task_id", "created_at", "started_at",
                       "finished_at", "updated_at"]
    fields = readonly_fields

    @admin.display(description=_("error"))
    def error_summary(self, obj):
        # The last line of a traceback is the exception and its message.
        lines = obj.error_detail.strip().splitlines()
        return lines[-1][:200] if lines else ""

    @admin.display(description=_("error (for administrators)"))
    def formatted_error_detail(self, obj):
        return format_html("<pre>{}</pre>", obj.error_detail) if obj.error_detail else "–"

    @admin.action(description=_("Try the selected failed jobs again"))
    def try_again(self, request, queryset):
        queued = 0
        for job in queryset.filter(state=Job.State.FAILED):
            try:
                job_retry(job=job)
            except ValidationError:
                continue
            queued += 1
        self.message_user(request, ngettext("%(n)d job queued again.", "%(n)d jobs queued again.", queued) % {"n": queued},
                          messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
