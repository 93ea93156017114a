"""The programme dashboard (issue #5, item 8): for each session a programme held, the businesses
that came (new to the programme or returning), the questions raised and how many were answered
on the spot, whether the follow-ups were closed on time, and the survey's averages; as charts
drawn on the server (lib/svgchart.py), the table behind each chart, and an XLSX workbook.

The figures are read set-based: one grouped query per kind of record (registrations, attendees,
questions, survey answers) whatever the number of sessions, never a query per session. The
department view puts every programme side by side with the same queries grouped by programme.

What the figures mean:
- attended: registrations checked in at the session (each is one business);
- new: a business attending the programme for the first time; returning: it attended an
  earlier held session of the same programme;
- questions raised: the session's questions, sent ahead or raised on the day, except those
  withdrawn; answered on the spot: the share of them answered at the session;
- a follow-up is closed when its case is answered (or resolved without an answer), on time when
  that day (Vietnam's time) is on or before the follow-up's due date; late after it; overdue
  when still open after it. The share closed on time counts the follow-ups whose fate is known
  (closed, or open past their date), not those still open within their time;
- satisfaction and usefulness: the mean of the survey answers (1–5), over answers, not over
  the sessions' means.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ketnoi.accounts.access import Principal, principal_for
from ketnoi.accounts.models import Role
from ketnoi.lib import svgchart
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.ops.replica import reading_from_replica

from . import access
from .models import Attendee, Programme, Question, Registration, Session, SurveyResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- who may see it ------------------------------------------------------------------------------

def may_see_dashboard(p: Principal, programme: Programme) -> bool:
    """Those who run the programme's sessions: staff of its unit and of the units above it, its
    hosts, the department's coordinators (access.may_run_session asks only about the session's
    programme, so an unsaved session of it stands for them all)."""
    return access.may_run_session(p, Session(programme=programme))


# --- the figures ---------------------------------------------------------------------------------

@dataclass
class Figures:
    """Counts over one session, or over a programme's held sessions."""

    confirmed: int = 0
    waiting: int = 0
    attended: int = 0       # businesses checked in
    new: int = 0            # of them, attending the programme for the first time
    people: int = 0         # attendees of the businesses checked in
    questions: int = 0      # raised (withdrawn ones left out)
    answered: int = 0       # answered on the spot
    follow_ups: int = 0
    on_time: int = 0        # follow-ups closed by their due date
    late: int = 0           # closed after it
    overdue: int = 0        # still open after it
    responses: int = 0      # survey answers
    satisfaction_total: int = 0
    usefulness_total: int = 0

    COUNTS = ("confirmed", "waiting", "attended", "new", "people", "questions", "answered", "follow_ups",
              "on_time", "late", "overdue", "responses", "satisfaction_total", "usefulness_total")

    @property
    def returning(self) -> int:
        return self.attended - self.new

    @property
    def pending(self) -> int:
        """Questions raised but neither answered nor followed up (not yet discussed)."""
        return self.questions - self.answered - self.follow_ups

    @property
    def open_in_time(self) -> int:
        """Follow-ups still open, their due date not yet passed."""
        return self.follow_ups - self.on_time - self.late - self.overdue

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def on_time_share(self) -> float | None:
        known = self.on_time + self.late + self.overdue
        return self.on_time / known if known else None

    @property
    def satisfaction(self) -> float | None:
        return self.satisfaction_total / self.responses if self.responses else None

    @property
    def usefulness(self) -> float | None:
        return self.usefulness_total / self.responses if self.responses else None

    def add(self, other: "Figures") -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SessionFigures(Figures):
    session: Session | None = None


@dataclass
class ProgrammeFigures(Figures):
    programme: Programme | None = None
    held: int = 0
    cancelled: int = 0
    scheduled: int = 0
    sessions: list[SessionFigures] = field(default_factory=list)

    @property
    def businesses(self) -> int:
        """Distinct businesses that attended: each is new exactly once."""
        return self.new


def _held(programmes: QuerySet[Programme]) -> QuerySet[Session]:
    return Session.objects.filter(programme__in=programmes, status=Session.Status.HELD)


