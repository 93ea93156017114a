from django.contrib import admin
from django.urls import include, path

from ketnoi.api import api
from ketnoi.front import views as front_views

admin.site.site_header = "ketnoi – Quản trị hệ thống"
admin.site.site_title = "ketnoi"

urlpatterns = [
    path("healthz", front_views.healthz, name="healthz"),
    path("favicon.ico", front_views.favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("ketnoi.accounts.urls")),
    path("notifications/", include("ketnoi.notifications.urls")),
    path("", include("ketnoi.front.urls")),
]
