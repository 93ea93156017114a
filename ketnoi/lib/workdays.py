"""Working days and office hours for deadlines, in Asia/Ho_Chi_Minh.

A working day is Monday to Friday (40-hour week of state bodies, Quyết định 188/1999/QĐ-TTg),
except public holidays (Bộ luật Lao động 2019, Art. 112:
Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and the day next to it, with
days off in lieu when a holiday falls on a weekend) and the days the government swaps each year.
Public holidays, including the lunar ones, come from the ``holidays`` package; SWAP_DAYS below
adds the government's arrangements that the package does not know yet.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# Administrative working time commonly used by customs units: 7:30-11:30 and 13:00-17:00,
# 8 hours a day. UNCONFIRMED as a national rule (each body sets its hours within the 40-hour
# week of Quyết định 188/1999/QĐ-TTg); change it here if the department works other hours.
OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)


@dataclass(frozen=True)
class Swap:
    """A government arrangement: a day given off and/or a day worked that would not be."""

    day_off: date | None
    makeup_workday: date | None
    source: str


# Yearly arrangements for the public sector that the ``holidays`` package (0.109) does not
# include. The package already has these (sources as the package cites them), so they are not
# repeated here:
#   31/12/2018 off, Sat 05/01/2019 worked; 29/04/2019 off, Sat 04/05/2019 worked
#     (Công văn 6519/VPCP-KGVX 2018);
#   29/04/2024 off, Sat 04/05/2024 worked (Công văn 2450/VPCP-KGVX 2024);
#   02/05/2025 off, Sat 26/04/2025 worked;
#   31/08/2026 off, Sat 22/08/2026 worked (Quốc khánh 2026).
# Tết Nguyên đán 2019-2026 needed no swap: the five Tết days and the days in lieu the package
# computes give the published schedules (e.g. 2026: off Sat 14/02 to Sun 22/02, Tết 17/02).
# UNCONFIRMED, kept as the package has it: 24/11 "Ngày Văn hóa Việt Nam" is a day off from 2026
# in the package (Nghị quyết 80-NQ/TW, 01/2026), but the Labour Code amendment that makes it a
# paid holiday was still pending in 02/2026. If it is not a day off, add
# Swap(day_off=None, makeup_workday=date(2026, 11, 24), source=...) here.
SWAP_DAYS: tuple[Swap, ...] = (
    # Tết Dương lịch 2026: off Thu 01/01 to Sun 04/01/2026; Fri 02/01 worked on Sat 10/01.
    # Công văn 12729/VPCP-KGVX ngày 25/12/2025 (the Deputy Prime Minister agrees to the
    # Ministry of Home Affairs' proposal).
    Swap(
        day_off=date(2026, 1, 2),
        makeup_workday=date(2026, 1, 10),
        source="Công văn 12729/VPCP-KGVX ngày 25/12/2025",
    ),
)

EXTRA_DAYS_OFF: frozenset[date] = frozenset(
    swap.day_off for swap in SWAP_DAYS if swap.day_off is not None
)
MAKEUP_WORKDAYS: frozenset[date] = frozenset(
    swap.makeup_workday for swap in SWAP_DAYS if swap.makeup_workday is not None
)

_SATURDAY = 5


@dataclass(frozen=True)
class _YearCalendar:
    days_off: frozenset[date]  # weekdays that are not worked
    weekend_workdays: frozenset[date]  # Saturdays and Sundays that are worked


@functools.lru_cache(maxsize=None)
def _calendar(year: int) -> _YearCalendar:
    # Neighbouring years too: a swap can cross New Year (31/12/2018 off, 05/01/2019 worked).
    public = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    off = {day for day in public if day.year == year} | EXTRA_DAYS_OFF
    worked = set(public.weekend_workdays) | MAKEUP_WORKDAYS
    return _YearCalendar(
        days_off=frozenset(
            day for day in off - MAKEUP_WORKDAYS if day.year == year and day.weekday() < _SATURDAY
        ),
        weekend_workdays=frozenset(
            day for day in worked if day.year == year and day.weekday() >= _SATURDAY
        ),
    )


def is_workday(day: date) -> bool:
    """Return whether ``day`` is a working day."""
    calendar = _calendar(day.year)
    if day.weekday() >= _SATURDAY:
        return day in calendar.weekend_workdays
    return day not in calendar.days_off


def next_workday(day: date) -> date:
    """Return ``day`` if it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(start: date, n: int) -> date:
    """Return the n-th working day after ``start`` (n >= 0).

    With n = 0, return ``start`` if it is a working day, else the next working day.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return next_workday(start)
    day = start
    while n:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def workdays_between(a: date, b: date) -> int:
    """Return the number of working days in (a, b]; negative when b is before a."""
    if b < a:
        return -workdays_between(b, a)
    count = _weekdays_between(a, b)
    for year in range(a.year, b.year + 1):
        calendar = _calendar(year)
        count -= sum(1 for day in calendar.days_off if a < day <= b)
        count += sum(1 for day in calendar.weekend_workdays if a < day <= b)
    return count


def _weekdays_between(a: date, b: date) -> int:
    """Number of Mondays to Fridays in (a, b], for a <= b."""
    weeks, rest = divmod((b - a).days, 7)
    count = weeks * 5
    weekday = a.weekday()
    for _ in range(rest):
        weekday = (weekday + 1) % 7
        if weekday < _SATURDAY:
            count += 1
    return count


_DAY_LENGTH = sum(
    (
        datetime.combine(date.min, end) - datetime.combine(date.min, begin)
        for begin, end in OFFICE_HOURS
    ),
    timedelta(),
)


def _local(moment: datetime) -> datetime:
    """Wall-clock time in Asia/Ho_Chi_Minh, without tzinfo (Vietnam has no DST)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected a timezone-aware datetime")
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)


