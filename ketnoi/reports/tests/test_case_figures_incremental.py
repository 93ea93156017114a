"""The sums behind the case figures are kept up to date case by case (reports_refresh): they must
always give what a recount from the cases table gives, refreshing twice must count once, and two
refreshes at once (two app servers, the tick) must count each change once."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.cases import services
from ketnoi.cases.models import Case, Status
from ketnoi.cases.tests.core_helpers import Clock, at, build_world, file_case
from ketnoi.reports.models import AnswerTime, CaseCount, CaseFact, TopicCount
from ketnoi.reports.selectors import case_figures, case_figures_recount
from ketnoi.reports.services import _FACT_FIELDS, SAFETY_MARGIN, reports_rebuild, reports_refresh
from ketnoi.testing import race

ANSWER = "Căn cứ Điều 16 Thông tư 38/2015/TT-BTC, doanh nghiệp nộp bổ sung hợp đồng mua bán."
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))


def sums() -> tuple:
    """Everything the sums hold, to compare two states of them."""
    return (sorted(CaseFact.objects.values_list(*_FACT_FIELDS)),  # not when each was folded in
            sorted(CaseCount.objects.values_list("grain", "day", "unit_key", "received", "answered",
                                                 "answered_on_time", "resolved", "rated", "rating_sum")),
            sorted(TopicCount.objects.values_list("grain", "day", "unit_key", "topic_id", "received")),
            sorted(AnswerTime.objects.values_list("grain", "day", "unit_key", "workdays", "cases")))


def test_refreshing_twice_counts_once(w, clock):
    case = file_case(w)
    clock.advance(hours=2)
    services.case_answer(case=case, body=ANSWER, by=w.leader)
    first = reports_refresh()
    before = sums()
    second = reports_refresh()
    assert (first.read, first.changed) == (1, 1)
    assert second.changed == 0 and sums() == before
    assert reports_refresh(full=True).changed == 0 and sums() == before


def test_it_reads_no_case_when_none_changed(w, clock):
    file_case(w)
    clock.advance(seconds=1)
    assert reports_refresh().read == 1
    clock.advance(minutes=1)
    assert reports_refresh().read == 0  # the cheap way: no lock taken, no case read


def test_a_change_the_figures_do_not_count_changes_no_sum(w, clock):
    case = file_case(w)
    reports_refresh()
    before = sums()
    clock.advance(minutes=5)
    services.case_message(case=case, body="Ghi chú nội bộ: chờ ý kiến Phòng Nghiệp vụ.", by=w.officer, internal=True)
    services.case_assign(case=case, assignee=w.officer, by=w.leader)
    assert reports_refresh().changed == 0 and sums() == before


def test_it_folds_in_a_change_committed_after_a_later_one(w, clock):
    """Transactions commit out of order: a case saved at 9:55 may become visible after the refresh
    that read one saved at 10:00. It is read again within the safety margin."""
    early, late = file_case(w), file_case(w)
    clock.set(2026, 3, 9, 10, 0)
    services.case_message(case=late, body="Đang xem xét hồ sơ.", by=w.leader)
    reports_refresh()
    clock.now -= min(SAFETY_MARGIN / 2, timedelta(minutes=5))
    services.case_answer(case=early, body=ANSWER, by=w.leader)  # its updated_at is before the last refresh's
    assert case_figures(**MARCH).answered == 1


def test_it_folds_in_cases_written_with_a_past_update_time(w, clock):
    """The demo generator and the benchmarks write cases in bulk with the time of their last
    event: new ids are read whatever their updated_at."""
    file_case(w)
    reports_refresh()
    clock.set(2025, 3, 3, 9)
    file_case(w)
    clock.set(2026, 3, 9, 10)
    assert case_figures(start=date(2025, 3, 1), end=date(2025, 3, 31)).received == 1


def test_a_rebuild_gives_the_sums_the_refreshes_kept(w, clock):
    case, other = file_case(w), file_case(w, named_unit=w.other_unit)
    reports_refresh()
    clock.advance(days=2)
    services.case_answer(case=case, body=ANSWER, by=w.leader)
    services.case_reassign(case=other, unit=None, reason="Chuyển Phòng Nghiệp vụ xử lý.", by=w.other_leader)
    reports_refresh()
    kept = sums()
    reports_rebuild()
    assert sums() == kept


class Journey:
    """Random steps of the cases' life through the services, as the people concerned take them."""

    def __init__(self, w, clock, seed: int):
        self.w, self.clock, self.rng = w, clock, random.Random(seed)
        self.cases: list[int] = []

    def leader_of(self, case):
        return {self.w.unit.pk: self.w.leader, self.w.other_unit.pk: self.w.other_leader}.get(
            case.unit_id, self.w.coordinator)

    def step(self) -> str:
        w, rng = self.w, self.rng
        self.clock.advance(minutes=rng.choice([0, 0, 1, 30, 240, 1440, 4320]))  # 0: the same moment twice
        if not self.cases or rng.random() < 0.3:
            unit = rng.choice([w.unit, w.unit, w.other_unit, None])
            back = timedelta(days=rng.choice([0, 0, 0, 3, 20, 40]))
            case = file_case(w, named_unit=unit, received_at=self.clock.now - back,
                             topic=rng.choice(["thu-tuc", "thue", "tri-gia"]))
            self.cases.append(case.pk)
            return "file"
        case = Case.objects.get(pk=rng.choice(self.cases))
        leader = self.leader_of(case)
        # Mostly what the case's status allows, sometimes anything (refused, it must change nothing).
        likely = {Status.ANSWERED: ["accept", "accept", "reply"], Status.RESOLVED: ["rate"],
                  Status.FORWARDED: ["tick"]}.get(case.status, ["answer", "answer", "reassign", "request_info"])
        action = rng.choice(likely if rng.random() < 0.8 else
                            ["answer", "reassign", "accept", "rate", "reply", "request_info", "tick"])
        try:
            if action == "answer":
                services.case_answer(case=case, body=ANSWER, by=leader)
            elif action == "reassign":
                unit = rng.choice([u for u in (w.unit, w.other_unit, None) if (u and u.pk) != case.unit_id])
                services.case_reassign(case=case, unit=unit, reason="Chuyển đơn vị có thẩm quyền.", by=leader)
            elif action == "accept":
                services.case_accept(case=case, by=w.business)
            elif action == "rate":
                services.case_rate(case=case, score=rng.randint(1, 5), by=w.business)
            elif action == "reply":  # reopens an answered case
                services.case_message(case=case, body="Đề nghị hướng dẫn thêm.", by=w.business)
            elif action == "request_info":
                services.case_request_info(case=case, body="Đề nghị gửi hợp đồng.", by=leader)
            else:
                services.cases_tick()
        except (ValidationError, PermissionDenied):
            return f"{action} refused"
        return action


