from django.urls import path

from . import readlog, views

app_name = "party"

# Under /dang-bo/ (Đảng bộ). Every page is for the party office and the secretaries of
# grassroots organisations only (access.may_read_register); writes for the party office.
urlpatterns = [
    path("", views.home, name="home"),
    path("to-chuc/moi/", views.organisation_new, name="organisation_new"),
    path("to-chuc/<int:pk>/", views.organisation, name="organisation"),
    path("to-chuc/<int:pk>/dong/", views.organisation_close, name="organisation_close"),
    path("to-chuc/<int:pk>/bi-thu/", views.organisation_secretaries, name="organisation_secretaries"),
    path("dang-vien/", views.members, name="members"),
    path("dang-vien/xuat.xlsx", views.members_export, name="members_export"),
    path("dang-vien/nhap/", views.members_import, name="members_import"),
    path("dang-vien/mau-nhap.xlsx", views.import_template, name="import_template"),
    path("dang-vien/<int:pk>/", views.member, name="member"),
    path("dang-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("dang-vien/<int:pk>/gian-doan/", views.gap_add, name="gap_add"),
    path("dang-vien/<int:pk>/gian-doan/<int:gap_pk>/ket-thuc/", views.gap_end, name="gap_end"),
    path("dang-vien/<int:pk>/chuyen/", views.transfer, name="transfer"),
    path("dang-vien/<int:pk>/trang-thai/", views.member_status, name="member_status"),
    path("huy-hieu/", views.badges, name="badges"),
    path("huy-hieu/in/", views.badges_print, name="badges_print"),
    path("huy-hieu/danh-sach.xlsx", views.badges_xlsx, name="badges_xlsx"),
    path("huy-hieu/trao/", views.badge_award, name="badge_award"),
    path("xep-loai/<int:year>/", views.ratings, name="ratings"),
    path("xep-loai/<int:year>/dang-vien/", views.rating_member, name="rating_member"),
    path("xep-loai/<int:year>/to-chuc/", views.rating_organisation, name="rating_organisation"),
    path("xep-loai/<int:year>/nhap/", views.ratings_import, name="ratings_import"),
    path("khen-thuong/<int:year>/", views.commendations, name="commendations"),
    path("khen-thuong/<int:year>/ghi/", views.commendation_record, name="commendation_record"),
    path("su-kien/", views.events, name="events"),
    path("su-kien/<int:pk>/", views.event, name="event"),
    path("su-kien/<int:pk>/trao/", views.event_present, name="event_present"),
    path("su-kien/<int:pk>/tham-luan/", views.contribution_add, name="contribution_add"),
    path("mo-hinh/", views.initiatives, name="initiatives"),
    path("mo-hinh/<int:pk>/", views.initiative, name="initiative"),
    path("mo-hinh/<int:pk>/lien-ket/", views.initiative_link, name="initiative_link"),
    # Nhật ký truy cập dữ liệu đảng viên: the party office only.
    path("nhat-ky-truy-cap/", readlog.read_log, name="read_log"),
    path("nhat-ky-truy-cap/xuat.xlsx", readlog.read_log_export, name="read_log_export"),
]
