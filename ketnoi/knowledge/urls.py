from django.urls import path

from . import views

app_name = "knowledge"

# Under /hoi-dap/. An article's address (/hoi-dap/<id>/) never changes: it is printed and shared.
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.article, name="article"),
    path("<int:pk>/huu-ich/", views.vote, name="vote"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/thu-hoi/", views.withdraw, name="withdraw"),
    path("<int:pk>/da-ra-soat/", views.reviewed, name="reviewed"),
    path("van-ban/", views.documents, name="documents"),
    path("van-ban/moi/", views.document_new, name="document_new"),
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/<int:pk>/sua/", views.document_edit, name="document_edit"),
    path("quan-ly/", views.manage, name="manage"),
    path("quan-ly/moi/", views.new, name="new"),
    path("tu-vu-viec/<str:reference>/", views.publish_case, name="publish_case"),
]
