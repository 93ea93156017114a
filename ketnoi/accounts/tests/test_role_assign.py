import pytest
from django.core.exceptions import ValidationError

from ketnoi.accounts.models import RoleAssignment
from ketnoi.accounts.services import role_assign

from .helpers import actions, counts, make_user

pytestmark = pytest.mark.usefixtures("english")

NEEDS_UNIT = "An officer or unit leader belongs to a unit: choose one."
NEEDS_ENTERPRISE = "A business or operator user belongs to an enterprise: choose one."


@pytest.fixture
def person(db):
    return make_user("cb.nam", full_name="Đỗ Văn Nam")


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_it_assigns_a_unit_role(person, admin_user, unit, enterprise, role):
    assignment = role_assign(user=person, role=role, unit=unit, enterprise=enterprise, by=admin_user)
    assert (assignment.user, assignment.role, assignment.unit, assignment.enterprise) == (person, role, unit, None)
    assert RoleAssignment.objects.filter(user=person).count() == 1


@pytest.mark.parametrize("role", ["business", "operator"])
def test_it_assigns_an_enterprise_role(person, admin_user, unit, enterprise, role):
    assignment = role_assign(user=person, role=role, unit=unit, enterprise=enterprise, by=admin_user)
    assert (assignment.role, assignment.unit, assignment.enterprise) == (role, None, enterprise)


@pytest.mark.parametrize("role", ["coordinator", "party", "admin"])
def test_it_drops_the_scope_of_a_department_wide_role(person, admin_user, unit, enterprise, role):
    assignment = role_assign(user=person, role=role, unit=unit, enterprise=enterprise, by=admin_user)
    assert (assignment.role, assignment.unit, assignment.enterprise) == (role, None, None)


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_a_unit_role_needs_a_unit(person, admin_user, enterprise, role):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        role_assign(user=person, role=role, enterprise=enterprise, by=admin_user)
    assert caught.value.messages == [NEEDS_UNIT]
    assert counts() == before


@pytest.mark.parametrize("role", ["business", "operator"])
def test_an_enterprise_role_needs_an_enterprise(person, admin_user, unit, role):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        role_assign(user=person, role=role, unit=unit, by=admin_user)
    assert caught.value.messages == [NEEDS_ENTERPRISE]
    assert counts() == before


def test_it_refuses_an_unknown_role(person, admin_user):
    before = counts()
    with pytest.raises(ValidationError):
        role_assign(user=person, role="superman", by=admin_user)
    assert counts() == before


def test_the_admin_role_opens_the_admin_site(person, admin_user):
    role_assign(user=person, role="admin", by=admin_user)
    person.refresh_from_db()
    assert person.is_staff and person.is_superuser


@pytest.mark.parametrize("role", ["coordinator", "party", "officer"])
def test_other_roles_do_not_open_the_admin_site(person, admin_user, unit, role):
    role_assign(user=person, role=role, unit=unit, by=admin_user)
    person.refresh_from_db()
    assert not person.is_staff and not person.is_superuser


def test_it_records_an_audit_event(person, admin_user, unit):
    assignment = role_assign(user=person, role="officer", unit=unit, by=admin_user)
    assert actions() == ["role.assign"]
    from ketnoi.audit.models import AuditEvent

    event = AuditEvent.objects.get()
    assert event.actor == admin_user
    assert event.object_type == "accounts.roleassignment"
    assert event.object_id == str(assignment.pk)
    assert event.after == {**event.after, "user": person.pk, "role": "officer", "unit": unit.pk, "enterprise": None}


@pytest.mark.parametrize("role, scope", [("officer", "unit"), ("business", "enterprise"), ("coordinator", None)])
def test_it_does_not_assign_twice(person, admin_user, unit, enterprise, role, scope):
    first = role_assign(user=person, role=role, unit=unit, enterprise=enterprise, by=admin_user)
    again = role_assign(user=person, role=role, unit=unit, enterprise=enterprise, by=admin_user)
    assert again.pk == first.pk
    assert RoleAssignment.objects.filter(user=person).count() == 1
    assert actions() == ["role.assign"]


def test_the_same_role_in_two_units_is_two_assignments(person, admin_user, unit, other_unit):
    role_assign(user=person, role="officer", unit=unit, by=admin_user)
    role_assign(user=person, role="officer", unit=other_unit, by=admin_user)
    assert set(person.role_assignments.values_list("unit_id", flat=True)) == {unit.pk, other_unit.pk}
    assert actions() == ["role.assign", "role.assign"]
