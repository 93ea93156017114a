from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ketnoi.audit.admin import AuditedModelAdmin

from . import services
from .models import ApiToken, Enterprise, RoleAssignment, User


def _login_through_ketnoi(request, extra_context=None):
    """The admin site's own login page would skip the second factor: it sends to ketnoi's."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:login"))


admin.site.login = _login_through_ketnoi


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit", "enterprise"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "date_joined"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone", "position", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [RoleAssignmentInline]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset the authenticator app (lost phone)"))
    def reset_two_factor(self, request, queryset):
        done = sum(services.two_factor_reset(user=user, by=request.user) for user in queryset)
        self.message_user(request, ngettext(
            "%(count)d user will add a new authenticator app at their next sign-in.",
            "%(count)d users will add a new authenticator app at their next sign-in.", done) % {"count": done},
            messages.SUCCESS)


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ["tax_code", "name", "is_priority", "home_unit"]
    list_filter = ["is_priority"]
    search_fields = ["tax_code", "name", "short_name"]
    autocomplete_fields = ["home_unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
