from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("<str:reference>/", views.detail, name="detail"),
    path("rate/<str:token>/", views.rate, name="rate"),
]
