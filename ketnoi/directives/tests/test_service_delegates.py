"""delegate_add / delegate_remove: a unit's leader names the officers of the unit who may
acknowledge directives and file reports for it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.directives import services
from ketnoi.directives.models import Delegate
from ketnoi.testing import make_user

from .service_helpers import (  # noqa: F401  (fixtures)
    audit, clock, counts, fresh, issue, mail_to, recipient, w,
)

pytestmark = pytest.mark.django_db


def add(w, user=None, unit=None, by=None):
    return services.delegate_add(unit=unit or w.branch, user=user or w.officer, by=by or w.leader)


def test_a_leader_names_an_officer_of_the_unit(w):
    delegate = add(w)
    stored = fresh(delegate)
    assert (stored.unit, stored.user, stored.granted_by) == (w.branch, w.officer, w.leader)


def test_naming_is_audited(w):
    delegate = add(w)
    (event,) = audit("directive.delegate_added", delegate)
    assert event.actor == w.leader and event.after["user"] == w.officer.pk and event.after["unit"] == w.branch.pk


def test_naming_twice_keeps_one_delegate_and_one_audit_event(w):
    first = add(w)
    second = add(w, by=w.deputy)
    assert first.pk == second.pk and Delegate.objects.count() == 1
    assert fresh(second).granted_by == w.leader
    assert len(audit("directive.delegate_added")) == 1


def test_a_unit_may_have_several_delegates(w):
    add(w, user=w.officer)
    add(w, user=w.officer2, by=w.deputy)
    assert set(Delegate.objects.filter(unit=w.branch).values_list("user_id", flat=True)) == {w.officer.pk, w.officer2.pk}


@pytest.mark.parametrize("who", ["officer_b2", "team_officer", "leader", "leader2", "coordinator", "business", "nobody"])
def test_only_an_officer_of_the_unit_can_be_named(w, who):
    user = getattr(w, who)
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        add(w, user=user, by=w.deputy if who == "leader" else w.leader)
    assert caught.value.message_dict == {"user": [f"{user} is not an officer of 02CI Saigon Port Zone I Customs Branch."]}
    assert counts() == before


@pytest.mark.parametrize("who", ["officer", "officer2", "leader2", "team_leader", "coordinator", "business",
                                 "operator", "party", "admin", "nobody"])
def test_only_a_leader_of_the_unit_names_delegates(w, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        add(w, by=getattr(w, who))
    assert counts() == before


@pytest.mark.parametrize("by", [None, AnonymousUser()])
def test_anonymous_names_nobody(w, by):
    with pytest.raises(PermissionDenied):
        services.delegate_add(unit=w.branch, user=w.officer, by=by)


def test_a_delegate_cannot_name_another(w):
    add(w)
    with pytest.raises(PermissionDenied):
        add(w, user=w.officer2, by=w.officer)


def test_the_leader_of_a_team_does_not_name_delegates_for_its_branch(w):
    with pytest.raises(PermissionDenied):
        add(w, by=w.team_leader)


def test_a_delegate_acts_for_the_unit_and_is_told_of_its_directives(w, commit):
    add(w)
    with commit():
        directive = issue(w, target="units", target_units=[w.branch], ack_within_hours=8)
    assert len(mail_to(w.officer)) == 1 and mail_to(w.officer2) == []
    services.directive_acknowledge(directive=directive, unit=w.branch, by=w.officer)
    services.directive_report(directive=directive, unit=w.branch, text="Đã triển khai.", by=w.officer)
    stored = recipient(directive, w.branch)
    assert stored.acknowledged_by == w.officer and stored.reported_by == w.officer


# --- removing ----------------------------------------------------------------------------------

def test_a_leader_removes_a_delegate(w):
    delegate = add(w)
    pk = delegate.pk
    services.delegate_remove(delegate=delegate, by=w.deputy)
    assert not Delegate.objects.exists()
    (event,) = audit("directive.delegate_removed")
    assert event.object_id == str(pk)
    assert event.actor == w.deputy and event.before["user"] == w.officer.pk


def test_a_removed_delegate_no_longer_acts_nor_is_told(w, commit):
    delegate = add(w)
    services.delegate_remove(delegate=delegate, by=w.leader)
    with commit():
        directive = issue(w, target="units", target_units=[w.branch])
    assert mail_to(w.officer) == []
    with pytest.raises(PermissionDenied):
        services.directive_acknowledge(directive=directive, unit=w.branch, by=fresh(w.officer))


@pytest.mark.parametrize("who", ["officer", "officer2", "leader2", "team_leader", "coordinator", "admin", "party", "nobody"])
def test_only_a_leader_of_the_unit_removes_delegates(w, who):
    delegate = add(w)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.delegate_remove(delegate=delegate, by=getattr(w, who))
    assert counts() == before and Delegate.objects.filter(pk=delegate.pk).exists()


def test_a_leader_who_lost_the_role_cannot_name_or_remove(w):
    delegate = add(w)
    w.deputy.role_assignments.filter(role=Role.LEADER).delete()
    deputy = fresh(w.deputy)
    with pytest.raises(PermissionDenied):
        services.delegate_remove(delegate=delegate, by=deputy)
    with pytest.raises(PermissionDenied):
        add(w, user=w.officer2, by=deputy)


def test_a_deactivated_delegate_is_not_told(w, commit):
    helper = make_user(Role.OFFICER, unit=w.branch2)
    services.delegate_add(unit=w.branch2, user=helper, by=w.leader2)
    helper.is_active = False
    helper.save()
    with commit():
        issue(w, target="units", target_units=[w.branch2])
    assert mail_to(helper) == [] and len(mail_to(w.leader2)) == 1
