"""The case figures of the dashboards, on cases filed and handled through the real services."""

from datetime import date

import pytest

from ketnoi.cases import services
from ketnoi.cases.tests.core_helpers import Clock, at, build_world, file_case
from ketnoi.reports.selectors import case_figures, case_figures_recount


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))  # Monday 09/03/2026 09:00


def test_it_counts_a_received_and_answered_case(w, clock):
    case = file_case(w)
    clock.advance(days=1)
    services.case_answer(case=case, body="Doanh nghiệp nộp bổ sung hồ sơ theo Điều 16.", by=w.leader)
    figures = case_figures(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert (figures.received, figures.answered, figures.answered_on_time) == (1, 1, 1)
    assert figures.median_answer_workdays == 1
    assert figures == case_figures_recount(start=date(2026, 3, 1), end=date(2026, 3, 31))