PERIODS = [
    {"start": date(2026, 1, 1), "end": date(2026, 12, 31)},
    {"start": date(2026, 3, 1), "end": date(2026, 3, 31)},
    {"start": date(2026, 2, 11), "end": date(2026, 4, 20)},
    {"start": date(2026, 3, 16), "end": date(2026, 3, 22)},
    {"start": date(2025, 12, 20), "end": date(2027, 1, 5)},  # a whole year, and days of two months
    {"start": date(2025, 11, 1), "end": date(2026, 12, 31)},  # whole months, and a whole year
]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_maintained_figures_equal_the_recount_after_random_steps(w, clock, seed):
    journey = Journey(w, clock, seed)
    done = []
    for n in range(120):
        done.append(journey.step())
        if n % 15 == 14:
            for period in PERIODS:
                for unit_ids in (None, [w.unit.pk], [w.other_unit.pk, None]):
                    fast = case_figures(**period, unit_ids=unit_ids)
                    assert fast == case_figures_recount(**period, unit_ids=unit_ids), (n, done[-15:])
    # The steps did what they are there for.
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {Status.RESOLVED, Status.ANSWERED} & statuses and {"file", "answer", "reassign", "reply"} <= set(done)
    assert Case.objects.filter(rated_at__isnull=False).exists()
    reports_refresh()
    kept = sums()
    reports_rebuild()
    assert sums() == kept


def _race_two_refreshes():
    w = build_world()
    cases = [file_case(w, named_unit=unit) for unit in (w.unit, w.other_unit, None) for _ in range(4)]
    services.case_answer(case=cases[0], body=ANSWER, by=w.leader)
    results, errors = race(reports_refresh, reports_refresh)
    assert errors == [None, None]
    assert sorted(r.changed for r in results) == [0, len(cases)]  # one folded them in, the other found it done
    assert CaseFact.objects.count() == len(cases)
    today = timezone.localdate()
    period = {"start": today - timedelta(days=40), "end": today}
    assert case_figures(**period) == case_figures_recount(**period)
    assert case_figures(**period).received == len(cases)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_refreshes_at_once_count_once_on_postgresql(attempt):
    _race_two_refreshes()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_refreshes_at_once_count_once_on_sqlite(attempt):
    _race_two_refreshes()
