from django.urls import path

from . import views

app_name = "front"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("units/", views.units, name="units"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
]
