"""The programme dashboard: its figures equal a recount of the records, read in a fixed number of
queries; each chart shows the numbers of the table behind it; the workbook holds the same; and
only those who run the programme's sessions may open it."""

import io
import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ketnoi.cases.models import Case
from ketnoi.dialogue import dashboard
from ketnoi.dialogue.models import Attendee, Programme, Question, Registration, Session, SurveyResponse
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2020, 6, 20)


def local(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TIMEZONE)


def add_session(programme, number, day, status=Session.Status.HELD, reason=""):
    return Session.objects.create(
        programme=programme, occurrence=local(day), number=number, starts_at=local(day), ends_at=local(day, 9),
        venue=programme.venue, capacity=programme.capacity, registration_closes_at=local(day) - timedelta(hours=24),
        status=status, change_reason=reason)


def register(session, enterprise, by, *, status=Registration.Status.CONFIRMED, checked_in=True, people=2):
    registration = Registration.objects.create(
        session=session, enterprise=enterprise, registered_by=by, status=status,
        created_at=session.starts_at - timedelta(days=5),
        checked_in_at=session.starts_at - timedelta(minutes=10) if checked_in else None)
    for i in range(people):
        Attendee.objects.create(registration=registration, name=f"Nguyễn Văn Dự {i}", position="Trưởng phòng XNK")
    return registration


def ask(session, registration, *, outcome=Question.Outcome.PENDING, owner=None, due=None, closed=None,
        resolved=None):
    """A question whose case was answered (or only resolved) on the day `closed` (or never)."""
    by = registration.registered_by
    case = make_case(enterprise=registration.enterprise, by=by, unit=session.programme.unit,
                     subject="Vướng mắc hoàn thuế nguyên liệu nhập khẩu sản xuất xuất khẩu")
    if closed:
        Case.objects.filter(pk=case.pk).update(answered_at=local(closed, 15), status="answered")
    if resolved:
        Case.objects.filter(pk=case.pk).update(resolved_at=local(resolved, 16), status="resolved")
    return Question.objects.create(session=session, registration=registration, case=case, outcome=outcome,
                                   follow_up_owner=owner, follow_up_due=due,
                                   follow_up_note="Phòng Thuế trả lời bằng văn bản" if due else "")


