from django.contrib import admin
from django.urls import include, path

from ketnoi.accounts.access import may_use_admin_site, principal_for
from ketnoi.api import api
from ketnoi.front import views as front_views

admin.site.site_header = "ketnoi – Quản trị hệ thống"
admin.site.site_title = "ketnoi"
# The admin site is for the administrator role only (access.py), whatever flags a user carries.
admin.site.has_permission = lambda request: (
    request.user.is_active and request.user.is_staff and may_use_admin_site(principal_for(request.user))
)

urlpatterns = [
    path("healthz", front_views.healthz, name="healthz"),
    path("favicon.ico", front_views.favicon),
    path("", include("ketnoi.ops.urls")),  # /metrics
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("ketnoi.accounts.urls")),
    path("notifications/", include("ketnoi.notifications.urls")),
    path("cases/", include("ketnoi.cases.urls")),
    path("hoi-dap/", include("ketnoi.knowledge.urls")),
    path("chi-dao/", include("ketnoi.directives.urls")),
    path("gia-dich-vu/", include("ketnoi.prices.urls")),
    path("doi-thoai/", include("ketnoi.dialogue.urls")),
    path("dang-bo/", include("ketnoi.party.urls")),
    path("bao-cao/", include("ketnoi.reports.urls")),
    path("tac-vu/", include("ketnoi.background.urls")),
    path("du-lieu-cua-toi/", include("ketnoi.privacy.urls")),
    path("", include("ketnoi.front.urls")),
]
