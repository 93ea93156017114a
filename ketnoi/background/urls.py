from django.urls import path  # noqa: F401

app_name = "background"

# Under /tac-vu/ (tác vụ): the progress and result of work done in the background.
urlpatterns: list = []