@pytest.fixture
def world():
    """A branch's programme: three sessions held, one cancelled, one to come; three businesses,
    one of them at every session; questions answered, followed up (on time, late, overdue,
    within their date, closed by resolution) and withdrawn; survey answers."""
    dept = make_unit(code="02", kind="department", name_vi="Cục Hải quan TP. Hồ Chí Minh")
    branch = make_unit(code="02F3", parent=dept, name_vi="Chi cục Hải quan Khu Công nghệ cao")
    other = make_unit(code="02XE", parent=dept, name_vi="Chi cục Hải quan Khu chế xuất Tân Thuận")
    leader = make_user("leader", unit=branch)
    users = {
        "leader": leader, "officer": make_user("officer", unit=branch), "coordinator": make_user("coordinator"),
        "dept_officer": make_user("officer", unit=dept), "host": make_user("officer", unit=other),
        "other_officer": make_user("officer", unit=other), "other_leader": make_user("leader", unit=other),
        "party": make_user("party"), "admin": make_user("admin"), "operator": make_user("operator"),
    }
    firms = [make_enterprise(name=name) for name in (
        "Công ty TNHH Điện tử Thử nghiệm Một", "Công ty TNHH Linh kiện Thử nghiệm Hai", "Công ty CP Bán dẫn Thử nghiệm Ba")]
    people = [make_user("business", enterprise=firm) for firm in firms]
    users["business"] = people[0]
    programme = Programme.objects.create(
        unit=branch, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
        starts_on=date(2020, 1, 1), start_time=time(7, 30), end_time=time(9, 0), venue="Hội trường Chi cục",
        capacity=10, created_by=leader)
    programme.hosts.add(users["host"])
    s1 = add_session(programme, 1, date(2020, 3, 6))
    s2 = add_session(programme, 2, date(2020, 5, 8))
    s3 = add_session(programme, 3, date(2020, 6, 5))
    cancelled = add_session(programme, 4, date(2020, 4, 3), Session.Status.CANCELLED,
                            reason="Tạm dừng theo Chỉ thị 16/CT-TTg về giãn cách xã hội")
    add_session(programme, 5, date(2020, 7, 3), Session.Status.SCHEDULED)
    a1, b1 = register(s1, firms[0], people[0], people=3), register(s1, firms[1], people[1])
    a2 = register(s2, firms[0], people[0])
    register(s2, firms[2], people[2], checked_in=False)                       # came on the list, not in the room
    register(s2, firms[1], people[1], status=Registration.Status.WAITING, checked_in=False)
    a3, c3 = register(s3, firms[0], people[0], people=1), register(s3, firms[2], people[2])
    register(s3, firms[1], people[1], status=Registration.Status.CANCELLED, checked_in=False)
    officer = users["officer"]
    ask(s1, a1, outcome=Question.Outcome.ANSWERED, closed=date(2020, 3, 6))
    ask(s1, b1, outcome=Question.Outcome.FOLLOW_UP, owner=officer, due=date(2020, 3, 20), closed=date(2020, 3, 20))
    ask(s1, b1, outcome=Question.Outcome.FOLLOW_UP, owner=officer, due=date(2020, 3, 20), closed=date(2020, 3, 23))
    ask(s2, a2, outcome=Question.Outcome.ANSWERED, closed=date(2020, 5, 8))
    ask(s2, a2, outcome=Question.Outcome.FOLLOW_UP, owner=officer, due=date(2020, 5, 29))           # overdue
    ask(s2, a2, outcome=Question.Outcome.WITHDRAWN)
    ask(s3, a3, outcome=Question.Outcome.ANSWERED, closed=date(2020, 6, 5))
    ask(s3, c3, outcome=Question.Outcome.ANSWERED, closed=date(2020, 6, 5))
    ask(s3, c3, outcome=Question.Outcome.FOLLOW_UP, owner=leader, due=date(2020, 6, 26))           # within its date
    ask(s3, c3, outcome=Question.Outcome.FOLLOW_UP, owner=leader, due=date(2020, 6, 19), resolved=date(2020, 6, 12))
    ask(s3, c3)                                                                                     # not discussed
    for registration, satisfaction, usefulness in ((a1, 5, 4), (b1, 4, 4), (a2, 3, 2), (c3, 5, 5)):
        SurveyResponse.objects.create(session=registration.session, registration=registration,
                                      satisfaction=satisfaction, usefulness=usefulness,
                                      submitted_at=registration.session.ends_at + timedelta(hours=3))
    return {"programme": programme, "sessions": [s1, s2, s3], "cancelled": cancelled, "users": users,
            "branch": branch, "firms": firms}


def recount(session: Session, today: date) -> dict:
    """The figures of one session counted one record at a time, from their definitions."""
    registrations = list(session.registrations.all())
    attended = [r for r in registrations if r.checked_in_at]
    earlier = set(Registration.objects.filter(
        session__programme=session.programme, session__status=Session.Status.HELD,
        session__starts_at__lt=session.starts_at, checked_in_at__isnull=False).values_list("enterprise_id", flat=True))
    questions = [q for q in session.questions.select_related("case") if q.outcome != Question.Outcome.WITHDRAWN]
    follow_ups = [q for q in questions if q.outcome == Question.Outcome.FOLLOW_UP]

    def closed_on(q):
        moment = q.case.answered_at or q.case.resolved_at
        return moment and timezone.localtime(moment, TIMEZONE).date()

    answers = list(session.survey_responses.all())
    return {
        "confirmed": sum(r.status == "confirmed" for r in registrations),
        "waiting": sum(r.status == "waiting" for r in registrations),
        "attended": len(attended), "new": sum(r.enterprise_id not in earlier for r in attended),
        "people": sum(r.attendees.count() for r in attended),
        "questions": len(questions), "answered": sum(q.outcome == "answered" for q in questions),
        "follow_ups": len(follow_ups),
        "on_time": sum(bool(closed_on(q)) and closed_on(q) <= q.follow_up_due for q in follow_ups),
        "late": sum(bool(closed_on(q)) and closed_on(q) > q.follow_up_due for q in follow_ups),
        "overdue": sum(not closed_on(q) and q.follow_up_due < today for q in follow_ups),
        "responses": len(answers), "satisfaction_total": sum(a.satisfaction for a in answers),
        "usefulness_total": sum(a.usefulness for a in answers),
    }


