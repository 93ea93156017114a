from datetime import date

from django.utils import timezone

from ketnoi.dialogue import selectors
from ketnoi.testing import at

from .service_helpers import clock, make_programme, w  # noqa: F401


def _days(sessions):
    return [timezone.localtime(s.starts_at).date() for s in sessions]


def test_upcoming_sessions_are_those_still_to_end_in_order_with_counts(w, clock):
    make_programme(w)
    clock.set(2026, 3, 6, 8)  # during the first session
    sessions = list(selectors.upcoming_sessions())
    assert _days(sessions)[:2] == [date(2026, 3, 6), date(2026, 4, 3)]
    assert sessions[0].confirmed_count == 0 and sessions[0].waiting_count == 0


def test_upcoming_sessions_filter_by_unit_topic_and_period(w):
    make_programme(w)
    make_programme(w, by=w.coordinator, unit=w.other_branch, rrule="FREQ=MONTHLY;BYDAY=2WE", topics=["xuat-xu"],
                   hosts=[])
    assert len(selectors.upcoming_sessions()) == 12
    assert {s.programme.unit for s in selectors.upcoming_sessions(unit=w.branch)} == {w.branch}
    assert len(selectors.upcoming_sessions(unit=w.department)) == 12  # the units below
    assert {s.programme.unit for s in selectors.upcoming_sessions(topic="xuat-xu")} == {w.other_branch}
    assert len(selectors.upcoming_sessions(topic="thu-tuc")) == 6  # a topic shared by… one programme, once each
    assert selectors.upcoming_sessions(topic="khong-co").count() == 0
    april = selectors.upcoming_sessions(start=at(2026, 4, 1), end=at(2026, 5, 1))
    assert _days(april) == [date(2026, 4, 3), date(2026, 4, 8)]


def test_programmes_of_a_unit_and_below(w):
    programme = make_programme(w)
    other = make_programme(w, by=w.coordinator, unit=w.other_branch, hosts=[])
    assert list(selectors.programmes(unit=w.branch)) == [programme]
    assert set(selectors.programmes(unit=w.department)) == {programme, other}
    assert list(selectors.programme_sessions(programme).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
