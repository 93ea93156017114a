"""The prices pages: the public board, a facility's prices with their history as charts, one
service across facilities, the operator's filing (form or XLSX), and the coordinators'
commitments and follow-up of breaches. Thin: parse, check access, call one service or selector,
render."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.cases.filetypes import download_name
from ketnoi.front.forms import add_service_errors
from ketnoi.lib import pricecheck, svgchart
from ketnoi.ops.replica import reading_from_replica

from . import access, forms, selectors, services, xlsx
from .models import Breach, BreachItem, Commitment, CommitmentStatus, Facility, PriceList, Service


def _p(request):
    return principal_for(request.user)


def _manager(request):
    if not access.may_manage(_p(request)):
        raise PermissionDenied


# --- the public board ---------------------------------------------------------------------------

@require_safe
def board(request):
    form = forms.BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    may_manage = access.may_manage(_p(request))
    # The public board from the read replica, when there is one: an operator who has just filed
    # prices is kept on the primary for a while (ketnoi/ops/replica.py).
    with reading_from_replica():
        rows = [(f, f.commitment_status) for f in (
            selectors.facilities(unit=data.get("unit"), kind=data.get("kind") or None)
            .annotate(listed_on=Max("price_lists__effective_from", filter=Q(price_lists__effective_from__lte=today))))]
    return render(request, "prices/board.html", {
        "form": form, "rows": rows, "may_manage": may_manage, "services": selectors.catalogue(),
    }, status=400 if form.errors else 200)


@require_safe
def facility(request, pk):
    place = get_object_or_404(Facility.objects.select_related("operator", "unit"), pk=pk)
    today = timezone.localdate()
    price_list, rows = selectors.current_prices(place, today)
    baselines = {row.service.pk: row.baseline for row in rows}
    charts = [(service, svgchart.price_history(points, until=today, baseline=baselines.get(service.pk)), points)
              for service, points in selectors.history(place).items()]
    commitments = [(c, c.period_from <= today <= c.period_to, selectors.services_raised(c, place)) for c in selectors.commitments_of(place, today)]
    p = _p(request)
    return render(request, "prices/facility.html", {
        "facility": place, "price_list": price_list, "rows": rows, "charts": charts, "commitments": commitments,
        "in_period": any(active for _c, active, _a in commitments) and any(r.baseline is not None for r in rows),
        "upcoming": selectors.upcoming_lists(place, today),
        "may_file": p.is_authenticated and access.may_file_for(p, place), "today": today,
    })


@require_safe
def service(request, code):
    item = get_object_or_404(Service, code=code.upper(), active=True)
    rows = selectors.service_across_facilities(item)
    return render(request, "prices/service.html", {
        "service": item, "rows": rows, "chart": svgchart.bars([(f.name, amount) for f, amount in rows]) if rows else None,
        "services": selectors.catalogue(),
    })


# --- filing a price list ------------------------------------------------------------------------

def _facility_to_file(request, pk) -> Facility:
    place = get_object_or_404(Facility.objects.select_related("operator", "unit"), pk=pk)
    if not access.may_file_for(_p(request), place):
        raise PermissionDenied
    return place


def _breach_message(breaches) -> str:
    parts = []
    for breach in breaches:
        changes = ", ".join(
            f"{item.service.code} ({pricecheck.format_amount(item.baseline)} → {pricecheck.format_amount(item.price)})"
            for item in breach.items.select_related("service"))
        parts.append(_("This list breaks the commitment of %(from)s – %(to)s: %(services)s. Customs has been told.") % {
            "from": f"{breach.commitment.period_from:%d/%m/%Y}", "to": f"{breach.commitment.period_to:%d/%m/%Y}",
            "services": changes})
    return " ".join(parts)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def file_list(request, pk):
    place = _facility_to_file(request, pk)
    catalogue = list(selectors.catalogue())
    _current, rows = selectors.current_prices(place)
    current = {row.service.code: row.amount for row in rows}
    initial = {forms.price_field_name(s): f"{current[s.code]:,}".replace(",", ".") for s in catalogue if s.code in current}
    form = forms.PriceListForm(services=catalogue, initial=initial)
    upload = forms.XlsxForm(prefix="xlsx")
    if request.method == "POST":
        via_xlsx = request.POST.get("via") == "xlsx"
        if via_xlsx:
            upload = forms.XlsxForm(request.POST, request.FILES, prefix="xlsx")
            bound = upload
        else:
            form = bound = forms.PriceListForm(request.POST, services=catalogue)
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                prices = xlsx.read(data["file"]) if via_xlsx else data["prices"]
                price_list, breaches = services.price_list_file(
                    facility=place, prices=prices, effective_from=data["effective_from"], by=request.user,
                    note=data["note"], source=PriceList.Source.XLSX if via_xlsx else PriceList.Source.FORM)
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, _("The price list (version %(version)d, in force from %(day)s) is filed.") % {
                    "version": price_list.version, "day": f"{price_list.effective_from:%d/%m/%Y}"})
                if breaches:
                    messages.error(request, _breach_message(breaches))
                return redirect(place.get_absolute_url())
    return render(request, "prices/file.html", {
        "facility": place, "form": form, "upload": upload,
        "price_rows": list(zip(form.price_fields(), [current.get(s.code) for s in catalogue])),
    }, status=400 if request.method == "POST" else 200)


@require_safe
@login_required
def xlsx_template(request, pk):
    place = _facility_to_file(request, pk)
    _current, rows = selectors.current_prices(place)
    response = HttpResponse(xlsx.template(place, {row.service.code: row.amount for row in rows}),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bang-gia-{place.pk}.xlsx"'
    return response


@require_safe
@login_required
def mine(request):
    p = _p(request)
    enterprises = p.enterprises(Role.OPERATOR)
    if not enterprises:
        raise PermissionDenied
    places = [(f, f.commitment_status) for f in selectors.facilities().filter(operator__in=enterprises)]
    return render(request, "prices/mine.html", {
        "rows": places, "commitments": selectors.commitments().filter(operator__in=enterprises)})


# --- commitments and their follow-up (coordinators) -----------------------------------------------

@require_safe
@login_required
def commitments(request):
    _manager(request)
    form = forms.CommitmentFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else None
    return render(request, "prices/commitments.html", {
        "form": form, "commitments": selectors.commitments(status=status or None), "status": status,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def facility_new(request):
    """A coordinator registers a warehouse, yard or port of an operator."""
    _manager(request)
    form = forms.FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = services.facility_create(operator=data["operator"], name=data["name"], kind=data["kind"],
                                             unit=data["unit"], address=data["address"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on the board: its operator can now file its price list.")
                             % {"name": place.name})
            return redirect(place.get_absolute_url())
    return render(request, "prices/facility_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commitment_new(request):
    _manager(request)
    form = forms.CommitmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.commitment_create(
                operator=data["operator"], facilities=list(data["facilities"]), period_from=data["period_from"],
                period_to=data["period_to"], signed_on=data["signed_on"], by=request.user,
                covers_all=data["covers_all"], services=list(data["services"]), document=data.get("document"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commitment of %(operator)s is recorded.") % {"operator": item.operator.name})
            if item.status == CommitmentStatus.BROKEN:
                messages.error(request, _("A list already filed in its period raises covered prices: it is broken."))
            return redirect(item.get_absolute_url())
    return render(request, "prices/commitment_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _render_commitment(request, item: Commitment, *, follow_forms=None, status=200):
    p = _p(request)
    staff = access.may_see_follow_up(p)
    breaches = []
    if staff:
        breaches = list(item.breaches.select_related("price_list__facility", "price_list__filed_by")
                        .prefetch_related(Prefetch("items", queryset=BreachItem.objects.select_related("service")),
                                          "notes__by").order_by("found_at"))
    follow_forms = follow_forms or {}
    may_manage = access.may_manage(p)
    return render(request, "prices/commitment.html", {
        "commitment": item, "baselines": item.baselines.select_related("facility").order_by("facility__name"),
        "services": item.services.order_by("code"), "affected": selectors.services_raised(item), "staff": staff,
        "may_manage": may_manage,
        "breaches": [(b, follow_forms.get(b.pk) or (forms.FollowUpForm(prefix=f"b{b.pk}") if may_manage and not b.is_closed else None))
                     for b in breaches],
    }, status=status)


@require_safe
def commitment(request, pk):
    return _render_commitment(request, get_object_or_404(Commitment.objects.select_related("operator"), pk=pk))


@require_safe
@login_required
def document(request, pk):
    if not access.may_see_follow_up(_p(request)):
        raise PermissionDenied
    item = get_object_or_404(Commitment, pk=pk)
    if not item.document:
        raise Http404
    try:
        handle = item.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(item.document_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, content_type=content_type,
                            filename=download_name(item.document_name or "cam-ket", content_type))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def follow_up(request, pk):
    _manager(request)
    breach = get_object_or_404(Breach.objects.select_related("commitment__operator"), pk=pk)
    form = forms.FollowUpForm(request.POST, prefix=f"b{breach.pk}")
    if form.is_valid():
        try:
            services.breach_follow_up(breach=breach, follow_up=form.cleaned_data["follow_up"],
                                      note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect(f"{breach.commitment.get_absolute_url()}#breach-{breach.pk}")
    return _render_commitment(request, breach.commitment, follow_forms={breach.pk: form}, status=400)


@require_safe
@login_required
def breaches(request):
    _manager(request)
    queue = list(selectors.breaches_to_follow().prefetch_related(
        Prefetch("items", queryset=BreachItem.objects.select_related("service"))))
    return render(request, "prices/breaches.html", {"breaches": queue})
