from django.urls import path

from . import views

app_name = "party"

# Under /dang-bo/ (Đảng bộ). Every page is for the party office and the secretaries of
# grassroots organisations only (access.may_read_register); writes for the party office.
urlpatterns = [
    path("", views.home, name="home"),
    path("to-chuc/<int:pk>/", views.organisation, name="organisation"),
    path("dang-vien/<int:pk>/", views.member, name="member"),
]
