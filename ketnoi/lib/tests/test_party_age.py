from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ketnoi.lib.party_age import (
    GAP_REASON_LABELS,
    Gap,
    GapReason,
    add_months,
    admission_date,
    date_reaching,
    date_reaching_months,
    outside_on,
    party_age,
    party_age_months,
    whole_months_between,
)

DAY = timedelta(days=1)

admissions = st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31))


def transfer(start, end):
    return Gap(start, end, GapReason.TRANSFER)


# --- RULES.md and the published cases it rests on -------------------------------------------


def test_it_counts_from_admission_with_the_probation_included():
    # HD 01-HD/TW: admitted 26/7/2015, confirmed as a full member 26/7/2016: party age runs
    # from 26/7/2015.
    assert party_age(date(2015, 7, 26), date(2016, 7, 26)) == (1, 0)
    assert party_age(date(2015, 7, 26), date(2016, 7, 25)) == (0, 11)


def test_it_reaches_thirty_years_on_the_anniversary_of_admission():
    # The 19/1/2021 ceremony: the four 30-year badges went to members admitted by 19/1/1991.
    assert party_age(date(1991, 1, 19), date(2021, 1, 19)) == (30, 0)
    assert party_age(date(1991, 1, 20), date(2021, 1, 19)) == (29, 11)
    assert date_reaching(date(1991, 1, 19), 30) == date(2021, 1, 19)


def test_it_subtracts_a_year_lost_in_a_transfer_from_the_thirty_years():
    # A published case: admitted 01/10/1989, one year of gap while transferring registration:
    # not 30 years on 01/10/2019 (QĐ 29-QĐ/TW 2016 point 4.5, now QĐ 24-QĐ/TW point 4.5.1).
    gaps = [transfer(date(1996, 3, 1), date(1997, 3, 1))]
    assert party_age(date(1989, 10, 1), date(2019, 10, 1), gaps) == (29, 0)
    assert date_reaching(date(1989, 10, 1), 30, gaps) == date(2020, 10, 1)


def test_it_uses_the_party_card_date_when_the_decision_is_missing():
    assert admission_date(date(1990, 5, 3), date(1990, 5, 19)) == date(1990, 5, 3)
    assert admission_date(None, date(1990, 5, 19)) == date(1990, 5, 19)
    with pytest.raises(ValueError):
        admission_date(None, None)


# --- Whole months, day of month, 29 February ---------------------------------------------


def test_it_has_no_party_age_on_the_day_of_admission():
    assert party_age_months(date(2020, 6, 15), date(2020, 6, 15)) == 0


def test_it_completes_a_month_on_the_same_day_of_the_next_month():
    assert party_age_months(date(2020, 6, 15), date(2020, 7, 14)) == 0
    assert party_age_months(date(2020, 6, 15), date(2020, 7, 15)) == 1


def test_it_reaches_thirty_years_on_28_february_for_a_member_admitted_on_29_february():
    admitted = date(1992, 2, 29)
    assert date_reaching(admitted, 30) == date(2022, 2, 28)
    assert party_age(admitted, date(2022, 2, 28)) == (30, 0)
    assert party_age(admitted, date(2022, 2, 27)) == (29, 11)
    # In a leap year the anniversary exists.
    assert date_reaching(admitted, 32) == date(2024, 2, 29)


def test_it_takes_the_last_day_of_a_shorter_month_as_the_anniversary():
    admitted = date(2021, 1, 31)
    assert date_reaching_months(admitted, 1) == date(2021, 2, 28)
    assert date_reaching_months(admitted, 2) == date(2021, 3, 31)
    assert date_reaching_months(admitted, 3) == date(2021, 4, 30)
    assert party_age_months(admitted, date(2021, 4, 29)) == 2


def test_it_adds_months_with_the_end_of_month_clamped_to_the_original_day():
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2021, 1, 31), 2) == date(2021, 3, 31)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2020, 12, 15), 1) == date(2021, 1, 15)
    assert add_months(date(2021, 1, 15), -1) == date(2020, 12, 15)


def test_it_counts_whole_months_between_two_dates():
    assert whole_months_between(date(2020, 1, 31), date(2020, 2, 29)) == 1
    assert whole_months_between(date(2020, 1, 31), date(2020, 2, 28)) == 0
    assert whole_months_between(date(2020, 5, 10), date(2020, 5, 10)) == 0
    with pytest.raises(ValueError):
        whole_months_between(date(2020, 5, 10), date(2020, 5, 9))


