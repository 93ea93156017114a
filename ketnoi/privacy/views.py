"""/du-lieu-cua-toi/: a business user asks for all its enterprise's data as a ZIP, follows the
background job, and downloads the file. Thin: check access, call export.request or read the
jobs, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.background import selectors as background
from ketnoi.background.models import Job

from . import export


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def home(request):
    p = principal_for(request.user)
    enterprises = export.exportable_enterprises(p)
    if not enterprises:
        raise PermissionDenied
    if request.method == "POST":
        chosen = str(request.POST.get("enterprise", ""))
        if not (chosen.isascii() and chosen.isdigit()) or not export.may_export(p, int(chosen)):
            return render(request, "privacy/home.html", {
                "enterprises": enterprises, "jobs": _jobs(p),
                "error": _("Choose one of your enterprises listed below."),
            }, status=400)
        job = export.request(enterprise_id=int(chosen), by=request.user, language=translation.get_language())
        messages.success(request, _("Your data is being gathered. This page shows how far it has gone; "
                                    "download the file when it is ready."))
        return redirect("background:job", job_id=job.pk)
    return render(request, "privacy/home.html", {"enterprises": enterprises, "jobs": _jobs(p)})


def _jobs(p):
    return background.jobs_requested(p=p, kind=export.EXPORT)


@require_safe
@login_required
def download(request, job_id):
    """The ZIP, to the person who asked for it while they still belong to the enterprise."""
    p = principal_for(request.user)
    job = background.job_for(p=p, job_id=job_id)
    if (job is None or job.kind != export.EXPORT or job.requested_by_id != p.user_id
            or not export.may_export(p, int(job.params.get("enterprise", 0)))):
        raise Http404
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=job.result_name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