# --- the figures -----------------------------------------------------------------------------------

def test_the_figures_of_each_session_held_equal_a_recount(world):
    figures = dashboard.programme_figures(programme=world["programme"], today=TODAY)
    assert [f.session for f in figures] == world["sessions"]  # held only, in order of time
    for f in figures:
        assert {name: getattr(f, name) for name in dashboard.Figures.COUNTS} == recount(f.session, TODAY)


def test_it_counts_new_and_returning_businesses_and_the_shares(world):
    s1, s2, s3 = dashboard.programme_figures(programme=world["programme"], today=TODAY)
    assert (s1.attended, s1.new, s1.returning, s1.people) == (2, 2, 0, 5)
    assert (s2.attended, s2.new, s2.returning, s2.confirmed, s2.waiting) == (1, 0, 1, 2, 1)
    assert (s3.attended, s3.new, s3.returning) == (2, 1, 1)
    assert (s1.questions, s1.answered, s1.answered_share) == (3, 1, pytest.approx(1 / 3))
    assert (s2.questions, s2.pending) == (2, 0)  # the withdrawn question is not counted
    assert (s1.on_time, s1.late, s1.overdue, s1.on_time_share) == (1, 1, 0, 0.5)
    assert (s2.overdue, s2.on_time_share) == (1, 0.0)
    # One follow-up closed by resolution on time, one still within its date (not yet judged).
    assert (s3.follow_ups, s3.on_time, s3.open_in_time, s3.on_time_share, s3.pending) == (2, 1, 1, 1.0, 1)
    assert (s1.satisfaction, s1.usefulness, s3.satisfaction) == (4.5, 4.0, 5.0)


def test_the_summary_adds_the_sessions_up_and_counts_each_business_once(world):
    sessions = dashboard.programme_figures(programme=world["programme"], today=TODAY)
    summary = dashboard.programme_summary(programme=world["programme"], sessions=sessions)
    assert (summary.held, summary.cancelled, summary.scheduled) == (3, 1, 1)
    assert summary.businesses == 3 and summary.attended == 5
    assert summary.questions == 3 + 2 + 5 and summary.answered == 4
    # Mean over the answers (4+3+5+5 over 4 answers... of satisfaction), not over the sessions' means.
    assert summary.satisfaction == pytest.approx((5 + 4 + 3 + 5) / 4)


def test_the_department_view_gives_each_programme_the_same_totals(world):
    other = Programme.objects.create(
        unit=make_unit(code="02CI"), name="Đối thoại doanh nghiệp cảng biển", rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts_on=date(2020, 1, 1), start_time=time(8), end_time=time(10), venue="Phòng họp", capacity=5,
        created_by=world["users"]["leader"])
    rows = {row.programme: row for row in dashboard.department_figures(today=TODAY)}
    sessions = dashboard.programme_figures(programme=world["programme"], today=TODAY)
    summary = dashboard.programme_summary(programme=world["programme"], sessions=sessions)
    mine = rows[world["programme"]]
    assert {n: getattr(mine, n) for n in dashboard.Figures.COUNTS} == {n: getattr(summary, n) for n in dashboard.Figures.COUNTS}
    assert (mine.held, mine.cancelled, mine.scheduled) == (3, 1, 1)
    assert rows[other].held == 0 and rows[other].questions == 0


