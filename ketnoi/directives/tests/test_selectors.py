"""The reads of directives: what is in force on a day for a unit, what changed since the day
before, the difference between two versions, the follow-up matrix and what awaits acknowledgement."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from ketnoi.directives import selectors, services
from ketnoi.directives.models import Directive
from ketnoi.lib.textdiff import ADDED, REMOVED

from .service_helpers import at, clock, fresh, issue, replace, w  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY = (date(2026, 3, d) for d in (8, 9, 10, 11, 12))


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def chain(w, clock):
    """125 issued Monday 09:00 in force that day; 126 replaces it, issued Tuesday 15:00 to take
    effect Wednesday; 127 replaces that, issued and in force Thursday, until Sunday 15/03."""
    v1 = issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"])
    clock.set(2026, 3, 10, 15)
    v2 = replace(w, v1, number="126/HQHCM-VP", effective_from=WEDNESDAY,
                 body=v1.body.replace("07 giờ 30", "08 giờ 00"))
    clock.set(2026, 3, 12, 9)
    v3 = replace(w, v2, number="127/HQHCM-VP", effective_from=THURSDAY, effective_to=date(2026, 3, 15))
    return [fresh(v1), fresh(v2), fresh(v3)]


# --- in force ------------------------------------------------------------------------------------

def test_one_version_of_a_chain_is_in_force_each_day(chain):
    v1, v2, v3 = chain
    assert ids(selectors.in_force(day=SUNDAY)) == set()
    assert ids(selectors.in_force(day=MONDAY)) == {v1.pk}
    assert ids(selectors.in_force(day=TUESDAY)) == {v1.pk}  # the new version was issued, not yet in effect
    assert ids(selectors.in_force(day=WEDNESDAY)) == {v2.pk}
    assert ids(selectors.in_force(day=THURSDAY)) == {v3.pk}
    assert ids(selectors.in_force(day=date(2026, 3, 15))) == {v3.pk}  # its last day
    assert ids(selectors.in_force(day=date(2026, 3, 16))) == set()


def test_the_model_says_the_same_as_the_query(chain):
    for offset in range(-2, 12):
        day = SUNDAY + timedelta(days=offset)
        in_force = ids(selectors.in_force(day=day))
        assert {d.pk for d in chain if d.in_force_on(day)} == in_force, day


def test_a_version_issued_today_to_take_effect_tomorrow_leaves_today_s_in_force(w, clock):
    old = issue(w, number="125/HQHCM-VP")
    clock.set(2026, 3, 9, 17)
    new = replace(w, old, number="126/HQHCM-VP", effective_from=TUESDAY)
    assert ids(selectors.in_force(day=MONDAY)) == {old.pk}
    assert ids(selectors.in_force(day=TUESDAY)) == {new.pk}


def test_a_directive_taking_effect_later_is_not_in_force_yet(w):
    later = issue(w, effective_from=date(2026, 4, 1))
    assert ids(selectors.in_force(day=MONDAY)) == set()
    assert ids(selectors.in_force(day=date(2026, 4, 1))) == {later.pk}


def test_several_chains_are_in_force_together(w, chain):
    other = issue(w, number="130/HQHCM-VP", effective_from=THURSDAY)
    assert ids(selectors.in_force(day=THURSDAY)) == {chain[2].pk, other.pk}


def test_a_unit_sees_what_was_sent_to_it(w, clock):
    to_branch = issue(w, target="units", target_units=[w.branch])
    to_both = issue(w, target="kinds", target_kinds=["branch"])
    to_division = issue(w, target="units", target_units=[w.division])
    assert ids(selectors.in_force(day=MONDAY, units=[w.branch])) == {to_branch.pk, to_both.pk}
    assert ids(selectors.in_force(day=MONDAY, units=[w.branch2])) == {to_both.pk}
    assert ids(selectors.in_force(day=MONDAY, units=[w.division.pk])) == {to_division.pk}  # ids will do
    assert ids(selectors.in_force(day=MONDAY, units=[w.branch2, w.division])) == {to_both.pk, to_division.pk}
    assert ids(selectors.in_force(day=MONDAY, units=[])) == set()
    assert ids(selectors.in_force(day=MONDAY)) == {to_branch.pk, to_both.pk, to_division.pk}


def test_a_team_works_under_its_branch_s_directives_and_the_department_s(w):
    to_branch = issue(w, target="units", target_units=[w.branch])
    to_department = issue(w, target="units", target_units=[w.department])
    to_team = issue(w, target="units", target_units=[w.team])
    issue(w, target="units", target_units=[w.branch2])
    assert ids(selectors.in_force(day=MONDAY, units=[w.team])) == {to_branch.pk, to_department.pk, to_team.pk}
    # Not the other way: the branch does not see what was sent to one of its teams.
    assert ids(selectors.in_force(day=MONDAY, units=[w.branch])) == {to_branch.pk, to_department.pk}


def test_a_chain_is_in_force_for_a_unit_only_in_the_versions_sent_to_it(w, clock):
    old = issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"])
    clock.set(2026, 3, 10, 8)
    new = replace(w, old, number="126/HQHCM-VP", effective_from=TUESDAY, target="units", target_units=[w.branch])
    assert ids(selectors.in_force(day=TUESDAY, units=[w.branch])) == {new.pk}
    # The second branch is no longer among the recipients: the chain has ended for it.
    assert ids(selectors.in_force(day=TUESDAY, units=[w.branch2])) == set()
    assert ids(selectors.in_force(day=MONDAY, units=[w.branch2])) == {old.pk}


def test_in_force_narrows_the_queryset_given(w):
    urgent = issue(w, urgency="immediate")
    issue(w)
    qs = Directive.objects.filter(urgency="immediate")
    assert ids(selectors.in_force(day=MONDAY, qs=qs)) == {urgent.pk}


def test_in_force_as_it_stood_at_a_moment(w, clock):
    clock.set(2026, 3, 9, 6)
    old = issue(w, number="125/HQHCM-VP")
    clock.set(2026, 3, 9, 10)
    new = replace(w, old, number="126/HQHCM-VP")  # in force from Monday too
    later = issue(w, number="127/HQHCM-VP")
    assert ids(selectors.in_force(day=MONDAY)) == {new.pk, later.pk}
    assert ids(selectors.in_force(day=MONDAY, known_at=at(2026, 3, 9, 7))) == {old.pk}
    assert ids(selectors.in_force(day=MONDAY, known_at=at(2026, 3, 9, 10))) == {old.pk}  # issued at 10:00, not before
    assert ids(selectors.in_force(day=MONDAY, known_at=at(2026, 3, 9, 10, 0, 1))) == {new.pk, later.pk}
    assert ids(selectors.in_force(day=MONDAY, known_at=at(2026, 3, 9, 5))) == set()


# --- what changed ---------------------------------------------------------------------------------

def test_changes_say_what_came_into_force_was_replaced_and_ended(chain):
    v1, v2, v3 = chain
    monday = selectors.changes_for(unit=None, day=MONDAY)
    assert (monday.added, monday.replaced, monday.ended) == ([v1], [], [])
    assert not selectors.changes_for(unit=None, day=TUESDAY)
    wednesday = selectors.changes_for(unit=None, day=WEDNESDAY)
    assert (wednesday.added, wednesday.replaced, wednesday.ended) == ([], [(v1, v2)], [])
    assert selectors.changes_for(unit=None, day=THURSDAY).replaced == [(v2, v3)]
    ended = selectors.changes_for(unit=None, day=date(2026, 3, 16))
    assert (ended.added, ended.replaced, ended.ended) == ([], [], [v3])
    assert ended.day == date(2026, 3, 16) and bool(ended)


def test_changes_since_a_moment_count_what_was_issued_after_it(w, clock):
    clock.set(2026, 3, 9, 6)
    replaced = issue(w, number="125/HQHCM-VP", target="units", target_units=[w.branch])
    clock.set(2026, 3, 9, 10)
    same_day = issue(w, number="126/HQHCM-VP", target="units", target_units=[w.branch])
    replacement = replace(w, replaced, number="127/HQHCM-VP")
    plain = selectors.changes_for(unit=w.branch, day=TUESDAY)
    assert not plain  # Monday and Tuesday hold the same versions, as known now
    since = selectors.changes_for(unit=w.branch, day=TUESDAY, since=at(2026, 3, 9, 7))
    assert since.added == [same_day] and since.replaced == [(fresh(replaced), replacement)] and since.ended == []


def test_changes_are_those_of_the_unit(w, chain):
    issue(w, number="130/HQHCM-VP", target="units", target_units=[w.division], effective_from=WEDNESDAY,
          issued_at=at(2026, 3, 10, 9))
    assert [d.number for d in selectors.changes_for(unit=w.division, day=WEDNESDAY).added] == ["130/HQHCM-VP"]
    branch = selectors.changes_for(unit=w.branch, day=WEDNESDAY)
    assert branch.added == [] and branch.replaced == [(chain[0], chain[1])]
    team = selectors.changes_for(unit=w.team, day=WEDNESDAY)  # the branch's directives
    assert team.replaced == [(chain[0], chain[1])]


def test_a_quiet_day_has_no_changes(w, chain):
    quiet = selectors.changes_for(unit=w.branch2, day=TUESDAY)
    assert not quiet and quiet.added == quiet.replaced == quiet.ended == []


def test_changes_narrow_the_queryset_given(w, chain):
    other = issue(w, number="130/HQHCM-VP", effective_from=WEDNESDAY, urgency="urgent", issued_at=at(2026, 3, 10, 9))
    changes = selectors.changes_for(unit=None, day=WEDNESDAY, qs=Directive.objects.filter(urgency="urgent"))
    assert (changes.added, changes.replaced) == ([other], [])


def test_a_unit_dropped_from_a_new_version_sees_the_chain_end(w, clock):
    old = issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"])
    clock.set(2026, 3, 10, 8)
    replace(w, old, number="126/HQHCM-VP", effective_from=TUESDAY, target="units", target_units=[w.branch])
    assert selectors.changes_for(unit=w.branch2, day=TUESDAY).ended == [fresh(old)]


# --- versions and compare ---------------------------------------------------------------------------

def test_versions_of_a_chain_in_order_from_any_of_them(chain):
    for version in chain:
        assert selectors.versions(version) == chain


def test_latest_versions_leave_out_those_replaced(w, chain):
    single = issue(w)
    assert ids(selectors.latest_versions(Directive.objects.all())) == {chain[2].pk, single.pk}


def test_compare_shows_the_particulars_that_changed_and_the_text(w, clock):
    old = issue(w, number="125/HQHCM-VP", target="units", target_units=[w.branch, w.branch2], ack_within_hours=4)
    clock.set(2026, 3, 10, 8)
    new = replace(w, old, number="126/HQHCM-VP", effective_from=TUESDAY, effective_to=date(2026, 3, 31),
                  urgency="immediate", ack_within_hours=None, report_due=date(2026, 3, 13),
                  target="units", target_units=[w.branch, w.division],
                  body=old.body.replace("từ 07 giờ 30", "từ 08 giờ 00"))
    with translation.override("en"):
        particulars, paragraphs = selectors.compare(fresh(old), fresh(new))
    assert [(c.label, c.before, c.after) for c in particulars] == [
        ("Number", "125/HQHCM-VP", "126/HQHCM-VP"),
        ("In force", "09/03/2026", "10/03/2026 – 31/03/2026"),
        ("Urgency", "Normal", "Immediate"),
        ("Acknowledge within", "4 hours", "—"),
        ("Implementation report due", "—", "13/03/2026"),
        ("Sent to", "Tan Son Nhat Airport Customs Branch, Saigon Port Zone I Customs Branch",
         "Supervision Division, Saigon Port Zone I Customs Branch"),
    ]
    assert [p.status for p in paragraphs] == ["same", "changed", "same"]
    changed = paragraphs[1].pieces
    assert (REMOVED, "07") in changed and (ADDED, "08") in changed


def test_two_identical_versions_compare_equal_but_for_the_number(w):
    old = issue(w, number="125/HQHCM-VP")
    new = replace(w, old, number="126/HQHCM-VP")
    particulars, paragraphs = selectors.compare(fresh(old), fresh(new))
    assert [c.before for c in particulars] == ["125/HQHCM-VP"]
    assert {p.status for p in paragraphs} == {"same"}


# --- the matrix -------------------------------------------------------------------------------------

def test_the_matrix_shows_each_unit_s_acknowledgement_and_report(w, clock):
    asked = issue(w, number="125/HQHCM-VP", ack_within_hours=4, report_due=date(2026, 3, 13))
    clock.set(2026, 3, 14, 9)  # the moments below are entered afterwards
    services.directive_acknowledge(directive=asked, unit=w.branch, by=w.leader, at=at(2026, 3, 9, 12))
    services.directive_acknowledge(directive=asked, unit=w.branch2, by=w.leader2, at=at(2026, 3, 9, 14))
    services.directive_report(directive=asked, unit=w.branch, text="Đã triển khai.", by=w.leader, at=at(2026, 3, 14, 8))
    free = issue(w, number="126/HQHCM-VP", target="units", target_units=[w.branch])

    def statuses(now):
        matrix = selectors.matrix(directives=[asked, free], now=now)
        return {(d, u): (c.acknowledgement, c.report) for (d, u), c in matrix.cells.items()}, matrix

    cells, matrix = statuses(at(2026, 3, 9, 12, 30))
    assert cells == {
        (asked.pk, w.branch.pk): ("on_time", "late"),
        (asked.pk, w.branch2.pk): ("late", "pending"),
        (asked.pk, w.division.pk): ("pending", "pending"),
        (free.pk, w.branch.pk): ("not_required", "not_required"),
    }
    cells, matrix = statuses(at(2026, 3, 14, 9))
    assert cells[(asked.pk, w.division.pk)] == ("overdue", "overdue")
    assert cells[(asked.pk, w.branch2.pk)] == ("late", "overdue")
    assert matrix.late == 3


def test_the_matrix_lists_branches_first_and_leaves_a_gap_where_nothing_was_sent(w):
    to_all = issue(w)
    to_branch2 = issue(w, target="units", target_units=[w.branch2])
    matrix = selectors.matrix(directives=[to_all, to_branch2])
    assert matrix.units == [w.branch2, w.branch, w.division]  # by kind, then office code
    assert [cell is None for cell in matrix.row(to_branch2)] == [False, True, True]
    assert [cell.recipient.unit for cell in matrix.row(to_all)] == [w.branch2, w.branch, w.division]
    assert matrix.directives == [to_all, to_branch2]


def test_the_matrix_of_nothing_is_empty(w):
    matrix = selectors.matrix(directives=[])
    assert matrix.units == [] and matrix.cells == {} and matrix.late == 0


# --- awaiting acknowledgement ------------------------------------------------------------------

def test_awaiting_are_the_unit_s_unacknowledged_latest_versions_soonest_first(w, clock):
    issue(w, number="125/HQHCM-VP", ack_within_hours=24)
    issue(w, number="126/HQHCM-VP", ack_within_hours=2)
    issue(w, number="127/HQHCM-VP")  # nothing to acknowledge
    done = issue(w, number="128/HQHCM-VP", ack_within_hours=1)
    services.directive_acknowledge(directive=done, unit=w.branch, by=w.leader)
    replaced = issue(w, number="129/HQHCM-VP", ack_within_hours=1)
    replacement = replace(w, replaced, number="130/HQHCM-VP", ack_within_hours=48)
    issue(w, number="131/HQHCM-VP", target="units", target_units=[w.branch2], ack_within_hours=1)
    awaiting = list(selectors.awaiting_acknowledgement(unit=w.branch))
    assert [r.directive.number for r in awaiting] == ["126/HQHCM-VP", "125/HQHCM-VP", "130/HQHCM-VP"]
    assert {r.unit_id for r in awaiting} == {w.branch.pk}
    assert replacement.pk in {r.directive_id for r in awaiting}


def test_escalated_but_unacknowledged_still_awaits(w, clock):
    directive = issue(w, ack_within_hours=1)
    clock.advance(hours=2)
    services.escalate_overdue(now=clock.now)
    assert [r.directive for r in selectors.awaiting_acknowledgement(unit=w.branch)] == [directive]