def _grouped(held: QuerySet[Session], key: str, today: date) -> dict[int, dict]:
    """The counts of `Figures` for the held sessions, grouped by `key` ("session" or
    "programme"): four grouped queries."""
    by = "session_id" if key == "session" else "session__programme_id"
    rows: dict[int, dict] = {}

    def merge(queryset, group):
        for row in queryset:
            rows.setdefault(row.pop(group), {}).update(row)

    checked_in = Q(checked_in_at__isnull=False)
    came_before = Registration.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), session__programme_id=OuterRef("session__programme_id"),
        session__status=Session.Status.HELD, session__starts_at__lt=OuterRef("session__starts_at"),
        checked_in_at__isnull=False)
    merge(Registration.objects.filter(session__in=held).annotate(returning=Exists(came_before))
          .values(by).order_by().annotate(
              confirmed=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
              waiting=Count("id", filter=Q(status=Registration.Status.WAITING)),
              attended=Count("id", filter=checked_in),
              new=Count("id", filter=checked_in & Q(returning=False))), by)
    merge(Attendee.objects.filter(registration__session__in=held, registration__checked_in_at__isnull=False)
          .values(f"registration__{by}").order_by().annotate(people=Count("id")), f"registration__{by}")
    follow_up = Q(outcome=Question.Outcome.FOLLOW_UP)
    closed = Q(closed_on__isnull=False)
    merge(Question.objects.filter(session__in=held).exclude(outcome=Question.Outcome.WITHDRAWN)
          .annotate(closed_on=TruncDate(Coalesce("case__answered_at", "case__resolved_at"), tzinfo=TIMEZONE))
          .values(by).order_by().annotate(
              questions=Count("id"),
              answered=Count("id", filter=Q(outcome=Question.Outcome.ANSWERED)),
              follow_ups=Count("id", filter=follow_up),
              on_time=Count("id", filter=follow_up & closed & Q(closed_on__lte=F("follow_up_due"))),
              late=Count("id", filter=follow_up & closed & Q(closed_on__gt=F("follow_up_due"))),
              overdue=Count("id", filter=follow_up & Q(closed_on__isnull=True, follow_up_due__lt=today))), by)
    merge(SurveyResponse.objects.filter(session__in=held).values(by).order_by().annotate(
        responses=Count("id"), satisfaction_total=Sum("satisfaction"), usefulness_total=Sum("usefulness")), by)
    return rows


def programme_figures(*, programme: Programme, today: date | None = None) -> list[SessionFigures]:
    """One row per session the programme held, in order of time (five queries in all)."""
    today = today or timezone.localdate()
    held = _held(Programme.objects.filter(pk=programme.pk))
    counts = _grouped(held, "session", today)
    return [SessionFigures(session=session, **{k: v or 0 for k, v in counts.get(session.pk, {}).items()})
            for session in held.order_by("starts_at", "number")]


def programme_summary(*, programme: Programme, sessions: list[SessionFigures]) -> ProgrammeFigures:
    """The programme's totals: its held sessions' figures added up, and how many sessions were
    cancelled or are still to come (one query)."""
    summary = ProgrammeFigures(programme=programme, sessions=sessions, held=len(sessions))
    for figures in sessions:
        summary.add(figures)
    statuses = dict(programme.sessions.values("status").order_by().annotate(n=Count("id")).values_list("status", "n"))
    summary.cancelled = statuses.get(Session.Status.CANCELLED, 0)
    summary.scheduled = statuses.get(Session.Status.SCHEDULED, 0)
    return summary


def department_figures(*, programmes: QuerySet[Programme] | None = None,
                       today: date | None = None) -> list[ProgrammeFigures]:
    """Every programme's totals side by side (for the coordinators): the same grouped queries,
    by programme."""
    today = today or timezone.localdate()
    programmes = (programmes if programmes is not None else Programme.objects.all()).select_related("unit")
    counts = _grouped(_held(programmes), "programme", today)
    statuses: dict[int, dict[str, int]] = {}
    for programme_id, status, n in (Session.objects.filter(programme__in=programmes)
                                    .values("programme_id", "status").order_by().annotate(n=Count("id"))
                                    .values_list("programme_id", "status", "n")):
        statuses.setdefault(programme_id, {})[status] = n
    rows = []
    for programme in programmes.order_by("unit__code", "name"):
        mine = statuses.get(programme.pk, {})
        rows.append(ProgrammeFigures(
            programme=programme, held=mine.get(Session.Status.HELD, 0),
            cancelled=mine.get(Session.Status.CANCELLED, 0), scheduled=mine.get(Session.Status.SCHEDULED, 0),
            **{k: v or 0 for k, v in counts.get(programme.pk, {}).items()}))
    return rows


