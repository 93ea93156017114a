"""The weekly summary e-mail: on Monday from 07:00, each unit leader gets the last ISO week's
figures of their units and the references of their overdue cases; the department's leaders and
coordinators get the department's figures and the units with most overdue cases; once a week
per recipient, in each recipient's language."""

from datetime import date

import pytest
from django.core import mail
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.cases import services as cases
from ketnoi.org.models import Unit
from ketnoi.reports.models import WeeklySummary
from ketnoi.reports import weekly
from ketnoi.reports.weekly import last_week, send_weekly, summaries, weekly_tick
from ketnoi.testing import Clock, at, make_enterprise, make_unit, make_user, race, seed_reference_data

MONDAY = (2026, 3, 9)  # the week summarised: Monday 02/03 – Sunday 08/03/2026


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 1, 5, 8))


def _file(w, clock, moment, unit, subject):
    clock.set(*moment)
    business = w.business[unit.pk]
    return cases.case_file(enterprise=business.role_assignments.get().enterprise, by=business, topic="thu-tuc",
                           named_unit=unit, subject=subject, description="Xin hướng dẫn thủ tục.")


def build_world(clock):
    """The department with two branches (the High-Tech Park with a team under it, Cát Lái); their
    leaders (the park's deputy reads English), the department's leader and a coordinator (who
    reads English); in the week 02–08/03/2026 the park received three cases and answered two,
    Cát Lái received one; overdue on Monday 09/03: two of the park's (one at its team) and one of
    Cát Lái's."""
    seed_reference_data()
    w = type("World", (), {})()
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department", valid_from=date(2000, 1, 1))
    w.park = make_unit(code="02F3", parent=w.department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                       name_en="High-Tech Park Customs Branch", valid_from=date(2000, 1, 1))
    w.team = make_unit(kind=Unit.Kind.TEAM, parent=w.park, code="", name_vi="Đội Nghiệp vụ Khu Công nghệ cao",
                       name_en="High-Tech Park Operations Team", valid_from=date(2000, 1, 1))
    w.cat_lai = make_unit(code="02CX", parent=w.department, name_vi="Chi cục Hải quan cửa khẩu cảng Cát Lái",
                          name_en="Cat Lai Port Customs Branch", valid_from=date(2000, 1, 1))
    w.park_leader = make_user(Role.LEADER, unit=w.park, full_name="Lâm Ngọc Bích")
    w.park_deputy = make_user(Role.LEADER, unit=w.park, full_name="Trịnh Văn Hậu", language="en")
    w.cat_lai_leader = make_user(Role.LEADER, unit=w.cat_lai, full_name="Quan Thị Thúy", language="en")
    w.department_leader = make_user(Role.LEADER, unit=w.department, full_name="Mai Xuân Trường")
    w.coordinator = make_user(Role.COORDINATOR, full_name="Kha Thị Hồng Vân", language="en")
    w.officer = make_user(Role.OFFICER, unit=w.park, full_name="Diệp Văn Nhân")
    w.business = {unit.pk: make_user(Role.BUSINESS, enterprise=make_enterprise(home_unit=unit))
                  for unit in (w.park, w.team, w.cat_lai)}
    # Overdue by Monday 09/03 (ten working days from mid-January).
    w.park_late = _file(w, clock, (2026, 1, 12, 9), w.park, "Hoàn thuế linh kiện nhập khẩu")
    w.team_late = _file(w, clock, (2026, 1, 13, 9), w.team, "Thanh lý máy móc tạm nhập")
    w.cat_lai_late = _file(w, clock, (2026, 1, 14, 9), w.cat_lai, "Kiểm tra chuyên ngành thực phẩm")
    # The week summarised.
    for n, day in enumerate((2, 3, 4)):
        case = _file(w, clock, (2026, 3, day, 9), w.park, f"Thủ tục gia công số {n + 1}")
        if n < 2:
            clock.set(2026, 3, 5, 10 + n)
            cases.case_answer(case=case, body="Chi cục trả lời Công ty như sau: …", by=w.park_leader)
    _file(w, clock, (2026, 3, 6, 9), w.cat_lai, "Xuất xứ hàng hóa")
    assert w.team_late.unit == w.team
    clock.set(*MONDAY, 7, 30)
    return w


@pytest.fixture
def w(db, clock):
    return build_world(clock)


def mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def the_mail_to(user):
    [message] = mails_to(user)
    return message, message.body, message.alternatives[0][0]


