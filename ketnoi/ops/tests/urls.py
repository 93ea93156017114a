"""Pages of the tests' own: a dashboard that reads from the replica, a form that writes, a page
that logs."""

import logging

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path

from ketnoi.ops.models import Heartbeat
from ketnoi.ops.replica import reading_from_replica, replica_stream
from ketnoi.ops.services import heartbeat_record


@reading_from_replica()
def dashboard(request):
    return JsonResponse({"names": list(Heartbeat.objects.order_by("name").values_list("name", flat=True))})


def write(request):
    # A POST form, or (GET, ?touch) a page that writes as it is read.
    heartbeat_record(name=request.POST.get("name") or request.GET.get("touch") or "form")
    return HttpResponse("ok")


def stream(request):
    names = Heartbeat.objects.order_by("name").values_list("name", flat=True).iterator()
    return StreamingHttpResponse(replica_stream(f"{name}\n" for name in names))


def slow(request):
    logging.getLogger("ketnoi.ops.tests").warning("cơ sở dữ liệu chậm")
    return HttpResponse("ok")


urlpatterns = [
    path("slow", slow),
    path("dashboard", dashboard),
    path("write", write),
    path("stream", stream),
]
