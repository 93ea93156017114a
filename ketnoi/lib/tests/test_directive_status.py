from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ketnoi.lib.directive_status import (
    LATE, LATE_STATES, NOT_REQUIRED, ON_TIME, OVERDUE, PENDING, ack_due, acknowledgement, changes, report,
)

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUED = datetime(2020, 3, 27, 16, 45, tzinfo=HCMC)  # a Friday afternoon
SECOND = timedelta(seconds=1)


# --- ack_due ---------------------------------------------------------------------------------

def test_the_deadline_is_calendar_hours_after_issue():
    assert ack_due(ISSUED, 2) == datetime(2020, 3, 27, 18, 45, tzinfo=HCMC)
    assert ack_due(ISSUED, 24) == datetime(2020, 3, 28, 16, 45, tzinfo=HCMC)  # Saturday: a crisis has no weekend
    assert ack_due(ISSUED, 720) == ISSUED + timedelta(days=30)


def test_no_hours_means_no_deadline():
    assert ack_due(ISSUED, None) is None


def test_the_deadline_keeps_the_time_zone_of_the_issue():
    assert ack_due(ISSUED, 8).utcoffset() == timedelta(hours=7)
    utc = ISSUED.astimezone(ZoneInfo("UTC"))
    assert ack_due(utc, 8) == ack_due(ISSUED, 8)


# --- acknowledgement -------------------------------------------------------------------------

DUE = ack_due(ISSUED, 4)


@pytest.mark.parametrize("acknowledged_at, now, expected", [
    (None, ISSUED, PENDING),
    (None, DUE - SECOND, PENDING),
    (None, DUE, PENDING),              # exactly at the deadline is still in time
    (None, DUE + SECOND, OVERDUE),
    (None, DUE + timedelta(days=40), OVERDUE),
    (ISSUED + SECOND, DUE + timedelta(days=1), ON_TIME),
    (DUE - SECOND, DUE, ON_TIME),
    (DUE, DUE + timedelta(hours=1), ON_TIME),  # acknowledged exactly at the deadline: on time
    (DUE + SECOND, DUE + SECOND, LATE),
    (DUE + timedelta(days=3), DUE + timedelta(days=3), LATE),
])
def test_acknowledgement_at_the_boundaries(acknowledged_at, now, expected):
    assert acknowledgement(due_at=DUE, acknowledged_at=acknowledged_at, now=now) == expected


def test_an_acknowledgement_once_given_does_not_depend_on_now():
    for now in (ISSUED, DUE, DUE + timedelta(days=9)):
        assert acknowledgement(due_at=DUE, acknowledged_at=DUE - SECOND, now=now) == ON_TIME
        assert acknowledgement(due_at=DUE, acknowledged_at=DUE + SECOND, now=now) == LATE


def test_without_a_deadline_nothing_is_late():
    assert acknowledgement(due_at=None, acknowledged_at=None, now=ISSUED + timedelta(days=365)) == NOT_REQUIRED
    # A unit may still acknowledge a directive that did not ask for it.
    assert acknowledgement(due_at=None, acknowledged_at=ISSUED + timedelta(days=9), now=ISSUED) == ON_TIME


def test_moments_in_other_time_zones_compare_as_instants():
    utc = ZoneInfo("UTC")
    assert acknowledgement(due_at=DUE, acknowledged_at=DUE.astimezone(utc), now=DUE) == ON_TIME
    assert acknowledgement(due_at=DUE, acknowledged_at=None, now=(DUE + SECOND).astimezone(utc)) == OVERDUE


# --- report ------------------------------------------------------------------------------------

REPORT_DUE = date(2020, 4, 3)
ONE_DAY = timedelta(days=1)


@pytest.mark.parametrize("reported_on, today, expected", [
    (None, REPORT_DUE - ONE_DAY, PENDING),
    (None, REPORT_DUE, PENDING),           # due by the end of its day
    (None, REPORT_DUE + ONE_DAY, OVERDUE),
    (REPORT_DUE - ONE_DAY, REPORT_DUE + ONE_DAY * 10, ON_TIME),
    (REPORT_DUE, REPORT_DUE + ONE_DAY, ON_TIME),  # on the day itself: on time
    (REPORT_DUE + ONE_DAY, REPORT_DUE + ONE_DAY, LATE),
])
def test_report_at_the_boundaries(reported_on, today, expected):
    assert report(due=REPORT_DUE, reported_on=reported_on, today=today) == expected


def test_a_report_not_asked_for_is_never_late():
    assert report(due=None, reported_on=None, today=date(2030, 1, 1)) == NOT_REQUIRED
    assert report(due=None, reported_on=date(2020, 5, 1), today=date(2020, 5, 1)) == ON_TIME


def test_the_late_states_are_overdue_and_late():
    assert LATE_STATES == {OVERDUE, LATE}
    assert not {PENDING, ON_TIME, NOT_REQUIRED} & LATE_STATES


# --- changes -----------------------------------------------------------------------------------

def test_nothing_changed():
    assert changes({}, {}) == ([], [], [])
    assert changes({"a": 1, "b": 2}, {"b": 2, "a": 1}) == ([], [], [])


def test_a_chain_that_came_into_force_is_added():
    assert changes({"a": 1}, {"a": 1, "b": 7}) == ([7], [], [])


def test_a_chain_whose_version_changed_is_replaced_old_then_new():
    assert changes({"a": 1, "b": 2}, {"a": 5, "b": 2}) == ([], [(1, 5)], [])


def test_a_chain_no_longer_in_force_is_ended():
    assert changes({"a": 1, "b": 2}, {"b": 2}) == ([], [], [1])


def test_all_three_at_once_in_the_order_of_the_days_given():
    before = {"ended": 10, "kept": 11, "replaced": 12, "ended2": 13}
    after = {"new2": 24, "replaced": 22, "kept": 11, "new": 21}
    assert changes(before, after) == ([24, 21], [(12, 22)], [10, 13])


def test_a_chain_that_ended_and_another_that_started_are_not_a_replacement():
    # Two chains are two directives, even when the new one's version id is the old one's + 1.
    assert changes({"a": 1}, {"b": 2}) == ([2], [], [1])