def test_the_week_summarised_is_the_iso_week_before_today():
    assert last_week(date(2026, 3, 9)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert last_week(date(2026, 3, 15)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert last_week(date(2021, 1, 4)) == (date(2020, 12, 28), date(2021, 1, 3))


def test_it_sends_each_unit_leader_one_email_with_their_units_figures_and_overdue_cases(w, clock, commit):
    with commit():
        sent = weekly_tick()
    assert sent == 5  # two park leaders, Cát Lái's, the department's leader, the coordinator
    _message, text, html = the_mail_to(w.park_deputy)  # who reads English (the labels' msgids)
    assert "High-Tech Park Customs Branch" in text
    # Received 3 (the team's is not of that week), answered 2, both on time; 2 overdue now, of 5 open.
    assert "- Cases received: 3" in text
    assert "- Answered: 2, of which on time: 2 (100.0 %)" in text
    assert "- Open now: 3; overdue now: 2" in text
    for late in (w.park_late, w.team_late):
        link = settings.KETNOI_BASE_URL + reverse("cases:detail", args=[late.reference])
        assert f"{late.reference} – {late.subject}" in text and link in text
        assert f'href="{link}"' in html
    assert settings.KETNOI_BASE_URL + reverse("reports:unit", args=[w.park.pk]) in text


def test_the_leader_of_another_unit_is_not_told_of_this_units_cases(w, clock, commit):
    with commit():
        weekly_tick()
    _message, text, html = the_mail_to(w.cat_lai_leader)
    assert w.cat_lai_late.reference in text
    for other in (w.park_late, w.team_late):
        assert other.reference not in text and other.reference not in html
        assert other.subject not in text
    assert "High-Tech Park" not in text
    assert "- Cases received: 1" in text and "- Open now: 2; overdue now: 1" in text


def test_the_departments_leaders_and_coordinators_get_the_department_and_the_units_most_overdue(w, clock, commit):
    with commit():
        weekly_tick()
    _message, text, _html = the_mail_to(w.coordinator)
    assert "- Cases received: 4" in text and "- Open now: 5; overdue now: 3" in text
    # The park first (two overdue, its team's counted with it), then Cát Lái; no case named.
    park = text.index("- High-Tech Park Customs Branch: 2 overdue (3 open)")
    assert text.index("- Cat Lai Port Customs Branch: 1 overdue (2 open)") > park
    assert "Operations Team" not in text
    for late in (w.park_late, w.team_late, w.cat_lai_late):
        assert late.reference not in text
    # The department's leader gets the same section, and no unit's of their own.
    _message, text_vi, _html = the_mail_to(w.department_leader)
    assert "Chi cục Hải quan cửa khẩu cảng Cát Lái" in text_vi and w.cat_lai_late.reference not in text_vi


def test_the_language_follows_the_recipient(w, clock, commit):
    with commit():
        weekly_tick()
    english, text_en, _ = the_mail_to(w.park_deputy)
    vietnamese, text_vi, _ = the_mail_to(w.park_leader)
    assert english.extra_headers["Content-Language"] == "en"
    assert vietnamese.extra_headers["Content-Language"] == "vi"
    assert "High-Tech Park Customs Branch" in text_en and "Chi cục Hải quan Khu Công nghệ cao" not in text_en
    assert "Chi cục Hải quan Khu Công nghệ cao" in text_vi and "High-Tech Park Customs Branch" not in text_vi
    # Decimals the recipient's way.
    assert "(100.0 %)" in text_en and "(100,0 %)" in text_vi
    assert "Weekly summary of cases, 02/03–08/03/2026" == english.subject


def test_a_second_tick_the_same_week_sends_none_and_the_next_monday_sends_again(w, clock, commit):
    with commit():
        assert weekly_tick() == 5
    clock.set(*MONDAY, 9, 15)
    with commit():
        assert weekly_tick() == 0
    assert len(mails_to(w.park_leader)) == 1
    assert WeeklySummary.objects.filter(user=w.park_leader, week_start=date(2026, 3, 2)).count() == 1
    clock.set(2026, 3, 16, 7, 5)
    with commit():
        assert weekly_tick() == 5
    assert len(mails_to(w.park_leader)) == 2


def test_it_sends_nothing_before_monday_seven_nor_on_another_day(w, clock, commit):
    for moment in ((*MONDAY, 6, 59), (2026, 3, 10, 9), (2026, 3, 8, 20)):
        clock.set(*moment)
        with commit():
            assert weekly_tick() == 0
    assert mail.outbox == [] and not WeeklySummary.objects.exists()


def test_a_summary_claimed_by_another_tick_meanwhile_is_not_sent_again(w, clock, commit, monkeypatch):
    # This tick read who was pending; then another one claimed the park leader's summary.
    pending = summaries()
    WeeklySummary.objects.create(user=w.park_leader, week_start=date(2026, 3, 2))
    monkeypatch.setattr(weekly, "summaries", lambda **kw: pending)
    with commit():
        assert send_weekly() == 4
    assert mails_to(w.park_leader) == [] and len(mails_to(w.park_deputy)) == 1


def test_the_command_sends_now_and_its_dry_run_sends_nothing(w, clock, commit, capsys):
    clock.set(2026, 3, 11, 15)  # a Wednesday: the tick would not send
    with translation.override("en"):  # the command's own lines, read here in English
        call_command("report", "weekly", "--dry-run")
    out = capsys.readouterr().out
    assert mail.outbox == [] and not WeeklySummary.objects.exists()
    assert w.park_leader.username in out and "5 summaries of the week from 02/03/2026 would be sent" in out
    with commit(), translation.override("en"):
        call_command("report", "weekly")
    assert len(mails_to(w.park_leader)) == 1
    assert "5 summaries of the week from 02/03/2026 sent." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_the_same_moment_send_each_summary_once(clock):
    w = build_world(clock)
    mail.outbox = []  # the cases' own e-mails
    results, errors = race(weekly_tick, weekly_tick)
    assert errors == [None, None]
    assert sum(results) == 5
    assert WeeklySummary.objects.count() == 5
    assert len(mails_to(w.park_leader)) == 1