def test_it_reads_in_the_same_few_queries_however_many_sessions(world):
    programme = world["programme"]
    with CaptureQueriesContext(connection) as few:
        dashboard.programme_figures(programme=programme, today=TODAY)
    firm = world["firms"][0]
    by = world["users"]["business"]
    for number in range(6, 12):
        session = add_session(programme, number, date(2020, 8, 1) + timedelta(weeks=number))
        registration = register(session, firm, by)
        ask(session, registration, outcome=Question.Outcome.ANSWERED, closed=session.starts_at.date())
    with CaptureQueriesContext(connection) as many:
        figures = dashboard.programme_figures(programme=programme, today=TODAY)
    assert len(figures) == 9
    assert len(many.captured_queries) == len(few.captured_queries) <= 5


# --- the page ------------------------------------------------------------------------------------

def _chart_columns(html: str, key: str) -> list[tuple[str, int, dict[int, int]]]:
    figure = html[html.index(f'id="chart-{key}"'):]
    figure = figure[:figure.index("</figure>")]
    found = []
    for label, total, body in re.findall(r'<g class="column" data-label="([^"]*)" data-total="(\d+)">(.*?)</g>',
                                         figure, flags=re.S):
        parts = {int(s): int(v) for s, v in re.findall(r'data-series="(\d+)" data-value="(\d+)"', body)}
        found.append((label, int(total), parts))
    return found