def follow_ups_of(programme: Programme) -> QuerySet[Question]:
    """The programme's follow-ups with their case, for the workbook (one query)."""
    return (Question.objects.filter(session__programme=programme, session__status=Session.Status.HELD,
                                    outcome=Question.Outcome.FOLLOW_UP)
            .select_related("session", "case__enterprise", "follow_up_owner")
            .order_by("session__starts_at", "agenda_position", "id"))


def follow_up_state(question: Question, today: date) -> str:
    closed_at = question.case.answered_at or question.case.resolved_at
    if closed_at is not None:
        return "on_time" if timezone.localtime(closed_at, TIMEZONE).date() <= question.follow_up_due else "late"
    return "overdue" if question.follow_up_due < today else "open"


FOLLOW_UP_STATES = {
    "on_time": gettext_lazy("Closed on time"), "late": gettext_lazy("Closed late"),
    "overdue": gettext_lazy("Open, past its date"), "open": gettext_lazy("Open, within its date"),
}


# --- the charts and the tables behind them -------------------------------------------------------

@dataclass
class Chart:
    """One chart and the table behind it: the same numbers, written twice."""

    key: str
    title: str
    kind: str                 # "columns" or "lines"
    drawing: object           # svgchart.ColumnChart or svgchart.SeriesChart
    series: list[str]         # the names of the stacked parts or of the lines, in order
    headers: list[str]        # the table's columns after the session's number and date
    rows: list[tuple[SessionFigures, list[str]]]


def _label(session: Session, same_year: bool) -> str:
    day = timezone.localtime(session.starts_at, TIMEZONE)
    return f"{day:%d/%m}" if same_year else f"{day:%m/%Y}"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


def _mean(value: float | None) -> str:
    return "–" if value is None else number_format(round(value, 1), 1)


def dashboard_charts(sessions: list[SessionFigures]) -> list[Chart]:
    years = {timezone.localtime(f.session.starts_at, TIMEZONE).year for f in sessions}
    labels = [_label(f.session, len(years) <= 1) for f in sessions]

    def stacked(key, title, parts, extra_headers=(), extra=lambda f: []):
        names = [name for name, _value in parts]
        drawing = svgchart.columns(labels, [[value(f) for f in sessions] for _name, value in parts])
        rows = [(f, [str(value(f)) for _name, value in parts] + [str(sum(value(f) for _n, value in parts))] + extra(f))
                for f in sessions]
        return Chart(key=key, title=title, kind="columns", drawing=drawing, series=names,
                     headers=names + [_("Total")] + list(extra_headers), rows=rows)

    charts = [
        stacked("businesses", _("Businesses attending"), [
            (_("New to the programme"), lambda f: f.new), (_("Returning"), lambda f: f.returning)],
            [_("People")], lambda f: [str(f.people)]),
        stacked("questions", _("Questions raised"), [
            (_("Answered on the spot"), lambda f: f.answered), (_("Followed up"), lambda f: f.follow_ups),
            (_("Not discussed"), lambda f: f.pending)],
            [_("Answered on the spot (share)")], lambda f: [_percent(f.answered_share)]),
        stacked("follow-ups", _("Follow-ups"), [
            (_("Closed on time"), lambda f: f.on_time), (_("Closed late"), lambda f: f.late),
            (_("Open, past its date"), lambda f: f.overdue), (_("Open, within its date"), lambda f: f.open_in_time)],
            [_("Closed on time (share)")], lambda f: [_percent(f.on_time_share)]),
    ]
    names = [_("Satisfaction"), _("Usefulness")]
    means = [[f.satisfaction for f in sessions], [f.usefulness for f in sessions]]
    drawing = svgchart.lines(labels, [[None if v is None else round(v, 1) for v in values] for values in means],
                             low=1, high=5)
    charts.append(Chart(key="survey", title=_("Survey: average of the answers (1–5)"), kind="lines", drawing=drawing,
                        series=names, headers=names + [_("Survey answers")],
                        rows=[(f, [_mean(f.satisfaction), _mean(f.usefulness), str(f.responses)]) for f in sessions]))
    return charts


# --- the pages -----------------------------------------------------------------------------------

def _programme_to_see(request, pk) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("unit"), pk=pk)
    if not may_see_dashboard(principal_for(request.user), programme):
        raise PermissionDenied
    return programme


