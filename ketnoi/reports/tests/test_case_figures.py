"""The case figures of the dashboards, on cases filed and handled through the real services.

Every test compares the maintained figures with the recount from the cases table as well: the
figure must be right, and both ways must agree."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from ketnoi.cases import services
from ketnoi.cases.models import Topic
from ketnoi.cases.tests.core_helpers import Clock, at, build_world, file_case
from ketnoi.lib.workdays import add_workdays, workdays_between
from ketnoi.reports.selectors import MonthFigures, case_figures, case_figures_recount, first_case_day

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
ANSWER = "Căn cứ Điều 16 Thông tư 38/2015/TT-BTC, doanh nghiệp nộp bổ sung hợp đồng mua bán."


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))  # Monday 09/03/2026 09:00


def figures(**period):
    """The maintained figures, checked against the recount."""
    fast = case_figures(**period)
    assert fast == case_figures_recount(**period)
    return fast


def answer(w, case, **fields):
    return services.case_answer(case=case, body=ANSWER, by=w.leader, **fields)


def file_on(clock, w, moment, **fields):
    clock.now = moment
    return file_case(w, **fields)


def test_it_counts_nothing_without_cases(w, clock):
    result = figures(**MARCH)
    assert (result.received, result.answered, result.resolved, result.open, result.overdue) == (0, 0, 0, 0, 0)
    assert result.on_time_rate is None and result.median_answer_workdays is None and result.satisfaction is None
    assert result.by_unit == [] and result.top_topics == []
    assert [n for _label, n in result.backlog_by_age] == [0, 0, 0, 0]


def test_it_counts_the_cases_received_in_the_period_by_local_date(w, clock):
    file_on(clock, w, at(2026, 2, 28, 23, 30))  # 16:30 UTC on 28/02: February
    file_on(clock, w, at(2026, 3, 1, 6, 0))  # 23:00 UTC on 28/02, but 01/03 in Ho Chi Minh City: March
    file_on(clock, w, at(2026, 3, 31, 23, 0))
    file_on(clock, w, at(2026, 4, 1, 0, 30))
    assert figures(**MARCH).received == 2
    assert figures(start=date(2026, 2, 1), end=date(2026, 2, 28)).received == 1
    assert figures(start=date(2026, 3, 31), end=date(2026, 4, 1)).received == 2


def test_it_gives_each_month_of_the_period_with_its_figures(w, clock):
    case = file_on(clock, w, at(2026, 1, 20, 9))
    file_on(clock, w, at(2026, 3, 10, 9))
    clock.now = at(2026, 3, 12, 10)
    answer(w, case)
    services.case_accept(case=case, by=w.business)
    result = figures(start=date(2026, 1, 15), end=date(2026, 4, 10))
    assert result.months == [
        MonthFigures(month=date(2026, 1, 1), received=1, answered=0, answered_on_time=0, resolved=0),
        MonthFigures(month=date(2026, 2, 1), received=0, answered=0, answered_on_time=0, resolved=0),
        MonthFigures(month=date(2026, 3, 1), received=1, answered=1, answered_on_time=0, resolved=1),
        MonthFigures(month=date(2026, 4, 1), received=0, answered=0, answered_on_time=0, resolved=0),
    ]


def test_it_counts_answers_on_time_and_late(w, clock):
    on_time, late = file_case(w), file_case(w, received_at=at(2026, 2, 2, 9))  # due 10 working days after
    clock.advance(hours=2)
    answer(w, on_time)
    answer(w, late)
    result = figures(**MARCH)
    assert (result.answered, result.answered_on_time, result.on_time_rate) == (2, 1, 0.5)
    assert result.received == 1  # the late one was received in February


def test_it_gives_the_exact_median_of_working_days_to_answer(w, clock):
    monday = at(2026, 3, 2, 9)
    cases = [file_on(clock, w, monday) for _ in range(4)]
    for case, workdays in zip(cases, [1, 2, 5, 9]):  # Friday 06/03 is a working day, the weekend is not
        clock.now = at(*add_workdays(date(2026, 3, 2), workdays).timetuple()[:3], 10)
        answer(w, case)
    assert figures(**MARCH).median_answer_workdays == 3.5  # (2 + 5) / 2
    clock.now = at(2026, 3, 30, 9)
    answer(w, file_case(w))  # answered the day it was received: 0 working days
    assert figures(**MARCH).median_answer_workdays == 2


def test_it_counts_resolutions_and_the_ratings_given_in_the_period(w, clock, commit):
    good, poor = file_case(w), file_case(w)
    clock.advance(days=1)
    for case in (good, poor):
        answer(w, case)
        services.case_accept(case=case, by=w.business)
    services.case_rate(case=good, score=5, by=w.business)
    services.case_rate(case=poor, score=2, by=w.business)  # reopened for the leader's review
    result = figures(**MARCH)
    assert (result.rated, result.satisfaction) == (2, 3.5)
    assert result.resolved == 1  # the poorly rated one is open again
    assert result.answered == 1 and result.open == 1


def test_it_counts_open_and_overdue_cases_now_whatever_the_period(w, clock):
    overdue = file_case(w, received_at=at(2026, 2, 2, 9))
    waiting = file_case(w, received_at=at(2026, 2, 2, 9))
    services.case_request_info(case=waiting, body="Đề nghị gửi hợp đồng mua bán.", by=w.leader)  # the clock stops
    file_case(w)  # open, not yet due
    answer(w, file_case(w))  # not open
    result = figures(start=date(2025, 1, 1), end=date(2025, 1, 31))
    assert (result.received, result.open, result.overdue) == (0, 3, 1)
    assert [(u.unit_id, u.open, u.overdue) for u in result.by_unit] == [(overdue.unit_id, 3, 1)]


def test_it_sorts_the_backlog_by_working_days_since_received(w, clock):
    for workdays in (0, 5, 6, 10, 11, 20, 21, 40):
        day = _workdays_before(date(2026, 3, 9), workdays)
        file_case(w, received_at=at(day.year, day.month, day.day, 9))
    with translation.override("en"):
        assert figures(**MARCH).backlog_by_age == [("0–5", 2), ("6–10", 2), ("11–20", 2), ("> 20", 2)]


def _workdays_before(today: date, workdays: int) -> date:
    """The earliest day with `workdays` working days between it and today."""
    day = today
    while workdays_between(day - timedelta(days=1), today) <= workdays:
        day -= timedelta(days=1)
    return day


def test_it_names_the_top_five_topics_received_in_the_active_language(w, clock):
    codes = list(Topic.objects.filter(active=True).values_list("code", flat=True)[:6])
    for rank, code in enumerate(codes):
        for _ in range(6 - rank):
            file_case(w, topic=code)
    with translation.override("en"):
        result = figures(**MARCH)
        names = {t.code: t.name_en for t in Topic.objects.filter(code__in=codes)}
    assert result.top_topics == [(names[code], 6 - rank) for rank, code in enumerate(codes[:5])]
    assert figures(**MARCH).top_topics[0][0] == Topic.objects.get(code=codes[0]).name_vi


def test_it_gives_each_unit_and_the_coordinators_queue_largest_first(w, clock):
    for _ in range(3):
        file_case(w, named_unit=w.other_unit)
    file_case(w)
    file_case(w, named_unit=None)  # not sure: the coordinators' queue
    file_case(w, named_unit=None)
    with translation.override("en"):
        result = figures(**MARCH)
    assert [(u.unit_id, u.received, u.open) for u in result.by_unit] == [
        (w.other_unit.pk, 3, 3), (None, 2, 2), (w.unit.pk, 1, 1)]
    assert result.by_unit[0].unit_name == w.other_unit.name_en
    assert result.by_unit[1].unit_name == "Department coordinators' queue"


def test_it_counts_only_the_units_asked_for(w, clock):
    mine, theirs = file_case(w), file_case(w, named_unit=w.other_unit)
    file_case(w, named_unit=None)
    clock.advance(days=1)
    answer(w, mine)
    services.case_answer(case=theirs, body=ANSWER, by=w.other_leader)
    result = figures(**MARCH, unit_ids=[w.unit.pk])
    assert (result.received, result.answered, result.open) == (1, 1, 0)
    assert [u.unit_id for u in result.by_unit] == [w.unit.pk]
    both = figures(**MARCH, unit_ids=[w.unit.pk, None])
    assert (both.received, both.open) == (2, 1)
    assert figures(**MARCH, unit_ids=[]).received == 0


def test_a_case_moved_to_another_unit_moves_its_figures(w, clock):
    case = file_case(w)
    figures(**MARCH)  # folded in with its first unit
    services.case_reassign(case=case, unit=w.other_unit, reason="Thuộc thẩm quyền Chi cục khác.", by=w.leader)
    assert figures(**MARCH, unit_ids=[w.unit.pk]).received == 0
    moved = figures(**MARCH, unit_ids=[w.other_unit.pk])
    assert (moved.received, moved.open) == (1, 1)


def test_a_reopened_case_is_no_longer_counted_as_answered(w, clock):
    case = file_case(w)
    clock.advance(hours=3)
    answer(w, case)
    assert figures(**MARCH).answered == 1
    services.case_message(case=case, body="Câu trả lời chưa rõ, đề nghị hướng dẫn thêm.", by=w.business)
    result = figures(**MARCH)
    assert (result.answered, result.open, result.median_answer_workdays) == (0, 1, None)


def test_it_tells_where_all_time_starts(w, clock):
    assert first_case_day() is None
    file_on(clock, w, at(2026, 3, 2, 8))
    file_on(clock, w, at(2025, 12, 31, 9))
    assert first_case_day() == date(2025, 12, 31)


def test_it_refuses_a_period_that_ends_before_it_starts(w):
    with pytest.raises(ValueError):
        case_figures(start=date(2026, 3, 2), end=date(2026, 3, 1))