def _table(html: str, key: str) -> list[list[str]]:
    table = html[html.index(f'data-chart="{key}"'):]
    table = table[:table.index("</table>")]
    body = table[table.index("<tbody>"):]
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_each_chart_draws_the_numbers_of_the_table_behind_it(client, world):
    client.force_login(world["users"]["leader"])
    response = client.get(reverse("dialogue:dashboard", args=[world["programme"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for key, parts in (("businesses", 2), ("questions", 3), ("follow-ups", 4)):
        columns, rows = _chart_columns(html, key), _table(html, key)
        assert len(columns) == len(rows) == 3
        for (label, total, drawn), row in zip(columns, rows):
            number, day, *cells = row
            assert label == day[:5]  # dd/mm
            assert [drawn.get(i, 0) for i in range(parts)] == [int(c) for c in cells[:parts]]
            assert total == int(cells[parts]) == sum(drawn.values())
    survey = html[html.index('id="chart-survey"'):]
    survey = survey[:survey.index("</figure>")]
    rows = _table(html, "survey")
    for series in (0, 1):
        block = re.search(rf'<g class="series" data-series="{series}">(.*?)</g>', survey, flags=re.S).group(1)
        drawn = dict(re.findall(r'data-label="([^"]*)" data-value="([\d.]+)"', block))
        table = {row[1][:5]: row[2 + series].replace(",", ".") for row in rows if row[2 + series] != "–"}
        assert drawn == table and len(drawn) == 3


def test_the_page_says_the_totals_and_the_cancelled_session_with_its_reason(client, world):
    officer = world["users"]["officer"]
    officer.language = "en"  # the user's own language wins over Accept-Language
    officer.save(update_fields=["language"])
    client.force_login(officer)
    response = client.get(reverse("dialogue:dashboard", args=[world["programme"].pk]))
    html = unescape(response.content.decode())
    assert "3 sessions held, 1 cancelled, 1 to come." in html
    assert "Chỉ thị 16/CT-TTg" in html
    summary = html[html.index('id="summary"'):html.index("</dl>")]
    assert re.search(r"Questions raised</dt><dd>10<", summary)
    assert "4 (40 %)" in summary


def test_the_workbook_holds_the_figures_and_the_follow_ups(client, world):
    client.force_login(world["users"]["coordinator"])
    response = client.get(reverse("dialogue:dashboard_xlsx", args=[world["programme"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == dashboard.XLSX and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sessions, follow_ups = book.worksheets
    rows = [row for row in sessions.iter_rows(min_row=5, values_only=True)]
    figures = dashboard.programme_figures(programme=world["programme"])
    assert [row[0] for row in rows] == [f.session.number for f in figures]
    for row, f in zip(rows, figures):
        assert row[2:11] == (f.confirmed, f.waiting, f.attended, f.new, f.returning, f.people, f.questions,
                             f.answered, f.follow_ups)
    listed = [row for row in follow_ups.iter_rows(min_row=2, values_only=True)]
    assert len(listed) == Question.objects.filter(outcome="follow_up").count() == 5
    assert {row[2] for row in listed} == set(Question.objects.filter(outcome="follow_up").values_list("case__reference", flat=True))


def test_the_page_of_a_programme_that_held_nothing_says_so(client, world):
    empty = Programme.objects.create(
        unit=world["branch"], name="Đối thoại chuyên đề", rrule="FREQ=MONTHLY;BYDAY=3WE", starts_on=date(2020, 1, 1),
        start_time=time(8), end_time=time(10), venue="Phòng họp", capacity=5, created_by=world["users"]["leader"])
    leader = world["users"]["leader"]
    leader.language = "en"
    leader.save(update_fields=["language"])
    client.force_login(leader)
    response = client.get(reverse("dialogue:dashboard", args=[empty.pk]))
    assert response.status_code == 200
    assert "The programme has held no session yet." in response.content.decode()


# --- who may see it --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["leader", "officer", "coordinator", "host", "dept_officer"])
def test_those_who_run_the_sessions_may_see_it(client, world, name):
    client.force_login(world["users"][name])
    for view in ("dialogue:dashboard", "dialogue:dashboard_xlsx"):
        assert client.get(reverse(view, args=[world["programme"].pk])).status_code == 200


@pytest.mark.parametrize("name", ["business", "operator", "party", "admin", "other_officer", "other_leader"])
def test_it_refuses_everyone_else(client, world, name):
    client.force_login(world["users"][name])
    for view in ("dialogue:dashboard", "dialogue:dashboard_xlsx"):
        assert client.get(reverse(view, args=[world["programme"].pk])).status_code == 403


def test_it_sends_an_anonymous_visitor_to_log_in(client, world):
    response = client.get(reverse("dialogue:dashboard", args=[world["programme"].pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_rejects_post_and_an_unknown_programme(client, world):
    client.force_login(world["users"]["coordinator"])
    assert client.post(reverse("dialogue:dashboard", args=[world["programme"].pk])).status_code == 405
    assert client.get(reverse("dialogue:dashboard", args=[99999])).status_code == 404


# --- the department view -------------------------------------------------------------------------

def test_the_department_view_shows_each_programme_with_its_totals(client, world):
    client.force_login(world["users"]["coordinator"])
    response = client.get(reverse("dialogue:department_dashboard"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    rows = _table_rows(html, "programmes")
    assert len(rows) == 1
    unit, name, held, cancelled, businesses, questions, answered, follow_ups, on_time, overdue, *_survey = rows[0]
    assert (unit, name, held, cancelled, businesses, questions) == ("02F3", "Cà phê sáng cùng doanh nghiệp", "3", "1", "3", "10")
    # Seen today, the follow-up that was within its date in June 2020 is past it: 2 of 5 closed on time.
    assert (answered, follow_ups, on_time, overdue) == ("40 %", "5", "40 %", "2")


@pytest.mark.parametrize("name", ["leader", "officer", "host", "business", "admin"])
def test_the_department_view_is_for_coordinators(client, world, name):
    client.force_login(world["users"][name])
    assert client.get(reverse("dialogue:department_dashboard")).status_code == 403


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = html[html.index(f'id="{table_id}"'):]
    body = table[table.index("<tbody>"):table.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]
