from django.urls import path

from . import views

app_name = "background"

# Under /tac-vu/ (tác vụ): the progress and result of work done in the background.
urlpatterns = [
    path("tong-ket/", views.year_end, name="year_end"),
    path("<int:job_id>/", views.job, name="job"),
    path("<int:job_id>/tai-ve/", views.job_download, name="job_download"),
]
