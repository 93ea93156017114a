from django.urls import path

from . import views

app_name = "ops"

# At the root: Prometheus's default path.
urlpatterns = [
    path("metrics", views.metrics_view, name="metrics"),
]