@require_safe
@login_required
def dashboard_view(request, pk):
    programme = _programme_to_see(request, pk)
    # The figures from the read replica, when there is one (who may see them: from the primary).
    with reading_from_replica():
        sessions = programme_figures(programme=programme)
    summary = programme_summary(programme=programme, sessions=sessions)
    return render(request, "dialogue/dashboard.html", {
        "programme": programme, "summary": summary, "charts": dashboard_charts(sessions),
        "cancelled": programme.sessions.filter(status=Session.Status.CANCELLED).order_by("occurrence"),
        "answered_share": _percent(summary.answered_share), "on_time_share": _percent(summary.on_time_share),
        "satisfaction": _mean(summary.satisfaction), "usefulness": _mean(summary.usefulness),
    })


@require_safe
@login_required
def department_view(request):
    """Every programme side by side, for the department's coordinators."""
    if not principal_for(request.user).has(Role.COORDINATOR):
        raise PermissionDenied
    with reading_from_replica():
        rows = department_figures()
    return render(request, "dialogue/dashboard.html", {
        "department": True,
        "rows": [(row, _percent(row.answered_share), _percent(row.on_time_share), _mean(row.satisfaction),
                  _mean(row.usefulness)) for row in rows],
    })


@require_safe
@login_required
def dashboard_xlsx(request, pk):
    programme = _programme_to_see(request, pk)
    today = timezone.localdate()
    with reading_from_replica():
        sessions = programme_figures(programme=programme, today=today)
    response = HttpResponse(programme_workbook(programme, sessions, today=today), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="doi-thoai-{programme.pk}-thong-ke-{today:%Y-%m-%d}.xlsx"'
    return response


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def programme_workbook(programme: Programme, sessions: list[SessionFigures], *, today: date) -> bytes:
    """Two sheets: the figures of each session (numbers, not text, so they add up in a
    spreadsheet), and every follow-up with its owner, due date and fate."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sessions")[:31]
    sheet.append([f"{programme.name} – {programme.unit.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Figures of the sessions held, on %(day)s") % {"day": f"{today:%d/%m/%Y}"}])
    sheet.append([])
    header = [_("Session"), _("Date"), _("Confirmed"), _("Waiting list"), _("Businesses attending"),
              _("New to the programme"), _("Returning"), _("People"), _("Questions raised"), _("Answered on the spot"),
              _("Followed up"), _("Answered on the spot (share)"), _("Closed on time"), _("Closed late"),
              _("Open, past its date"), _("Closed on time (share)"), _("Survey answers"), _("Satisfaction"),
              _("Usefulness")]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for f in sessions:
        sheet.append([f.session.number, timezone.localtime(f.session.starts_at, TIMEZONE).replace(tzinfo=None),
                      f.confirmed, f.waiting, f.attended, f.new, f.returning, f.people, f.questions, f.answered,
                      f.follow_ups, _share(f.answered_share), f.on_time, f.late, f.overdue, _share(f.on_time_share),
                      f.responses, None if f.satisfaction is None else round(f.satisfaction, 2),
                      None if f.usefulness is None else round(f.usefulness, 2)])
        row = sheet.max_row
        sheet.cell(row=row, column=2).number_format = "dd/mm/yyyy hh:mm"
        for column in (12, 16):
            sheet.cell(row=row, column=column).number_format = "0%"
    for index, width in enumerate([9, 17] + [12] * (len(header) - 2), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"

    follow = book.create_sheet(_("Follow-ups")[:31])
    follow.append([_("Session"), _("Date"), _("Case"), _("Enterprise"), _("Subject"), _("Owner"), _("Due"),
                   _("Closed"), _("State"), _("What is to be done")])
    for cell in follow[1]:
        cell.font = Font(bold=True)
    for question in follow_ups_of(programme):
        case = question.case
        closed_at = case.answered_at or case.resolved_at
        follow.append([question.session.number, timezone.localtime(question.session.starts_at, TIMEZONE).date(),
                       case.reference, case.enterprise.name, case.subject,
                       question.follow_up_owner.get_full_name() if question.follow_up_owner else "",
                       question.follow_up_due, timezone.localtime(closed_at, TIMEZONE).date() if closed_at else None,
                       str(FOLLOW_UP_STATES[follow_up_state(question, today)]), question.follow_up_note])
        row = follow.max_row
        for column in (2, 7, 8):
            follow.cell(row=row, column=column).number_format = "dd/mm/yyyy"
    for index, width in enumerate([9, 12, 16, 40, 48, 24, 12, 12, 20, 48], start=1):
        follow.column_dimensions[get_column_letter(index)].width = width
    follow.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
