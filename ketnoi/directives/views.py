"""The directives pages (staff only): what is in force for a unit, a directive with its versions
and the difference between two of them, issuing and replacing (coordinators), acknowledging and
reporting (a unit's leader or delegate), the department's follow-up matrix, search and delegates.
Thin: parse, check access, call one service or selector, render. A directive someone may not
see answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, User
from ketnoi.cases.filetypes import download_name
from ketnoi.front.forms import add_service_errors
from ketnoi.org.models import Unit

from . import access, exports, forms, selectors, services
from .models import Delegate, Directive

MATRIX_DIRECTIVES = 60


def _p(request):
    return principal_for(request.user)


def _reader(request):
    if not access.may_read(_p(request)):
        raise PermissionDenied


def _directive_or_404(request, pk) -> Directive:
    directive = access.visible_directives(_p(request), Directive.objects.select_related("issuing_unit")).filter(pk=pk).first()
    if directive is None:
        raise Http404
    return directive


def _unit_choices(p) -> list[Unit]:
    if access.may_follow_all(p):
        return list(Unit.objects.filter(valid_to__isnull=True).order_by("kind", "code", "name_vi"))
    return list(Unit.objects.filter(pk__in=p.units()).order_by("kind", "code", "name_vi"))


# --- what is in force ---------------------------------------------------------------------------

@require_safe
@login_required
def in_force(request):
    _reader(request)
    p = _p(request)
    form = forms.DayForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("day") or timezone.localdate()
    choices = _unit_choices(p)
    unit = next((u for u in choices if u.pk == data.get("unit")), None)
    if unit is None and not access.may_follow_all(p):
        unit = choices[0] if choices else None
    units = [unit] if unit else None
    current = list(selectors.in_force(day=day, units=units).select_related("issuing_unit").order_by("-issued_at"))
    acting = access.units_acting_for(p)
    now = timezone.now()
    cells = selectors.cells_of(unit=unit, directives=current, now=now) if unit is not None else {}
    return render(request, "directives/in_force.html", {
        "form": form, "day": day, "unit": unit, "choices": choices, "current": current,
        "changes": selectors.changes_for(unit=unit, day=day), "rows": [(d, cells.get(d.pk)) for d in current],
        "awaiting": list(selectors.awaiting_acknowledgement(unit=unit)) if unit and unit.pk in acting else [],
        "may_act": unit is not None and unit.pk in acting, "may_issue": access.may_issue(p),
        "may_follow_all": access.may_follow_all(p), "now": now,
    }, status=400 if form.errors else 200)


# --- one directive ------------------------------------------------------------------------------

def _render_detail(request, directive, *, report_form=None, status=200):
    p = _p(request)
    chain = selectors.versions(directive)
    recipients = list(directive.recipients.select_related("unit", "acknowledged_by", "reported_by")
                      .order_by("unit__kind", "unit__code", "unit__name_vi"))
    acting = access.units_acting_for(p)
    mine = [r for r in recipients if r.unit_id in acting]
    now = timezone.now()
    return render(request, "directives/detail.html", {
        "directive": directive, "versions": chain, "previous": directive.previous,
        "latest": chain[-1], "attachments": list(directive.attachments.all()),
        "rows": [(r, selectors.cell_for(r, now=now)) for r in (recipients if access.may_follow_all(p) else mine)],
        "mine": mine, "report_form": report_form, "may_issue": access.may_issue(p),
        "in_force_today": directive.in_force_on(timezone.localdate()),
    }, status=status)


@require_safe
@login_required
def detail(request, pk):
    _reader(request)
    return _render_detail(request, _directive_or_404(request, pk))


@require_safe
@login_required
def compare(request, pk, other):
    """The difference between two versions of one chain (older first, whatever the order asked)."""
    _reader(request)
    directive, second = _directive_or_404(request, pk), _directive_or_404(request, other)
    if directive.chain != second.chain:
        raise Http404
    old, new = sorted([directive, second], key=lambda d: d.version)
    particulars, paragraphs = selectors.compare(old, new)
    return render(request, "directives/compare.html", {
        "old": old, "new": new, "particulars": particulars, "paragraphs": paragraphs,
        "versions": selectors.versions(directive),
        "unchanged": not particulars and all(p.status == "same" for p in paragraphs),
    })


@require_safe
@login_required
def attachment(request, pk, attachment_id):
    _reader(request)
    directive = _directive_or_404(request, pk)
    item = get_object_or_404(directive.attachments, pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=download_name(item.original_name, item.content_type),
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _unit_from_post(request) -> Unit:
    try:
        return Unit.objects.get(pk=int(request.POST.get("unit", "")))
    except (ValueError, Unit.DoesNotExist):
        raise Http404 from None


@require_POST
@login_required
def acknowledge(request, pk):
    _reader(request)
    directive = _directive_or_404(request, pk)
    unit = _unit_from_post(request)
    try:
        recipient = services.directive_acknowledge(directive=directive, unit=unit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(directive.get_absolute_url())
    messages.success(request, _("%(unit)s has acknowledged %(number)s (%(when)s).") % {
        "unit": unit.short_name, "number": directive.number,
        "when": f"{timezone.localtime(recipient.acknowledged_at):%H:%M %d/%m/%Y}"})
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/chi-dao/")
                    else directive.get_absolute_url())


@require_POST
@login_required
def report(request, pk):
    _reader(request)
    directive = _directive_or_404(request, pk)
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        unit = get_object_or_404(Unit, pk=form.cleaned_data["unit"])
        try:
            services.directive_report(directive=directive, unit=unit, text=form.cleaned_data["report_text"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The implementation report of %(unit)s is filed.") % {"unit": unit.short_name})
            return redirect(directive.get_absolute_url())
    return _render_detail(request, directive, report_form=form, status=400)


# --- issuing ------------------------------------------------------------------------------------

def _issue_form(request, *, previous=None):
    if not access.may_issue(_p(request)):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.DirectiveForm(request.POST, request.FILES, previous=previous)
    else:
        form = forms.DirectiveForm(previous=previous, initial=forms.initial_from(previous) if previous else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_issue(
                by=request.user, number=data["number"], title=data["title"], body=data["body"],
                issuing_unit=data["issuing_unit"], signer_name=data["signer_name"], signer_title=data["signer_title"],
                issued_at=data["issued_at"], effective_from=data["effective_from"], effective_to=data["effective_to"],
                urgency=data["urgency"], target=data["target"], target_kinds=data["target_kinds"],
                target_units=data["target_units"], ack_within_hours=data["ack_within_hours"],
                report_due=data["report_due"], attachments=data["attachments"], previous=previous,
                change=data.get("change") or "new")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = directive.recipients.count()
            messages.success(request, ngettext("%(number)s is issued to %(n)d unit.", "%(number)s is issued to %(n)d units.",
                                               sent) % {"number": directive.number, "n": sent})
            return redirect(directive.get_absolute_url())
    return render(request, "directives/form.html", {"form": form, "previous": previous},
                  status=400 if form.errors else 200)


@login_required
def new(request):
    return _issue_form(request)


@login_required
def new_version(request, pk):
    _reader(request)
    previous = _directive_or_404(request, pk)
    if not previous.is_latest:
        messages.info(request, _("This version has already been replaced: this is its latest version."))
        return redirect(selectors.versions(previous)[-1].get_absolute_url())
    return _issue_form(request, previous=previous)


# --- the department's follow-up -------------------------------------------------------------------

@require_safe
@login_required
def follow_up(request):
    """Directives × units: who acknowledged and reported, and who is late."""
    p = _p(request)
    if not access.may_follow_all(p):
        raise PermissionDenied
    form = forms.DayForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    only_late = request.GET.get("late") == "1"
    directives = list(selectors.in_force(day=day).select_related("issuing_unit").order_by("-issued_at")[:MATRIX_DIRECTIVES])
    matrix = selectors.matrix(directives=directives)
    if only_late:
        matrix.directives = [d for d in directives if any(c and c.late for c in matrix.row(d))]
    if request.GET.get("format") == "xlsx":
        return exports.matrix_xlsx(matrix, day=day)
    return render(request, "directives/follow_up.html", {
        "form": form, "day": day, "matrix": matrix, "only_late": only_late,
        "rows": [(d, matrix.row(d)) for d in matrix.directives],
    }, status=400 if form.errors else 200)


# --- search -------------------------------------------------------------------------------------

@require_safe
@login_required
def search(request):
    _reader(request)
    form = forms.SearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    results, query = selectors.search(text=q, qs=access.visible_directives(_p(request))) if q else ([], None)
    today = timezone.localdate()
    return render(request, "directives/search.html", {
        "form": form, "q": q, "results": results[:100], "total": len(results), "query": query, "today": today,
    }, status=400 if form.errors else 200)


# --- delegates ----------------------------------------------------------------------------------

@login_required
def delegates(request):
    """A unit leader names the officers who may acknowledge and report for the unit."""
    p = _p(request)
    led = list(Unit.objects.filter(pk__in=p.units(Role.LEADER)).order_by("code", "name_vi"))
    if not led:
        raise PermissionDenied
    if request.method == "POST":
        unit = next((u for u in led if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise PermissionDenied
        try:
            if request.POST.get("remove"):
                delegate = get_object_or_404(Delegate, pk=request.POST["remove"], unit=unit)
                services.delegate_remove(delegate=delegate, by=request.user)
                messages.success(request, _("%(name)s may no longer acknowledge for %(unit)s.") % {
                    "name": delegate.user, "unit": unit.short_name})
            else:
                user = get_object_or_404(User, pk=request.POST.get("user") or 0)
                services.delegate_add(unit=unit, user=user, by=request.user)
                messages.success(request, _("%(name)s may now acknowledge directives and file reports for %(unit)s.") % {
                    "name": user, "unit": unit.short_name})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("directives:delegates")
    sections = [{"unit": unit, **selectors.delegation(unit=unit)} for unit in led]
    return render(request, "directives/delegates.html", {"sections": sections})
