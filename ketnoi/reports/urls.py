from django.urls import path, register_converter

from . import views

app_name = "reports"


class FormatConverter:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "format")

# Under /bao-cao/ (báo cáo).
urlpatterns = [
    path("", views.department, name="department"),
    path("xlsx", views.department, {"workbook": True}, name="department_xlsx"),
    path("don-vi/<int:pk>/", views.unit_dashboard, name="unit"),
    path("don-vi/<int:pk>/xlsx", views.unit_dashboard, {"workbook": True}, name="unit_xlsx"),
    # Public: no login.
    path("cong-khai/", views.scorecard, name="scorecard"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/vuong-mac-<int:year>.<format:fmt>", views.open_data_cases, name="open_data_cases"),
    path("du-lieu-mo/hoi-dap.<format:fmt>", views.open_data_qa, name="open_data_qa"),
]
