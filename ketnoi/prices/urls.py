from django.urls import path

from . import views

app_name = "prices"

# Under /gia-dich-vu/ (giá dịch vụ). The board and a facility's page are public; their addresses
# are quoted in letters to operators, so they do not change.
urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.facility, name="facility"),
    path("<int:pk>/nop-bang-gia/", views.file_list, name="file"),
    path("<int:pk>/mau-bang-gia.xlsx", views.xlsx_template, name="xlsx_template"),
    path("dich-vu/<str:code>/", views.service, name="service"),
    path("cua-toi/", views.mine, name="mine"),
    path("co-so/moi/", views.facility_new, name="facility_new"),
    path("cam-ket/", views.commitments, name="commitments"),
    path("cam-ket/moi/", views.commitment_new, name="commitment_new"),
    path("cam-ket/<int:pk>/", views.commitment, name="commitment"),
    path("cam-ket/<int:pk>/van-ban/", views.document, name="document"),
    path("vi-pham/<int:pk>/theo-doi/", views.follow_up, name="follow_up"),
    path("vi-pham/", views.breaches, name="breaches"),
]
