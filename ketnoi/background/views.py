"""Pages of background work: ask for the year-end review, follow a job's progress, download its
result. Thin: parse, check access, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ketnoi.accounts.access import principal_for
from ketnoi.front.forms import add_service_errors

from . import selectors, services
from .forms import YearEndForm
from .kinds import YEAR_END, kind_for

# Seconds between two refreshes of a job's page while the work goes on. The page reloads itself
# through the HTTP Refresh header: no script, so nothing for the content security policy to allow.
REFRESH_SECONDS = 2


def _job_or_404(request, job_id):
    job = selectors.job_for(p=principal_for(request.user), job_id=job_id)
    if job is None:
        raise Http404
    return job


@login_required
@require_http_methods(["GET", "POST"])
def year_end(request):
    p = principal_for(request.user)
    if not kind_for(YEAR_END).may_request(p):
        raise PermissionDenied
    form = YearEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_request(kind=YEAR_END, params=form.cleaned_data, by=request.user,
                                       language=translation.get_language())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review is being prepared. This page shows how far it has gone."))
            return redirect("background:job", job_id=job.pk)
    return render(request, "reports/year_end.html", {
        "form": form, "jobs": selectors.jobs_requested(p=p, kind=YEAR_END),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def job(request, job_id):
    found = _job_or_404(request, job_id)
    kind = kind_for(found.kind)
    response = render(request, "background/job.html", {
        "job": found, "kind_label": kind.label if kind else found.kind, "refresh_seconds": REFRESH_SECONDS,
    })
    if not found.is_finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_download(request, job_id):
    found = _job_or_404(request, job_id)
    if found.state != found.State.DONE or not found.result:
        raise Http404
    try:
        handle = found.result.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=found.result_name,
                            content_type=found.result_content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
