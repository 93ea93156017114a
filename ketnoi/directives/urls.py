from django.urls import path

from . import views

app_name = "directives"

# Under /chi-dao/ (chỉ đạo). A directive's address never changes: it is quoted in reports.
urlpatterns = [
    path("", views.in_force, name="in_force"),
    path("moi/", views.new, name="new"),
    path("theo-doi/", views.follow_up, name="follow_up"),
    path("tim-kiem/", views.search, name="search"),
    path("uy-quyen/", views.delegates, name="delegates"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/phien-ban-moi/", views.new_version, name="new_version"),
    path("<int:pk>/so-sanh/<int:other>/", views.compare, name="compare"),
    path("<int:pk>/xac-nhan/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/bao-cao/", views.report, name="report"),
    path("<int:pk>/tep/<int:attachment_id>/", views.attachment, name="attachment"),
]