def add_work_hours(start: datetime, hours: float | int) -> datetime:
    """Return the moment ``hours`` office hours after ``start`` (aware, Asia/Ho_Chi_Minh).

    Only office hours on working days count; a start outside them begins at the next office
    period. A result that falls exactly at the end of a period stays there (e.g. 11:30).
    """
    if hours < 0:
        raise ValueError(f"hours must be >= 0, got {hours}")
    remaining = timedelta(hours=hours)
    local = _local(start)
    day, clock = local.date(), local.time()
    while True:
        if is_workday(day):
            for begin, end in OFFICE_HOURS:
                if clock >= end:
                    continue
                period_start = datetime.combine(day, max(clock, begin))
                available = datetime.combine(day, end) - period_start
                if remaining <= available:
                    return (period_start + remaining).replace(tzinfo=TIMEZONE)
                remaining -= available
        # Skip whole working days at once, keeping at least a part of a day to place the end.
        whole_days = max(0, (remaining - timedelta(microseconds=1)) // _DAY_LENGTH)
        day = add_workdays(day, whole_days + 1)
        remaining -= whole_days * _DAY_LENGTH
        clock = time.min


def work_hours_between(a: datetime, b: datetime) -> float:
    """Return the office hours on working days between ``a`` and ``b``; negative if b < a."""
    start, end = _local(a), _local(b)
    if end < start:
        return -work_hours_between(b, a)
    if start.date() == end.date():
        worked = _office_time(start.date(), start.time(), end.time())
    else:
        worked = _office_time(start.date(), start.time(), time.max)
        worked += _office_time(end.date(), time.min, end.time())
        full_days = workdays_between(start.date(), end.date() - timedelta(days=1))
        worked += full_days * _DAY_LENGTH
    return worked / timedelta(hours=1)


def _office_time(day: date, since: time, until: time) -> timedelta:
    """Office time on ``day`` between two wall-clock times of that day."""
    if not is_workday(day):
        return timedelta()
    total = timedelta()
    for begin, end in OFFICE_HOURS:
        low, high = max(since, begin), min(until, end)
        if low < high:
            total += datetime.combine(day, high) - datetime.combine(day, low)
    return total
