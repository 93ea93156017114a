"""The dashboards' reads of dialogue, prices and directives (reports.activity), counted by hand
from the world of dashboard_helpers, and the dialogue figures equal to the programme dashboard's
own for the same sessions."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.dialogue import dashboard
from ketnoi.dialogue.models import Programme
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.reports import activity

from .dashboard_helpers import add_dialogue, build_world

pytestmark = pytest.mark.django_db

START, END = date(2020, 1, 1), date(2020, 12, 31)
NOW = datetime(2021, 1, 15, 9, tzinfo=TIMEZONE)


@pytest.fixture
def w():
    return build_world()


# --- dialogue --------------------------------------------------------------------------------------

def test_it_counts_the_sessions_of_the_period_and_what_came_of_them(w):
    f = activity.dialogue_figures(start=START, end=END, today=date(2021, 1, 15))
    assert (f.held, f.cancelled) == (2, 1)
    assert (f.businesses, f.attendees) == (3, 6)
    assert (f.questions, f.answered_on_spot, f.followed_up, f.follow_ups_closed, f.follow_ups_overdue) == (4, 2, 1, 1, 0)
    assert f.satisfaction == pytest.approx(4.0)
    months = {m.month: m for m in f.months}
    assert len(months) == 12
    assert (months[date(2020, 3, 1)].held, months[date(2020, 4, 1)].cancelled, months[date(2020, 6, 1)].held) == (1, 1, 1)
    assert [(u.unit_id, u.held, u.cancelled) for u in f.by_unit] == [(w.branch.pk, 2, 1)]


def test_the_dialogue_totals_equal_the_programme_dashboard_s(w):
    programme = Programme.objects.get()
    summary = dashboard.programme_summary(programme=programme,
                                          sessions=dashboard.programme_figures(programme=programme))
    f = activity.dialogue_figures(start=START, end=END)
    assert (f.held, f.businesses, f.attendees, f.questions, f.answered_on_spot, f.followed_up) == (
        summary.held, summary.attended, summary.people, summary.questions, summary.answered, summary.follow_ups)
    assert f.satisfaction == pytest.approx(summary.satisfaction)


def test_a_period_keeps_only_its_own_sessions(w):
    march = activity.dialogue_figures(start=date(2020, 3, 1), end=date(2020, 3, 31))
    assert (march.held, march.cancelled, march.businesses, march.questions) == (1, 0, 2, 2)
    assert [m.month for m in march.months] == [date(2020, 3, 1)]


def test_the_unit_filter_keeps_only_the_units_programmes(w):
    assert activity.dialogue_figures(start=START, end=END, unit_ids=[w.other.pk]).held == 0
    assert activity.dialogue_figures(start=START, end=END, unit_ids=[w.branch.pk]).held == 2


def test_the_dialogue_figures_take_the_same_queries_whatever_the_number_of_sessions(w):
    with CaptureQueriesContext(connection) as one_programme:
        activity.dialogue_figures(start=START, end=END)
    add_dialogue(w)  # a second programme of the branch, its sessions and their records
    with CaptureQueriesContext(connection) as two_programmes:
        f = activity.dialogue_figures(start=START, end=END)
    assert f.held == 4
    assert len(two_programmes) == len(one_programme) <= 8


# --- prices ----------------------------------------------------------------------------------------

def test_it_counts_the_commitments_in_force_kept_and_broken(w):
    f = activity.price_figures(start=START, end=END)
    assert (f.in_force, f.kept, f.broken, f.broken_before, f.operators, f.facilities) == (2, 1, 1, 0, 2, 2)
    [breach] = f.breaches
    assert (breach.found_on, breach.operator, breach.facilities, breach.services_raised) == (
        date(2020, 8, 20), "Cảng Phú Hữu", "Cảng Phú Hữu Thử", 1)


def test_a_commitment_broken_after_the_period_was_kept_in_it(w):
    f = activity.price_figures(start=date(2020, 1, 1), end=date(2020, 7, 31))
    assert (f.in_force, f.kept, f.broken, f.breaches) == (2, 2, 0, [])


def test_a_commitment_broken_before_the_period_is_neither_kept_nor_broken_in_it(w):
    f = activity.price_figures(start=date(2020, 10, 1), end=date(2020, 12, 31))
    assert (f.in_force, f.kept, f.broken, f.broken_before) == (2, 1, 0, 1)


def test_the_commitments_of_a_unit_are_those_of_its_facilities(w):
    f = activity.price_figures(start=START, end=END, unit_ids=[w.other.pk])
    assert (f.in_force, f.kept, f.broken, f.facilities) == (1, 0, 1, 1)
    assert [(u.unit_id, u.in_force, u.broken) for u in f.by_unit] == [(w.other.pk, 1, 1)]
    assert activity.price_figures(start=date(2021, 1, 1), end=date(2021, 12, 31)).in_force == 0


# --- directives ------------------------------------------------------------------------------------

def test_it_counts_the_directives_and_where_the_units_stand(w):
    f = activity.directive_figures(start=START, end=END, now=NOW)
    assert (f.issued, f.recipients, f.acknowledged, f.acknowledged_on_time, f.acknowledgement_overdue) == (2, 4, 3, 2, 1)
    assert (f.reports_due, f.reports_received, f.reports_on_time, f.reports_overdue) == (2, 1, 1, 1)
    by_unit = {u.unit_id: u for u in f.by_unit}
    assert (by_unit[w.branch.pk].acknowledged_on_time, by_unit[w.other.pk].acknowledgement_overdue) == (2, 1)


def test_an_acknowledgement_not_yet_due_is_not_overdue(w):
    before_the_deadline = datetime(2020, 7, 28, 20, tzinfo=TIMEZONE)
    f = activity.directive_figures(start=START, end=END, now=before_the_deadline)
    assert f.acknowledgement_overdue == 0
    assert f.reports_overdue == 1  # the April report was due before


def test_the_directives_of_a_unit_are_those_sent_to_it(w):
    f = activity.directive_figures(start=START, end=END, unit_ids=[w.branch.pk], now=NOW)
    assert (f.issued, f.recipients, f.acknowledged, f.acknowledgement_overdue, f.reports_received) == (2, 2, 2, 0, 1)
    assert activity.directive_figures(start=date(2020, 4, 1), end=date(2020, 6, 30), now=NOW).issued == 0
