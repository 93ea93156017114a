from django.urls import path  # noqa: F401

app_name = "reports"

# Under /bao-cao/ (báo cáo).
urlpatterns: list = []
