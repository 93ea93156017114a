"""The report pages: the department's and a unit's dashboard (with their workbook), the public
scorecard and the open data downloads. Thin: parse the filters, check access, read the figures,
render."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.ops.replica import reading_from_replica, replica_stream
from ketnoi.org.models import Unit
from ketnoi.org.selectors import unit_descendant_ids

from . import access, activity, charts, opendata, xlsx
from .forms import DashboardForm, Period, PeriodForm, YearForm


def _sections(period: Period, unit_ids: list[int] | None) -> list[charts.Section]:
    from .selectors import case_figures

    start, end = period.start, period.end
    return [
        charts.cases_section(case_figures(start=start, end=end, unit_ids=unit_ids)),
        charts.dialogue_section(activity.dialogue_figures(start=start, end=end, unit_ids=unit_ids)),
        charts.prices_section(activity.price_figures(start=start, end=end, unit_ids=unit_ids)),
        charts.directives_section(activity.directive_figures(start=start, end=end, unit_ids=unit_ids)),
    ]


def _unit_ids(unit: Unit | None) -> list[int] | None:
    """A unit's figures include the units below it (a branch's teams)."""
    return None if unit is None else sorted(unit_descendant_ids(unit))


def _title(unit: Unit | None) -> str:
    return _("Figures of %(unit)s") % {"unit": unit.name} if unit else _("Figures of the department")


def _filename(unit: Unit | None, period: Period) -> str:
    who = f"don-vi-{unit.pk}" if unit else "cuc"
    return f"bao-cao-{who}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def _dashboard(request, *, form, unit: Unit | None, fixed_unit: bool, workbook: bool):
    p = principal_for(request.user)
    context = {"form": form, "unit": unit, "fixed_unit": fixed_unit, "sections": [], "period": None,
               "may_see_department": access.may_see_department_dashboard(p),
               "may_render_year_end": access.may_render_year_end(p)}
    if not form.is_valid():
        # Bad filters: the page says what to fix, with no figures (never a 500).
        return render(request, "reports/dashboard.html", {**context, "title": _title(unit)}, status=400)
    period = form.period_chosen()
    if not fixed_unit:
        unit = form.unit_chosen()
    # The figures from the read replica, when there is one; who may see them was read above from the primary.
    with reading_from_replica():
        sections = _sections(period, _unit_ids(unit))
    if workbook:
        body = xlsx.workbook(title=_title(unit), start=period.start, end=period.end, sections=sections)
        response = HttpResponse(body, content_type=xlsx.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_filename(unit, period)}"'
        return response
    query = request.GET.urlencode()
    return render(request, "reports/dashboard.html", {
        **context, "unit": unit, "period": period, "sections": sections, "title": _title(unit), "query": query,
    })


@require_safe
@login_required
def department(request, workbook: bool = False):
    if not access.may_see_department_dashboard(principal_for(request.user)):
        raise PermissionDenied
    return _dashboard(request, form=DashboardForm(request.GET), unit=None, fixed_unit=False, workbook=workbook)


@require_safe
@login_required
def unit_dashboard(request, pk: int, workbook: bool = False):
    unit = get_object_or_404(Unit, pk=pk)
    if not access.may_see_unit_dashboard(principal_for(request.user), unit.pk):
        raise PermissionDenied
    return _dashboard(request, form=PeriodForm(request.GET), unit=unit, fixed_unit=True, workbook=workbook)


# --- public --------------------------------------------------------------------------------------

def _dashboard_link(request) -> str | None:
    """Where the staff who may see a dashboard find it (the public pages link to it for them)."""
    p = principal_for(request.user)
    if access.may_see_department_dashboard(p):
        return reverse("reports:department")
    led = access.units_led(p)
    return reverse("reports:unit", args=[led[0]]) if led else None


@require_safe
@reading_from_replica()
def scorecard(request):
    years = opendata.available_years()
    form = YearForm(request.GET, years=years)
    if not form.is_valid():
        return render(request, "reports/scorecard.html", {"form": form, "rows": [],
                                                          "dashboard": _dashboard_link(request)}, status=400)
    year = form.year_chosen()
    rows = activity.scorecard(start=date(year, 1, 1), end=date(year, 12, 31))
    return render(request, "reports/scorecard.html", {
        "form": form, "year": year, "rows": rows, "min_cases": activity.MIN_CASES,
        "dashboard": _dashboard_link(request),
        "cells": [(row, charts.show(row.answered, charts.COUNT), charts.show(row.on_time_rate, charts.SHARE),
                   charts.show(row.median_answer_workdays, charts.DAYS),
                   charts.show(row.satisfaction, charts.MEAN)) for row in rows],
    })


@require_safe
@reading_from_replica()
def open_data(request):
    return render(request, "reports/open_data.html", {
        "years": opendata.available_years(), "case_fields": opendata.CASE_FIELDS, "qa_fields": opendata.QA_FIELDS,
        "min_cases": activity.MIN_CASES,
    })


CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"


def _download(stream, *, filename: str, fmt: str):
    # Streamed after the view returned: the rows are read from the replica as they are sent.
    response = StreamingHttpResponse(replica_stream(stream), content_type=CSV if fmt == "csv" else JSON)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@reading_from_replica()
def open_data_cases(request, year: int, fmt: str):
    if year not in opendata.available_years():
        return render(request, "reports/open_data.html", {
            "years": opendata.available_years(), "case_fields": opendata.CASE_FIELDS,
            "qa_fields": opendata.QA_FIELDS, "min_cases": activity.MIN_CASES,
            "error": _("There are no figures for %(year)s: choose a year from the list.") % {"year": year},
        }, status=404)
    rows = opendata.case_rows(year=year)
    if fmt == "csv":
        stream = opendata.csv_stream(opendata.CASE_FIELDS, rows)
    else:
        stream = opendata.json_stream(dataset=f"cases-{year}", description=opendata.CASES_DESCRIPTION,
                                      fields=opendata.CASE_FIELDS, rows=rows, extra={"year": year})
    return _download(stream, filename=f"vuong-mac-{year}.{fmt}", fmt=fmt)


@require_safe
@reading_from_replica()
def open_data_qa(request, fmt: str):
    rows = opendata.qa_rows(base_url=request.build_absolute_uri("/"))
    if fmt == "csv":
        stream = opendata.csv_stream(opendata.QA_FIELDS, rows)
    else:
        stream = opendata.json_stream(dataset="qa", description=opendata.QA_DESCRIPTION, fields=opendata.QA_FIELDS,
                                      rows=rows)
    return _download(stream, filename=f"hoi-dap.{fmt}", fmt=fmt)
