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


def test_counts_and_registrations_in_the_order_staff_read_them(w):
    from ketnoi.dialogue import services

    from .service_helpers import register

    session = make_programme(w, capacity=1).sessions.get(number=1)
    first = register(w, session)
    second = register(w, session, enterprise=w.enterprise2)
    third = register(w, session, enterprise=w.enterprise3)
    services.registration_cancel(registration=second, by=w.business2)
    [counted] = [s for s in selectors.upcoming_sessions() if s.pk == session.pk]
    assert (counted.confirmed_count, counted.waiting_count) == (1, 1)
    assert selectors.programme_sessions(session.programme).get(pk=session.pk).confirmed_count == 1
    assert [r.pk for r in selectors.session_registrations(session)] == [first.pk, third.pk, second.pk]
    assert [r.session_id for r in selectors.enterprise_registrations(w.enterprise2)] == [session.pk]
    assert selectors.waiting_position(third) == 1 and selectors.waiting_position(first) is None


def test_a_held_session_leaves_the_calendar(w, clock):
    from ketnoi.dialogue import services

    session = make_programme(w).sessions.get(number=1)
    clock.set(2026, 3, 6, 8)
    services.session_close(session=session, by=w.leader)
    assert session.pk not in [s.pk for s in selectors.upcoming_sessions()]


def test_a_cancelled_session_stays_on_the_calendar_marked_so(w):
    from ketnoi.dialogue import services

    session = make_programme(w).sessions.get(number=1)
    services.session_cancel(session=session, by=w.leader, reason="Nghỉ đột xuất.")
    assert selectors.upcoming_sessions()[0].status == "cancelled"