def test_it_refuses_a_date_before_the_admission():
    with pytest.raises(ValueError):
        party_age_months(date(2020, 6, 15), date(2020, 6, 14))


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        date_reaching(date(2020, 6, 15), -1)
    with pytest.raises(ValueError):
        date_reaching_months(date(2020, 6, 15), -1)


# --- Periods outside the Party -------------------------------------------------------------


def test_it_stands_still_during_a_gap_and_runs_on_after_it():
    admitted = date(2000, 1, 10)
    gaps = [Gap(date(2001, 1, 10), date(2001, 4, 10), GapReason.LOST_CONTACT)]
    assert party_age_months(admitted, date(2001, 1, 9)) == 11
    assert party_age_months(admitted, date(2001, 1, 10), gaps) == 12
    assert party_age_months(admitted, date(2001, 4, 9), gaps) == 12
    assert party_age_months(admitted, date(2001, 4, 10), gaps) == 12
    assert party_age_months(admitted, date(2001, 5, 10), gaps) == 13


def test_it_counts_a_started_month_of_absence_as_a_whole_month():
    admitted = date(2000, 1, 10)
    ten_days = [transfer(date(2005, 3, 1), date(2005, 3, 11))]
    assert date_reaching(admitted, 30, ten_days) == date(2030, 2, 10)
    month_and_a_day = [transfer(date(2005, 3, 1), date(2005, 4, 2))]
    assert date_reaching(admitted, 30, month_and_a_day) == date(2030, 3, 10)


def test_it_moves_the_anniversary_past_the_occasion_when_a_gap_crosses_it():
    # Without the gap the member reaches 30 years for the 3/2/2022 occasion; a transfer that
    # spans that day (and lasts two months) moves it to 3/4/2022, after the occasion.
    admitted = date(1992, 2, 3)
    gaps = [transfer(date(2022, 1, 20), date(2022, 3, 15))]
    assert party_age(admitted, date(2022, 2, 3), gaps) == (29, 11)
    assert date_reaching(admitted, 30, gaps) == date(2022, 4, 3)
    assert party_age(admitted, date(2022, 5, 19), gaps) == (30, 1)


def test_it_subtracts_several_gaps():
    admitted = date(1980, 6, 1)
    gaps = [
        Gap(date(1985, 2, 1), date(1985, 5, 1), GapReason.LOST_CONTACT),  # 3 months
        transfer(date(1990, 7, 15), date(1990, 9, 1)),  # 1 month 17 days: 2 months
        Gap(date(2001, 1, 1), date(2002, 1, 1), GapReason.REMOVED),  # 12 months
    ]
    assert date_reaching(admitted, 30, gaps) == date(2011, 11, 1)
    assert party_age_months(admitted, date(2011, 10, 31), gaps) == 359
    assert party_age_months(admitted, date(2011, 11, 1), gaps) == 360


def test_it_accepts_gaps_in_any_order():
    admitted = date(1980, 6, 1)
    gaps = [
        transfer(date(1990, 7, 15), date(1990, 9, 1)),
        Gap(date(1985, 2, 1), date(1985, 5, 1), GapReason.LOST_CONTACT),
    ]
    assert date_reaching(admitted, 30, gaps) == date(2010, 11, 1)


def test_it_merges_overlapping_and_touching_gaps():
    admitted = date(1980, 6, 1)
    overlapping = [
        Gap(date(1985, 2, 1), date(1985, 5, 1), GapReason.LOST_CONTACT),
        Gap(date(1985, 4, 1), date(1985, 6, 1), GapReason.REMOVED),
    ]
    assert date_reaching(admitted, 30, overlapping) == date(2010, 10, 1)  # 4 months, not 5
    touching = [transfer(date(1985, 2, 1), date(1985, 2, 11)), transfer(date(1985, 2, 11),
                                                                         date(1985, 2, 21))]
    assert date_reaching(admitted, 30, touching) == date(2010, 7, 1)  # 20 days: one month


