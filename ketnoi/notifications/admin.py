from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EmailDelivery
from .services import emails_retry


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """The outbox for the administrators: what waits, what left, and what failed and why (filter
    by state). Read-only: a delivery changes only through the worker, or by being sent again
    (the action below, once the address or the mail server's configuration is fixed)."""

    list_display = ["id", "to", "subject", "state", "attempts", "created_at", "sent_at", "next_attempt_at",
                    "error_summary"]
    list_filter = ["state", "email__template"]
    search_fields = ["to", "user__username", "user__full_name", "email__subject"]
    date_hierarchy = "created_at"
    list_select_related = ["email"]
    actions = ["send_again"]
    readonly_fields = ["email", "user", "to", "state", "attempts", "next_attempt_at", "created_at", "updated_at",
                       "sent_at", "formatted_error", "subject", "text"]
    fields = readonly_fields

    @admin.display(description=_("subject"), ordering="email__subject")
    def subject(self, obj):
        return obj.email.subject

    @admin.display(description=_("text"))
    def text(self, obj):
        return format_html("<pre>{}</pre>", obj.email.text)

    @admin.display(description=_("error"))
    def error_summary(self, obj):
        # The last line of a traceback, or the mail server's answer.
        lines = obj.error.strip().splitlines()
        return lines[-1][:200] if lines else ""

    @admin.display(description=_("error"))
    def formatted_error(self, obj):
        return format_html("<pre>{}</pre>", obj.error) if obj.error else "–"

    @admin.action(description=_("Send the selected failed e-mails again"))
    def send_again(self, request, queryset):
        queued = emails_retry(deliveries=list(queryset.filter(state=EmailDelivery.State.FAILED)))
        self.message_user(request, ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", queued)
                          % {"n": queued}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
