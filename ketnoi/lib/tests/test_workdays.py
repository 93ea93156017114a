from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ketnoi.lib.workdays import (
    EXTRA_DAYS_OFF,
    MAKEUP_WORKDAYS,
    OFFICE_HOURS,
    SWAP_DAYS,
    TIMEZONE,
    add_work_hours,
    add_workdays,
    is_workday,
    next_workday,
    work_hours_between,
    workdays_between,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)


def date_range(first, last):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_it_counts_an_ordinary_weekday_as_a_workday():
    assert is_workday(date(2026, 3, 4))  # Wednesday


def test_it_skips_a_weekend():
    assert not is_workday(date(2026, 3, 7))  # Saturday
    assert not is_workday(date(2026, 3, 8))  # Sunday


def test_it_skips_the_official_tet_2026_days_off():
    # Tết Bính Ngọ on 17/02/2026: public sector off Sat 14/02 to Sun 22/02/2026.
    assert all(not is_workday(day) for day in date_range(date(2026, 2, 14), date(2026, 2, 22)))
    assert is_workday(date(2026, 2, 13))
    assert is_workday(date(2026, 2, 23))


def test_it_skips_tet_2025():
    # Tết Ất Tỵ on 29/01/2025: off Sat 25/01 to Sun 02/02/2025 (TB 6150/TB-BLĐTBXH).
    assert all(not is_workday(day) for day in date_range(date(2025, 1, 25), date(2025, 2, 2)))
    assert is_workday(date(2025, 1, 24))
    assert is_workday(date(2025, 2, 3))


def test_it_skips_reunification_day_and_labour_day():
    assert not is_workday(date(2026, 4, 30))
    assert not is_workday(date(2026, 5, 1))
    assert not is_workday(date(2024, 4, 30))
    assert not is_workday(date(2024, 5, 1))


def test_it_skips_the_swapped_day_next_to_30_4_and_works_the_makeup_saturday():
    assert not is_workday(date(2025, 5, 2))  # off, worked on Sat 26/04/2025
    assert is_workday(date(2025, 4, 26))
    assert not is_workday(date(2024, 4, 29))  # off, worked on Sat 04/05/2024
    assert is_workday(date(2024, 5, 4))


def test_it_skips_national_day_and_the_day_next_to_it():
    assert not is_workday(date(2025, 9, 1))
    assert not is_workday(date(2025, 9, 2))
    assert is_workday(date(2025, 9, 3))


def test_it_skips_hung_kings_day_on_the_10th_of_the_third_lunar_month():
    assert not is_workday(date(2025, 4, 7))  # 10/3 Ất Tỵ, a Monday
    assert not is_workday(date(2024, 4, 18))  # 10/3 Giáp Thìn, a Thursday
    assert not is_workday(date(2026, 4, 27))  # 10/3 Bính Ngọ is Sunday 26/04: off in lieu


def test_it_skips_new_year_2026_and_its_swapped_friday():
    assert not is_workday(date(2026, 1, 1))
    assert not is_workday(date(2026, 1, 2))  # Công văn 12729/VPCP-KGVX
    assert add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_it_counts_a_makeup_saturday_as_a_workday():
    assert is_workday(date(2026, 1, 10))
    assert add_workdays(date(2026, 1, 9), 1) == date(2026, 1, 10)
    assert workdays_between(date(2026, 1, 9), date(2026, 1, 12)) == 2


def test_it_keeps_a_makeup_saturday_across_new_year():
    # 31/12/2018 off, worked on Saturday 05/01/2019.
    assert not is_workday(date(2018, 12, 31))
    assert is_workday(date(2019, 1, 5))


def test_it_keeps_the_swap_table_well_formed():
    for swap in SWAP_DAYS:
        assert swap.source
        if swap.day_off is not None and swap.makeup_workday is not None:
            assert swap.makeup_workday.weekday() >= 5
    assert all(day.weekday() < 5 for day in EXTRA_DAYS_OFF)
    assert all(is_workday(day) for day in MAKEUP_WORKDAYS)
    assert not any(is_workday(day) for day in EXTRA_DAYS_OFF)


def test_it_moves_friday_plus_one_workday_to_monday():
    assert add_workdays(date(2026, 3, 6), 1) == date(2026, 3, 9)


def test_it_adds_workdays_across_tet():
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert add_workdays(date(2026, 2, 12), 10) == date(2026, 3, 5)


def test_it_adds_zero_workdays_to_the_same_or_next_workday():
    assert add_workdays(date(2026, 3, 4), 0) == date(2026, 3, 4)
    assert add_workdays(date(2026, 3, 7), 0) == date(2026, 3, 9)
    assert add_workdays(date(2026, 2, 14), 0) == date(2026, 2, 23)
    assert next_workday(date(2026, 2, 14)) == date(2026, 2, 23)


def test_it_rejects_negative_workdays():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 3, 4), -1)