def test_it_keeps_a_member_still_outside_at_the_age_reached_before_leaving():
    admitted = date(1985, 3, 1)
    gaps = [Gap(date(2010, 9, 15), None, GapReason.LOST_CONTACT)]
    assert party_age(admitted, date(2030, 1, 1), gaps) == (25, 6)
    assert date_reaching(admitted, 25, gaps) == date(2010, 3, 1)
    assert date_reaching(admitted, 30, gaps) is None


def test_it_ignores_gaps_that_begin_after_the_date():
    admitted = date(1985, 3, 1)
    later = [Gap(date(2016, 1, 1), None, GapReason.EXPELLED)]
    assert party_age(admitted, date(2015, 3, 1), later) == (30, 0)
    assert date_reaching(admitted, 30, later) == date(2015, 3, 1)


def test_it_counts_a_re_admitted_member_from_the_first_admission_less_the_time_outside():
    # QĐ 24-QĐ/TW point 4.5.2: admitted 12/5/1975, removed from the rolls 20/8/1988,
    # re-admitted on 19/5/1995: 80 months and 29 days outside, counted as 81 months.
    first_admission = date(1975, 5, 12)
    outside = [Gap(date(1988, 8, 20), date(1995, 5, 19), GapReason.REMOVED)]
    assert date_reaching(first_admission, 30, outside) == date(2012, 2, 12)
    assert party_age(first_admission, date(2020, 5, 19), outside) == (38, 3)


def test_it_counts_a_rehabilitated_member_without_a_break():
    admitted = date(1970, 9, 2)
    wrongly = Gap(date(1979, 4, 1), date(1983, 6, 1), GapReason.EXPELLED, rehabilitated=True)
    assert date_reaching(admitted, 30, [wrongly]) == date(2000, 9, 2)
    assert party_age(admitted, date(1981, 9, 2), [wrongly]) == (11, 0)
    assert not outside_on(admitted, date(1980, 1, 1), [wrongly])


def test_it_rehabilitates_only_an_expulsion_or_a_removal():
    with pytest.raises(ValueError):
        Gap(date(1979, 4, 1), date(1983, 6, 1), GapReason.LOST_CONTACT, rehabilitated=True)
    with pytest.raises(ValueError):
        Gap(date(1979, 4, 1), None, GapReason.EXPELLED, rehabilitated=True)


def test_it_refuses_a_gap_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        transfer(date(1990, 5, 1), date(1990, 4, 30))


def test_it_refuses_a_gap_before_the_admission():
    with pytest.raises(ValueError, match="first admission"):
        party_age_months(date(1990, 5, 1), date(2000, 1, 1), [transfer(date(1990, 4, 1),
                                                                        date(1990, 6, 1))])


def test_it_ignores_an_empty_gap():
    admitted = date(1990, 5, 1)
    assert date_reaching(admitted, 30, [transfer(date(1995, 1, 1), date(1995, 1, 1))]) == date(
        2020, 5, 1
    )


def test_it_accepts_a_reason_given_as_its_code():
    assert Gap(date(1995, 1, 1), None, "removed").reason is GapReason.REMOVED
    with pytest.raises(ValueError):
        Gap(date(1995, 1, 1), None, "holiday")


def test_it_refuses_what_is_not_a_gap():
    with pytest.raises(TypeError):
        party_age_months(date(1990, 5, 1), date(2000, 1, 1), [(date(1995, 1, 1), None)])


def test_it_tells_whether_a_member_is_outside_on_a_day():
    admitted = date(1990, 5, 1)
    gaps = [transfer(date(1995, 1, 1), date(1995, 3, 1))]
    assert not outside_on(admitted, date(1994, 12, 31), gaps)
    assert outside_on(admitted, date(1995, 1, 1), gaps)
    assert outside_on(admitted, date(1995, 2, 28), gaps)
    assert not outside_on(admitted, date(1995, 3, 1), gaps)


def test_it_labels_every_reason_in_both_languages():
    assert set(GAP_REASON_LABELS) == set(GapReason)
    assert all(labels["vi"] and labels["en"] for labels in GAP_REASON_LABELS.values())


# --- Properties ---------------------------------------------------------------------------


