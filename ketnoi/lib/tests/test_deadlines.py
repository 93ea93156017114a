"""Deadlines of cases in office time: working days end at 17:00, working hours skip nights,
weekends and holidays, and the clock gives back the time left when a case waited."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ketnoi.lib.deadlines import due, due_in_workdays, end_of_workday, extend_for_pause, work_hours_left
from ketnoi.lib.workdays import TIMEZONE, is_workday, work_hours_between, workdays_between


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)


# --- due in working days ------------------------------------------------------------------

def test_friday_afternoon_plus_one_working_day_is_monday_evening():
    assert due(at(2026, 3, 6, 16), days=1) == at(2026, 3, 9, 17)  # Fri 06/03 → Mon 09/03


def test_it_ends_at_the_close_of_the_office_day():
    assert end_of_workday(date(2026, 3, 9)) == at(2026, 3, 9, 17)
    assert due(at(2026, 3, 9, 8), days=1) == at(2026, 3, 10, 17)


def test_it_counts_ten_working_days_over_two_weekends():
    assert due(at(2026, 3, 6, 16), days=10) == at(2026, 3, 20, 17)
    assert due(at(2026, 3, 9, 8), days=10) == at(2026, 3, 23, 17)


def test_a_case_received_on_saturday_counts_from_monday():
    saturday = at(2026, 3, 7, 10)
    assert due(saturday, days=1) == at(2026, 3, 9, 17)
    assert due(saturday, days=2) == at(2026, 3, 10, 17)
    assert due(saturday, days=10) == at(2026, 3, 20, 17)


def test_a_case_received_late_on_sunday_evening_utc_is_monday_in_vietnam():
    # 18:00 UTC on Sunday is 01:00 on Monday in Ho Chi Minh City: Monday is the day of receipt.
    from datetime import timezone as tz
    received = datetime(2026, 3, 8, 18, 0, tzinfo=tz.utc)
    assert due(received, days=1) == at(2026, 3, 10, 17)


def test_it_skips_tet_2026():
    # Tết Bính Ngọ, 17/02/2026: the public sector is off from Sat 14/02 to Sun 22/02.
    assert due(at(2026, 2, 13, 10), days=1) == at(2026, 2, 23, 17)
    assert due(at(2026, 2, 12, 10), days=3) == at(2026, 2, 24, 17)
    assert due(at(2026, 2, 17, 9), days=1) == at(2026, 2, 23, 17)  # received on Tết day itself
    assert due(at(2026, 2, 17, 9), days=2) == at(2026, 2, 24, 17)


def test_it_gives_a_priority_enterprise_eight_working_hours():
    # TT 72/2015/TT-BTC Art. 7.2: Fri 16:00 + 8 h = Fri 1 h + Mon 7:30-11:30 + 13:00-16:00.
    assert due(at(2026, 3, 6, 16), hours=8) == at(2026, 3, 9, 16)
    assert due(at(2026, 3, 9, 9), hours=8) == at(2026, 3, 10, 9)


def test_eight_working_hours_skip_tet():
    assert due(at(2026, 2, 13, 15), hours=8) == at(2026, 2, 23, 15)


def test_working_hours_win_over_working_days_when_both_are_given():
    assert due(at(2026, 3, 9, 9), days=10, hours=8) == at(2026, 3, 10, 9)


def test_it_needs_days_or_hours():
    with pytest.raises(ValueError):
        due(at(2026, 3, 9, 9))


# --- the clock that pauses ----------------------------------------------------------------

def test_extend_for_pause_gives_back_the_office_time_left():
    due_at = at(2026, 3, 9, 17)  # Monday
    paused = at(2026, 3, 6, 16)  # Friday: 1 h left on Friday + 8 h on Monday
    resumed = at(2026, 3, 11, 10)  # Wednesday
    extended = extend_for_pause(due_at, paused, resumed)
    assert extended == at(2026, 3, 12, 11)  # Wed 10:00-11:30, 13:00-17:00, Thu 7:30-11:00
    assert work_hours_between(resumed, extended) == work_hours_between(paused, due_at) == 9


def test_a_pause_over_tet_gives_back_the_time_left():
    due_at = at(2026, 2, 13, 17)
    paused = at(2026, 2, 13, 13)  # 4 h left
    extended = extend_for_pause(due_at, paused, at(2026, 2, 17, 10))  # the business replies during Tết
    assert extended == at(2026, 2, 23, 11, 30)


def test_a_case_overdue_when_paused_stays_overdue():
    due_at = at(2026, 3, 9, 17)
    assert extend_for_pause(due_at, at(2026, 3, 10, 10), at(2026, 3, 12, 10)) == due_at
    assert extend_for_pause(due_at, due_at, at(2026, 3, 12, 10)) == due_at  # paused at the very deadline


def test_a_resume_before_the_pause_changes_nothing():
    due_at = at(2026, 3, 9, 17)
    assert extend_for_pause(due_at, at(2026, 3, 6, 16), at(2026, 3, 6, 15)) == due_at


def test_work_hours_left_counts_office_hours_only():
    due_at = at(2026, 3, 9, 17)  # Monday
    assert work_hours_left(due_at, at(2026, 3, 9, 15)) == 2
    assert work_hours_left(due_at, at(2026, 3, 6, 16)) == 9  # Friday 16:00, over the weekend


def test_work_hours_left_is_negative_once_overdue():
    due_at = at(2026, 3, 9, 17)
    assert work_hours_left(due_at, at(2026, 3, 10, 9)) == -1.5
    assert work_hours_left(due_at, at(2026, 3, 11, 17)) == -16
    assert work_hours_left(due_at, due_at) == 0


# --- properties ---------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2029, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=TIMEZONE))


@given(received=moments, n=st.integers(min_value=0, max_value=40))
def test_due_is_always_the_end_of_a_working_day(received, n):
    result = due(received, days=n)
    local = result.astimezone(TIMEZONE)
    assert local.time() == time(17, 0)
    assert is_workday(local.date())
    assert local.date() >= received.astimezone(TIMEZONE).date()


@given(received=moments, n=st.integers(min_value=1, max_value=40))
def test_due_counts_exactly_n_working_days_after_the_day_of_receipt(received, n):
    day = received.astimezone(TIMEZONE).date()
    assert workdays_between(day, due_in_workdays(received, n).date()) == n


@given(received=moments, n=st.integers(min_value=0, max_value=40))
def test_due_is_monotonic_in_the_number_of_days(received, n):
    assert due(received, days=n) <= due(received, days=n + 1)
    if n >= 1:
        assert due(received, days=n) < due(received, days=n + 1)


@given(due_at=moments, paused=moments, pause=st.integers(min_value=1, max_value=60 * 24 * 30))
def test_extend_for_pause_keeps_the_office_time_left(due_at, paused, pause):
    assume(paused < due_at)
    resumed = paused + timedelta(minutes=pause)
    left = work_hours_between(paused, due_at)
    extended = extend_for_pause(due_at, paused, resumed)
    if left <= 0:
        assert extended == due_at
    else:
        assert work_hours_between(resumed, extended) == pytest.approx(left, abs=1e-9)
        assert extended >= due_at or resumed < due_at
