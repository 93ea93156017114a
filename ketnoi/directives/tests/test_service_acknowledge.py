"""directive_acknowledge: a unit's leader, or an officer the leader named, acknowledges receipt
for the unit — once; nobody else may."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.directives import services
from ketnoi.directives.models import Delegate
from ketnoi.lib import directive_status
from ketnoi.testing import make_user

from .service_helpers import (  # noqa: F401  (fixtures)
    at, audit, clock, counts, fresh, issue, recipient, replace, w,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directive(w):
    """Sent to the two branches on Monday 09/03/2026 09:00, to acknowledge within 4 hours."""
    return issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"], ack_within_hours=4)


def acknowledge(directive, unit, by, **kwargs):
    return services.directive_acknowledge(directive=directive, unit=unit, by=by, **kwargs)


def test_the_leader_acknowledges_for_the_unit(w, clock, directive):
    clock.set(2026, 3, 9, 10, 15)
    result = acknowledge(directive, w.branch, w.leader)
    stored = recipient(directive, w.branch)
    assert result.pk == stored.pk
    assert stored.acknowledged_at == at(2026, 3, 9, 10, 15) and stored.acknowledged_by == w.leader
    assert recipient(directive, w.branch2).acknowledged_at is None  # the other branch has not


def test_a_deputy_leader_acknowledges_too(w, directive):
    assert acknowledge(directive, w.branch, w.deputy).acknowledged_by == w.deputy


def test_the_moment_may_be_given(w, clock, directive):
    clock.set(2026, 3, 9, 14)
    acknowledge(directive, w.branch, w.leader, at=at(2026, 3, 9, 12, 59))
    assert recipient(directive, w.branch).acknowledged_at == at(2026, 3, 9, 12, 59)


def test_acknowledging_at_the_deadline_is_on_time_and_after_it_is_late(w, clock, directive):
    clock.set(2026, 3, 10, 9)
    acknowledge(directive, w.branch, w.leader, at=at(2026, 3, 9, 13))
    acknowledge(directive, w.branch2, w.leader2, at=at(2026, 3, 9, 13, 0, 1))
    now = at(2026, 3, 10, 9)
    statuses = {r.unit_id: directive_status.acknowledgement(due_at=r.ack_due_at, acknowledged_at=r.acknowledged_at, now=now)
                for r in directive.recipients.all()}
    assert statuses == {w.branch.pk: "on_time", w.branch2.pk: "late"}


def test_a_second_acknowledgement_changes_nothing(w, clock, directive):
    acknowledge(directive, w.branch, w.leader)
    clock.advance(hours=2)
    before = counts()
    again = acknowledge(directive, w.branch, w.deputy)
    assert again.acknowledged_by == w.leader and again.acknowledged_at == at(2026, 3, 9, 9)
    assert fresh(again).acknowledged_by == w.leader
    assert counts() == before and len(audit("directive.acknowledged")) == 1


def test_it_is_audited(w, directive):
    rec = acknowledge(directive, w.branch, w.leader)
    (event,) = audit("directive.acknowledged", rec)
    assert event.actor == w.leader
    assert event.before["acknowledged_at"] is None and event.after["acknowledged_by"] == w.leader.pk


def test_a_delegate_acknowledges_for_the_unit(w, directive):
    Delegate.objects.create(unit=w.branch, user=w.officer, granted_by=w.leader)
    assert acknowledge(directive, w.branch, w.officer).acknowledged_by == w.officer


def test_a_delegate_acknowledges_only_for_the_unit_named(w, directive):
    Delegate.objects.create(unit=w.branch, user=w.officer, granted_by=w.leader)
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch2, w.officer)


def test_a_delegate_no_longer_an_officer_of_the_unit_may_not(w, directive):
    Delegate.objects.create(unit=w.branch, user=w.officer, granted_by=w.leader)
    w.officer.role_assignments.filter(role=Role.OFFICER, unit=w.branch).delete()
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch, fresh(w.officer))


def test_a_delegate_removed_may_not(w, directive):
    delegate = services.delegate_add(unit=w.branch, user=w.officer, by=w.leader)
    services.delegate_remove(delegate=delegate, by=w.leader)
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch, fresh(w.officer))


@pytest.mark.parametrize("who", ["officer", "officer2", "leader2", "team_leader", "team_officer", "division_leader",
                                 "coordinator", "business", "operator", "party", "admin", "nobody"])
def test_others_may_not_acknowledge_for_the_branch(w, directive, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch, getattr(w, who))
    assert counts() == before


@pytest.mark.parametrize("by", [None, AnonymousUser()])
def test_anonymous_may_not_acknowledge(w, directive, by):
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch, by)


def test_a_deactivated_leader_may_not(w, directive):
    away = make_user(Role.LEADER, unit=w.branch, is_active=False)
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.branch, away)


def test_a_unit_the_directive_was_not_sent_to_cannot_acknowledge_it(w, directive):
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        acknowledge(directive, w.division, w.division_leader)
    assert caught.value.message_dict == {"unit": ["This directive was not sent to Supervision Division."]}
    assert counts() == before


def test_a_team_does_not_acknowledge_what_was_sent_to_its_branch(w, directive):
    # The team works under it (selectors.in_force) but the branch is the recipient that answers.
    with pytest.raises(ValidationError):
        acknowledge(directive, w.team, w.team_leader)
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.team, w.leader)


def test_permission_is_checked_before_the_recipient(w, directive):
    with pytest.raises(PermissionDenied):
        acknowledge(directive, w.division, w.leader)


def test_each_version_is_acknowledged_on_its_own(w, clock, directive):
    acknowledge(directive, w.branch, w.leader)
    clock.advance(hours=1)
    second = replace(w, directive, number="126/HQHCM-VP")
    assert recipient(second, w.branch).acknowledged_at is None
    acknowledge(second, w.branch, w.deputy)
    assert recipient(second, w.branch).acknowledged_by == w.deputy
    assert recipient(directive, w.branch).acknowledged_by == w.leader


def test_an_acknowledgement_after_escalation_is_kept_with_the_escalation(w, clock, directive):
    clock.advance(hours=5)
    assert services.escalate_overdue(now=clock.now) == 2
    acknowledge(directive, w.branch, w.leader)
    stored = recipient(directive, w.branch)
    assert stored.escalated_at == at(2026, 3, 9, 14) and stored.acknowledged_at == at(2026, 3, 9, 14)
    assert stored.acknowledged_at - stored.ack_due_at == timedelta(hours=1)


@pytest.mark.parametrize("moment", [at(2026, 3, 9, 8, 59), at(2026, 3, 9, 9, 5, 1), at(2027, 1, 1)])
def test_an_acknowledgement_is_not_before_the_issue_nor_in_the_future(w, clock, directive, moment):
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        acknowledge(directive, w.branch, w.leader, at=moment)
    assert caught.value.message_dict == {"at": [
        "The moment must be between the issue of the directive (09:00 09/03/2026) and now."]}
    assert counts() == before


def test_an_acknowledgement_at_the_moment_of_issue_is_accepted(w, clock, directive):
    assert acknowledge(directive, w.branch, w.leader, at=at(2026, 3, 9, 9)).acknowledged_at == at(2026, 3, 9, 9)
