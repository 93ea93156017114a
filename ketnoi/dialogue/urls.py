from django.urls import path

from . import dashboard, views

app_name = "dialogue"

# Under /doi-thoai/ (đối thoại). The calendar, a programme's and a session's pages and the
# .ics files are public: their addresses are printed on invitations, so they do not change.
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("lich.ics", views.calendar_ics, name="calendar_ics"),
    path("thong-ke/", dashboard.department_view, name="department_dashboard"),
    path("chuong-trinh/moi/", views.programme_new, name="programme_new"),
    path("chuong-trinh/<int:pk>/", views.programme, name="programme"),
    path("chuong-trinh/<int:pk>/sua/", views.programme_edit, name="programme_edit"),
    path("chuong-trinh/<int:pk>/lich.ics", views.programme_ics, name="programme_ics"),
    path("chuong-trinh/<int:pk>/thong-ke/", dashboard.dashboard_view, name="dashboard"),
    path("chuong-trinh/<int:pk>/thong-ke.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("phien/<int:pk>/", views.session, name="session"),
    path("phien/<int:pk>/lich.ics", views.session_ics, name="session_ics"),
    path("phien/<int:pk>/dang-ky/", views.register, name="register"),
    path("phien/<int:pk>/doi-lich/", views.session_move, name="session_move"),
    path("phien/<int:pk>/huy/", views.session_cancel, name="session_cancel"),
    path("phien/<int:pk>/diem-danh/", views.checkin_scan, name="checkin"),
    path("phien/<int:pk>/chuong-trinh-lam-viec/", views.agenda, name="agenda"),
    path("phien/<int:pk>/chuong-trinh-lam-viec/in/", views.agenda_print, name="agenda_print"),
    path("phien/<int:pk>/tai-phien/", views.on_the_day, name="on_the_day"),
    path("phien/<int:pk>/cau-hoi/moi/", views.question_new, name="question_new"),
    path("phien/<int:pk>/ket-thuc/", views.session_close, name="session_close"),
    path("phien/<int:pk>/bien-ban/", views.minutes, name="minutes"),
    path("phien/<int:pk>/bien-ban.docx", views.minutes_docx, name="minutes_docx"),
    path("phien/<int:pk>/bien-ban.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("dang-ky/<int:pk>/", views.registration, name="registration"),
    path("dang-ky/<int:pk>/huy/", views.registration_cancel, name="registration_cancel"),
    path("dang-ky/<int:pk>/diem-danh/", views.registration_check_in, name="registration_check_in"),
    path("dang-ky/<int:pk>/qr.svg", views.registration_qr, name="registration_qr"),
    path("cau-hoi/<int:pk>/", views.question, name="question"),
    # The check-in QR code holds this address: an officer's phone camera opens it, and the scan
    # page reads the code from it (a signed token, see services.checkin_token).
    path("diem-danh/<str:token>/", views.checkin_token, name="checkin_token"),
    path("khao-sat/<str:token>/", views.survey, name="survey"),
    path("cua-toi/", views.mine, name="mine"),
    path("theo-doi/", views.follow_ups, name="follow_ups"),
]
