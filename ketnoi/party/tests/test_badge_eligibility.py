"""badge_eligibility: the members proposed for a badge on a day, set-based, equal to the rule
applied member by member (lib.badges.badge_due and early_window)."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.exceptions import PermissionDenied

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.lib import badges as rules
from ketnoi.lib.party_age import add_months
from ketnoi.lib.party_org import Kind
from ketnoi.party.awards import DECEASED_LOOKBACK_MONTHS, badge_eligibility
from ketnoi.party.models import BadgeAward, Member
from ketnoi.testing import make_user

from .helpers import build_register, make_member, make_organisation, make_party_office

REASONS = ["expelled", "removed", "lost_contact", "transfer"]


def _award(member, threshold, on=date(2000, 1, 1)):
    BadgeAward.objects.create(member=member, threshold=threshold, decision_number=f"{member.pk}-QĐ/ĐU",
                              decided_on=on, occasion=on)


def _population(seed: int, organisations, size: int = 160):
    """Members admitted 1940-2000 (29 February among them), ~15 % with gaps, some seriously
    ill, deceased (recently and long ago), transferred out, holding lower or higher badges."""
    rng = random.Random(seed)
    members = []
    for n in range(size):
        if n % 23 == 0:
            admitted = date(rng.choice([1948, 1952, 1956, 1960, 1964, 1972, 1976, 1984, 1992, 1996]), 2, 29)
        else:
            admitted = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
        gaps = []
        if rng.random() < 0.15:
            start = admitted + timedelta(days=rng.randrange(30, 20 * 365))
            end = None if rng.random() < 0.1 else start + timedelta(days=rng.randrange(10, 8 * 365))
            reason = rng.choice(REASONS)
            gaps.append((start, end, reason, reason in ("expelled", "removed") and end is not None
                         and rng.random() < 0.2))
            if end is not None and rng.random() < 0.3:
                second = end + timedelta(days=rng.randrange(100, 3000))
                gaps.append((second, second + timedelta(days=rng.randrange(1, 400)), "transfer"))
        status = rng.choices([Member.Status.ACTIVE, Member.Status.DECEASED, Member.Status.TRANSFERRED_OUT],
                             weights=[85, 10, 5])[0]
        died_on = None
        if status == Member.Status.DECEASED:
            died_on = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 6 * 365))
        member = make_member(organisation=rng.choice(organisations), admitted=admitted, gaps=gaps, status=status,
                             died_on=died_on, seriously_ill=rng.random() < 0.08)
        for threshold in rng.sample(rules.THRESHOLDS, k=rng.choice([0, 0, 1, 1, 2])):
            _award(member, threshold)
        members.append(member)
    return members


def _one_by_one(on: date) -> set[tuple]:
    """The rule applied to every member in Python: the reference."""
    expected = set()
    for member in Member.objects.prefetch_related("gaps", "badges"):
        if member.status == Member.Status.DECEASED:
            if member.died_on is None or member.died_on < add_months(on, -DECEASED_LOOKBACK_MONTHS):
                continue
            died_on = member.died_on
        elif member.status == Member.Status.ACTIVE:
            died_on = None
        else:
            continue
        gaps = [gap.as_rule() for gap in member.gaps.all()]
        held = [badge.threshold for badge in member.badges.all()]
        due = rules.badge_due(admitted_on=member.admitted_on, gaps=gaps, on=on, held=held, died_on=died_on)
        if due is not None:
            expected.add((member.pk, due, ""))
        early = rules.early_window(admitted_on=member.admitted_on, gaps=gaps, on=on, held=held,
                                   seriously_ill=member.seriously_ill, died_on=died_on)
        if early is not None:
            expected.add((member.pk, early.threshold, str(early.ground)))
    return expected


@pytest.mark.parametrize("seed", [1, 2])
def test_it_equals_the_rule_applied_member_by_member(db, seed):
    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    organisations = [make_organisation(parent=committee) for _ in range(4)]
    _population(seed, organisations)
    # The 45-year rule's edges: 50 years on 25/7/2016, just under; a higher badge held.
    make_member(organisation=organisations[0], admitted=date(1966, 7, 25))
    make_member(organisation=organisations[0], admitted=date(1966, 7, 26))
    _award(make_member(organisation=organisations[1], admitted=date(1975, 1, 1)), 50)
    # Both ways of deciding a member with gaps are exercised: in SQL by a delay, and one by one.
    assert Member.objects.filter(has_gaps=True, badge_delay_months__gt=0).count() > 5
    assert Member.objects.filter(has_gaps=True, badge_delay_months__isnull=True).count() > 2
    p = principal_for(make_party_office())
    occasions = [date(2016, 7, 25), date(2021, 1, 19), date(2024, 2, 29), date(2025, 2, 28)] + rules.occasions(2026)
    for on in occasions:
        found = {(row.member_id, row.threshold, row.early_ground) for row in badge_eligibility(p, on=on)}
        assert found == _one_by_one(on), on
    assert any(row.early_ground for on in occasions for row in badge_eligibility(p, on=on))


def test_it_runs_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    _population(3, [make_organisation(parent=committee)], size=80)
    p = principal_for(make_party_office())
    with django_assert_max_num_queries(6):  # one set query, the exact few with their gaps and badges
        rows = badge_eligibility(p, on=date(2026, 2, 3))
    assert rows


def test_it_proposes_the_highest_threshold_reached_with_its_cash_gift(db):
    cell = make_organisation()
    member = make_member(organisation=cell, full_name="Nguyễn Văn Hùng", admitted=date(1991, 2, 3))
    make_member(organisation=cell, admitted=date(1991, 2, 4))  # one day short on 3/2/2021
    [row] = badge_eligibility(principal_for(make_party_office()), on=date(2021, 2, 3))
    assert (row.member_id, row.threshold, row.reaches_on) == (member.pk, 30, date(2021, 2, 3))
    assert row.gift_amount == 2_235_000  # 1.5 × 1.490.000 ₫ (Nghị định 38/2019)
    assert row.early_ground == ""


def test_it_leaves_out_a_member_holding_that_badge_or_a_higher_one(db):
    cell = make_organisation()
    _award(make_member(organisation=cell, admitted=date(1981, 1, 1)), 40)
    _award(make_member(organisation=cell, admitted=date(1981, 1, 1)), 45)
    assert badge_eligibility(principal_for(make_party_office()), on=date(2021, 2, 3)) == []


def test_it_applies_the_45_year_transitional_rule(db):
    cell = make_organisation()
    had_fifty = make_member(organisation=cell, admitted=date(1966, 7, 1))
    _award(had_fifty, 50)
    under_fifty = make_member(organisation=cell, admitted=date(1971, 2, 3))
    _award(under_fifty, 40)
    rows = badge_eligibility(principal_for(make_party_office()), on=date(2016, 9, 2))
    assert [(row.member_id, row.threshold) for row in rows] == [(under_fifty.pk, 45)]


def test_it_counts_party_age_without_the_gaps(db):
    cell = make_organisation()
    member = make_member(organisation=cell, admitted=date(1990, 1, 1),
                         gaps=[(date(2000, 1, 1), date(2001, 1, 1), "lost_contact")])
    p = principal_for(make_party_office())
    assert badge_eligibility(p, on=date(2020, 2, 3)) == []
    [row] = badge_eligibility(p, on=date(2021, 2, 3))
    assert (row.member_id, row.threshold, row.reaches_on) == (member.pk, 30, date(2021, 1, 1))


def test_it_flags_the_early_windows(db):
    cell = make_organisation()
    ill = make_member(organisation=cell, admitted=date(1946, 6, 1), seriously_ill=True)
    _award(ill, 70)
    died = make_member(organisation=cell, admitted=date(1991, 8, 1), status=Member.Status.DECEASED,
                       died_on=date(2020, 12, 1))
    long_dead = make_member(organisation=cell, admitted=date(1961, 1, 1), status=Member.Status.DECEASED,
                            died_on=date(2001, 2, 3))
    rows = {row.member_id: row for row in badge_eligibility(principal_for(make_party_office()), on=date(2021, 2, 3))}
    assert (rows[ill.pk].threshold, rows[ill.pk].early_ground, rows[ill.pk].months_early) == (75, "ill", 4)
    assert (rows[died.pk].threshold, rows[died.pk].early_ground, rows[died.pk].months_early) == (30, "posthumous", 8)
    assert long_dead.pk not in rows


def test_it_shows_a_secretary_their_organisations_only(db):
    r = build_register()
    on = date(2021, 2, 3)
    assert {row.member_id for row in badge_eligibility(principal_for(r.office), on=on)} == {
        r.cat_lai_members[0].pk, r.high_tech_members[0].pk}
    assert [row.member_id for row in badge_eligibility(principal_for(r.cat_lai_secretary), on=on)] == [
        r.cat_lai_members[0].pk]


def test_it_filters_an_organisation_with_those_below_it(db):
    r = build_register()
    veteran = make_member(organisation=r.cat_lai_cell, admitted=date(1980, 5, 19))
    rows = badge_eligibility(principal_for(r.office), on=date(2021, 2, 3), organisation=r.cat_lai)
    assert {row.member_id for row in rows} == {r.cat_lai_members[0].pk, veteran.pk}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.COORDINATOR, Role.ADMIN, Role.BUSINESS])
def test_it_refuses_everyone_else(db, role):
    build_register()
    with pytest.raises(PermissionDenied):
        badge_eligibility(principal_for(make_user(role)), on=date(2021, 2, 3))


def test_it_reads_the_exact_few_in_the_same_queries_however_many_they_are(db):
    # Tens of thousands at national scale: their gaps and badges by a subquery, never by lists of ids.
    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    organisations = [make_organisation(parent=committee) for _ in range(2)]
    p = principal_for(make_party_office())
    on = date(2026, 2, 3)
    counted = []
    for seed in (4, 5):
        _population(seed, organisations, size=80)
        with CaptureQueriesContext(connection) as queries:
            found = {(row.member_id, row.threshold, row.early_ground) for row in badge_eligibility(p, on=on)}
        assert found == _one_by_one(on)
        counted.append(len(queries))
    assert counted[0] == counted[1]


@pytest.mark.sqlite  # PostgreSQL's planner proves a partial index's condition from bound values
def test_sqlite_reads_both_queries_from_their_partial_indexes(db):
    """SQLite uses a partial index only when the query repeats its condition literally (a
    national register: 45 s instead of 14 s when the exact few's query did not); with the
    statistics `ketnoi tick` keeps."""
    from ketnoi.front.maintenance import refresh_query_statistics

    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    _population(4, [make_organisation(parent=committee)], size=40)
    refresh_query_statistics()
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        badge_eligibility(principal_for(make_party_office()), on=date(2026, 2, 3))
    plans = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if sql.startswith("SELECT") and 'FROM "party_member"' in sql:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plans.append(" ".join(str(row[-1]) for row in cursor.fetchall()))
    assert any("INDEX member_next_badge_key" in plan for plan in plans), plans
    assert any("INDEX member_badge_one_by_one" in plan for plan in plans), plans