@st.composite
def member_with_gaps(draw):
    admitted = draw(admissions)
    gaps = []
    for _ in range(draw(st.integers(0, 3))):
        start = admitted + timedelta(days=draw(st.integers(0, 60 * 365)))
        if draw(st.booleans()) and not any(gap.end is None for gap in gaps):
            end = None if draw(st.integers(0, 4)) == 0 else start + timedelta(
                days=draw(st.integers(0, 3000))
            )
        else:
            end = start + timedelta(days=draw(st.integers(0, 3000)))
        reason = draw(st.sampled_from(list(GapReason)))
        gaps.append(Gap(start, end, reason))
    return admitted, gaps


@settings(max_examples=300, deadline=None)
@given(member_with_gaps(), st.integers(0, 80 * 365), st.integers(0, 3 * 365))
def test_it_never_loses_party_age_as_time_passes(member, offset, step):
    admitted, gaps = member
    earlier = admitted + timedelta(days=offset)
    assert party_age_months(admitted, earlier, gaps) <= party_age_months(
        admitted, earlier + timedelta(days=step), gaps
    )


@settings(max_examples=300, deadline=None)
@given(member_with_gaps(), st.integers(0, 90))
def test_it_reaches_n_years_on_the_day_given_and_not_the_day_before(member, years):
    admitted, gaps = member
    reached = date_reaching(admitted, years, gaps)
    if reached is None:
        assert any(gap.end is None for gap in gaps)
        return
    assert party_age_months(admitted, reached, gaps) >= 12 * years
    if reached > admitted:
        assert party_age_months(admitted, reached - DAY, gaps) < 12 * years
    # Never reached in the middle of a period outside (on its first day is fine: the months
    # were all completed before it).
    assert not any(
        gap.start < reached and (gap.end is None or reached < gap.end) for gap in gaps
    )


@settings(max_examples=300, deadline=None)
@given(admissions, st.integers(1, 90), st.integers(1, 120), st.data())
def test_a_gap_of_k_whole_months_delays_the_anniversary_by_k_months(admitted, years, k, data):
    without = date_reaching(admitted, years)
    start = admitted + timedelta(days=data.draw(st.integers(0, (without - admitted).days - 1)))
    gap = Gap(start, add_months(start, k), data.draw(st.sampled_from(list(GapReason))))
    assert date_reaching(admitted, years, [gap]) == add_months(admitted, 12 * years + k)


@settings(max_examples=300, deadline=None)
@given(admissions, st.integers(0, 90), st.integers(0, 5000))
def test_a_gap_after_the_anniversary_changes_nothing(admitted, years, days_after):
    without = date_reaching(admitted, years)
    gap = Gap(without + timedelta(days=days_after), None, GapReason.EXPELLED)
    assert date_reaching(admitted, years, [gap]) == without


@settings(max_examples=300, deadline=None)
@given(admissions, st.integers(0, 100 * 365))
def test_it_counts_whole_calendar_months_for_a_member_with_no_gap(admitted, offset):
    on = admitted + timedelta(days=offset)
    months = party_age_months(admitted, on)
    assert add_months(admitted, months) <= on < add_months(admitted, months + 1)
    assert party_age(admitted, on) == divmod(months, 12)


@settings(max_examples=200, deadline=None)
@given(member_with_gaps(), st.integers(0, 80 * 365))
def test_the_order_of_the_gaps_does_not_matter(member, offset):
    admitted, gaps = member
    on = admitted + timedelta(days=offset)
    assume(len(gaps) > 1)
    assert party_age_months(admitted, on, gaps) == party_age_months(admitted, on, gaps[::-1])


@settings(max_examples=200, deadline=None)
@given(member_with_gaps(), st.integers(0, 80 * 365))
def test_a_rehabilitated_gap_counts_as_no_gap(member, offset):
    admitted, gaps = member
    on = admitted + timedelta(days=offset)
    closed = [gap for gap in gaps if gap.end is not None]
    rehabilitated = [
        Gap(gap.start, gap.end, GapReason.EXPELLED, rehabilitated=True) for gap in closed
    ]
    assert party_age_months(admitted, on, rehabilitated) == party_age_months(admitted, on)


@given(admissions, st.integers(0, 80 * 365))
def test_without_gaps_party_age_is_the_anniversaries_reached(admitted, days):
    # The shortcut for members with no gap agrees with the search over reaching days.
    on = admitted + timedelta(days=days)
    reached = max(m for m in range(0, days // 28 + 2) if date_reaching_months(admitted, m) <= on)
    assert party_age_months(admitted, on) == reached
