from django.urls import path

from . import views

app_name = "privacy"

# Under /du-lieu-cua-toi/ (dữ liệu của tôi): a business's copy of its own data.
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:job_id>/tai-ve/", views.download, name="download"),
]