def test_it_counts_workdays_in_a_half_open_interval():
    assert workdays_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 6)) == -1
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_it_adds_work_hours_from_friday_afternoon_to_monday():
    # Friday 16:00-17:00 is 1 h; Monday 7:30-11:30 is 4 h, then 13:00-16:00 the last 3 h.
    assert add_work_hours(at(2026, 3, 6, 16), 8) == at(2026, 3, 9, 16)


def test_it_adds_work_hours_across_lunch():
    assert add_work_hours(at(2026, 3, 9, 11), 1) == at(2026, 3, 9, 13, 30)


def test_it_adds_work_hours_overnight():
    assert add_work_hours(at(2026, 3, 10, 16, 30), 2) == at(2026, 3, 11, 9)


def test_it_ends_at_the_close_of_a_period_rather_than_the_next_opening():
    assert add_work_hours(at(2026, 3, 9, 7, 30), 4) == at(2026, 3, 9, 11, 30)
    assert add_work_hours(at(2026, 3, 9, 7, 30), 8) == at(2026, 3, 9, 17)
    assert add_work_hours(at(2026, 3, 9, 7, 30), 16) == at(2026, 3, 10, 17)


def test_it_starts_counting_at_the_next_office_period():
    assert add_work_hours(at(2026, 3, 9, 6), 1) == at(2026, 3, 9, 8, 30)
    assert add_work_hours(at(2026, 3, 9, 12), 0.5) == at(2026, 3, 9, 13, 30)
    assert add_work_hours(at(2026, 3, 9, 18), 1) == at(2026, 3, 10, 8, 30)
    assert add_work_hours(at(2026, 3, 7, 10), 1) == at(2026, 3, 9, 8, 30)  # Saturday
    assert add_work_hours(at(2026, 3, 6, 17, 30), 0) == at(2026, 3, 9, 7, 30)


def test_it_adds_the_aeo_eight_working_hours_across_tet():
    # TT 72/2015/TT-BTC Art. 7.2: 8 working hours; Friday before Tết 2026 at 16:00.
    assert add_work_hours(at(2026, 2, 13, 16), 8) == at(2026, 2, 23, 16)


def test_it_accepts_other_timezones_and_answers_in_vietnam_time():
    result = add_work_hours(datetime(2026, 3, 9, 2, 0, tzinfo=timezone.utc), 1)  # 9:00 local
    assert result == at(2026, 3, 9, 10)
    assert result.tzinfo == TIMEZONE


def test_it_rejects_naive_datetimes_and_negative_hours():
    with pytest.raises(ValueError):
        add_work_hours(datetime(2026, 3, 9, 9), 1)
    with pytest.raises(ValueError):
        add_work_hours(at(2026, 3, 9, 9), -1)
    with pytest.raises(ValueError):
        work_hours_between(datetime(2026, 3, 9, 9), at(2026, 3, 9, 10))


def test_it_counts_work_hours_between_two_moments():
    assert work_hours_between(at(2026, 3, 6, 16), at(2026, 3, 9, 16)) == 8.0
    assert work_hours_between(at(2026, 3, 9, 6), at(2026, 3, 9, 19)) == 8.0
    assert work_hours_between(at(2026, 3, 9, 11, 30), at(2026, 3, 9, 13)) == 0.0
    assert work_hours_between(at(2026, 3, 9, 16), at(2026, 3, 6, 16)) == -8.0
    assert work_hours_between(at(2026, 2, 13, 16), at(2026, 2, 23, 8, 30)) == 2.0


def test_office_hours_make_an_eight_hour_day():
    total = sum(
        (datetime.combine(date.min, end) - datetime.combine(date.min, begin))
        / timedelta(hours=1)
        for begin, end in OFFICE_HOURS
    )
    assert total == 8


@given(days, st.integers(min_value=0, max_value=300))
def test_workdays_between_undoes_add_workdays(day, n):
    assume(is_workday(day))
    assert workdays_between(day, add_workdays(day, n)) == n


@given(days, st.integers(min_value=1, max_value=300))
def test_add_workdays_lands_on_a_workday(day, n):
    result = add_workdays(day, n)
    assert is_workday(result)
    assert result > day


@given(days, st.integers(min_value=0, max_value=60))
def test_workdays_between_counts_like_walking_the_calendar(day, length):
    end = day + timedelta(days=length)
    walked = sum(1 for d in date_range(day + timedelta(days=1), end) if is_workday(d))
    assert workdays_between(day, end) == walked
    assert workdays_between(end, day) == -walked


@given(
    days,
    st.times(min_value=time(0, 0), max_value=time(23, 59)),
    st.integers(min_value=0, max_value=8 * 60 * 40),
)
def test_work_hours_between_undoes_add_work_hours(day, clock, minutes):
    start = datetime.combine(day, clock, tzinfo=TIMEZONE)
    hours = minutes / 60
    end = add_work_hours(start, hours)
    assert end >= start
    assert work_hours_between(start, end) == pytest.approx(hours, abs=1e-6)
