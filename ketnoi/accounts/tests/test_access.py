import pytest
from django.contrib.auth.models import AnonymousUser

from ketnoi.accounts import access
from ketnoi.accounts.access import ANONYMOUS, principal_for
from ketnoi.accounts.models import RoleAssignment, User

from .helpers import make_user

COLUMNS = [
    "may_manage_users", "may_use_admin_site", "may_see_all_units",
    "may_act_for_unit(own)", "may_act_for_unit(other)", "may_lead_unit(own)", "may_lead_unit(other)",
    "may_act_for_enterprise(own)", "may_act_for_enterprise(other)", "may_see_party_register", "may_use_api",
    "is_staff_member",
]

# "own" is the unit or enterprise the role is assigned for (the fixtures `unit` and
# `enterprise`); a department-wide role has none, so "own" is simply the same unit and enterprise.
MATRIX = [
    #               users admin all  unit  unit' lead  lead' ent   ent'  party api   staff
    ("anonymous",   0,    0,    0,   0,    0,    0,    0,    0,    0,    0,    0,    0),
    ("business",    0,    0,    0,   0,    0,    0,    0,    1,    0,    0,    1,    0),
    ("operator",    0,    0,    0,   0,    0,    0,    0,    1,    0,    0,    1,    0),
    ("officer",     0,    0,    0,   1,    0,    0,    0,    0,    0,    0,    1,    1),
    ("leader",      0,    0,    0,   1,    0,    1,    0,    0,    0,    0,    1,    1),
    ("coordinator", 0,    0,    1,   1,    1,    0,    0,    0,    0,    0,    1,    1),
    ("party",       0,    0,    0,   0,    0,    0,    0,    0,    0,    1,    1,    0),
    # Party data is sensitive personal data: not even administrators see the register.
    ("admin",       1,    1,    1,   0,    0,    0,    0,    0,    0,    0,    1,    0),
]


def answers(p, *, unit, other_unit, enterprise, other_enterprise) -> dict[str, bool]:
    return dict(zip(COLUMNS, [
        access.may_manage_users(p),
        access.may_use_admin_site(p),
        access.may_see_all_units(p),
        access.may_act_for_unit(p, unit.pk),
        access.may_act_for_unit(p, other_unit.pk),
        access.may_lead_unit(p, unit.pk),
        access.may_lead_unit(p, other_unit.pk),
        access.may_act_for_enterprise(p, enterprise.pk),
        access.may_act_for_enterprise(p, other_enterprise.pk),
        access.may_see_party_register(p),
        access.may_use_api(p),
        p.is_staff_member,
    ]))


@pytest.mark.parametrize("role, expected", [(row[0], row[1:]) for row in MATRIX], ids=[row[0] for row in MATRIX])
def test_the_matrix(role, expected, unit, other_unit, enterprise, other_enterprise):
    if role == "anonymous":
        user = AnonymousUser()
    else:
        user = make_user(f"u-{role}", role=role, unit=unit, enterprise=enterprise)
    p = principal_for(user)
    got = answers(p, unit=unit, other_unit=other_unit, enterprise=enterprise, other_enterprise=other_enterprise)
    assert got == {column: bool(value) for column, value in zip(COLUMNS, expected)}


def test_an_inactive_user_is_anonymous(db):
    user = make_user("cu", role="coordinator", is_active=False)
    RoleAssignment.objects.create(user=user, role="admin")
    assert principal_for(user) == ANONYMOUS
    assert not access.may_see_all_units(principal_for(user))
    assert not access.may_use_api(principal_for(user))


def test_no_user_is_anonymous(db):
    assert principal_for(None) == ANONYMOUS
    assert principal_for(AnonymousUser()) == ANONYMOUS


def test_it_collects_every_role(unit, other_unit, enterprise):
    user = make_user("nhieu-vai", role="leader", unit=unit)
    RoleAssignment.objects.create(user=user, role="officer", unit=other_unit)
    RoleAssignment.objects.create(user=user, role="party")
    p = principal_for(user)
    assert p.roles == {"leader", "officer", "party"}
    assert access.may_lead_unit(p, unit.pk) and not access.may_lead_unit(p, other_unit.pk)
    assert access.may_act_for_unit(p, unit.pk) and access.may_act_for_unit(p, other_unit.pk)
    assert access.may_see_party_register(p)
    assert p.units("officer") == {other_unit.pk}
    assert p.units() == {unit.pk, other_unit.pk}


def test_it_reads_the_roles_once_per_user_object(business, enterprise, django_assert_num_queries):
    user = User.objects.get(pk=business.pk)
    with django_assert_num_queries(1):
        first = principal_for(user)
        assert principal_for(user) is first
    RoleAssignment.objects.create(user=business, role="operator", enterprise=enterprise)
    assert "operator" not in principal_for(user).roles
    assert "operator" in principal_for(User.objects.get(pk=business.pk)).roles
