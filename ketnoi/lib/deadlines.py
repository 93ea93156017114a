"""Deadline arithmetic for cases: due moments in working days or working hours, the clock that
pauses while a case waits for the business, and the time left.

All in office time (ketnoi.lib.workdays): a case received on Friday afternoon with 1 working
day to be acknowledged is due at the end of Monday.
"""

from datetime import date, datetime

from .workdays import OFFICE_HOURS, TIMEZONE, add_work_hours, add_workdays, work_hours_between


def end_of_workday(day: date) -> datetime:
    """The end of office hours on `day` (Asia/Ho_Chi_Minh)."""
    return datetime.combine(day, OFFICE_HOURS[-1][1], tzinfo=TIMEZONE)


def due_in_workdays(received: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after the day of `received`: Friday + 1 is Monday,
    and a case received on a day off counts from the next working day (Saturday + 1 is Monday,
    Saturday + 2 Tuesday). With 0 days, the end of the day of receipt (or the next working day)."""
    start = received.astimezone(TIMEZONE).date()
    return end_of_workday(add_workdays(start, days))


def due_in_work_hours(received: datetime, hours: float) -> datetime:
    return add_work_hours(received, hours)


def due(received: datetime, *, days: int | None = None, hours: float | None = None) -> datetime:
    """A due moment from a policy given in working hours (preferred when set) or working days."""
    if hours:
        return due_in_work_hours(received, hours)
    if days is None:
        raise ValueError("a deadline needs working days or working hours")
    return due_in_workdays(received, days)


def extend_for_pause(due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """The due moment after the clock stopped at `paused_at` and started again at `resumed_at`:
    the office time that was left is given back in full. A case already overdue when it was
    paused stays overdue from the same moment."""
    left = work_hours_between(paused_at, due_at)
    if left <= 0 or resumed_at <= paused_at:
        return due_at
    return add_work_hours(resumed_at, left)


def work_hours_left(due_at: datetime, now: datetime) -> float:
    """Office hours until `due_at` (negative once overdue)."""
    return work_hours_between(now, due_at)
