"""The named periods of the dashboards' filter, from the day they are asked on."""

from datetime import date

import pytest

from ketnoi.reports.forms import PeriodForm, named_period

TODAY = date(2021, 5, 15)


@pytest.mark.parametrize("key, start, end", [
    ("this_month", date(2021, 5, 1), TODAY),
    ("last_month", date(2021, 4, 1), date(2021, 4, 30)),
    ("this_quarter", date(2021, 4, 1), TODAY),
    ("this_year", date(2021, 1, 1), TODAY),
    ("last_year", date(2020, 1, 1), date(2020, 12, 31)),
])
def test_each_named_period_runs_to_today_or_ends_before_it(key, start, end):
    period = named_period(key, TODAY)
    assert (period.start, period.end, period.key) == (start, end, key)


def test_last_month_in_january_is_last_december():
    period = named_period("last_month", date(2021, 1, 10))
    assert (period.start, period.end) == (date(2020, 12, 1), date(2020, 12, 31))


def test_the_first_quarter_starts_in_january_and_the_last_in_october():
    assert named_period("this_quarter", date(2021, 3, 31)).start == date(2021, 1, 1)
    assert named_period("this_quarter", date(2021, 12, 31)).start == date(2021, 10, 1)


@pytest.mark.django_db
def test_a_valid_custom_period_is_taken_as_typed():
    form = PeriodForm({"period": "custom", "start": "29/02/2020", "end": "01/03/2020"}, today=TODAY)
    assert form.is_valid(), form.errors
    period = form.period_chosen()
    assert (period.start, period.end, period.days) == (date(2020, 2, 29), date(2020, 3, 1), 2)
