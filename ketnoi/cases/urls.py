from django.urls import path

from . import views

app_name = "cases"

# Fixed paths first: a reference (VM-2026-000123) is matched by the catch-all patterns below.
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("new/", views.new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("intake/", views.intake, name="intake"),
    path("queue/", views.queue, name="queue"),
    path("routing/", views.routing, name="routing"),
    path("routing/<int:rule_id>/delete/", views.routing_delete, name="routing_delete"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines/new/", views.deadline_new, name="deadline_new"),
    path("deadlines/<int:policy_id>/", views.deadline_edit, name="deadline_edit"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<str:reference>/assign/", views.assign, name="assign"),
    path("<str:reference>/message/", views.message, name="message"),
    path("<str:reference>/note/", views.note, name="note"),
    path("<str:reference>/request-info/", views.request_info, name="request_info"),
    path("<str:reference>/draft/", views.draft, name="draft"),
    path("<str:reference>/answer/", views.answer, name="answer"),
    path("<str:reference>/approve/", views.approve, name="approve"),
    path("<str:reference>/reject/", views.reject, name="reject"),
    path("<str:reference>/reassign/", views.reassign, name="reassign"),
    path("<str:reference>/share/", views.share, name="share"),
    path("<str:reference>/forward/", views.forward, name="forward"),
    path("<str:reference>/escalate/", views.escalate, name="escalate"),
    path("<str:reference>/reply/", views.reply, name="reply"),
    path("<str:reference>/accept/", views.accept, name="accept"),
    path("<str:reference>/rating/", views.rating, name="rating"),
]
