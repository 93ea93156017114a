"""Who reads the party register: the party office all of it, a secretary their organisations and
those below, everyone else nothing (admins and superusers included)."""

import pytest

from ketnoi.accounts.access import ANONYMOUS, principal_for
from ketnoi.accounts.models import Role
from ketnoi.party import access
from ketnoi.party.models import Member, Organisation
from ketnoi.testing import make_user

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def _superuser():
    user = make_user(Role.ADMIN)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


OUTSIDERS = {
    "business": lambda: make_user(Role.BUSINESS),
    "operator": lambda: make_user(Role.OPERATOR),
    "officer": lambda: make_user(Role.OFFICER),
    "leader": lambda: make_user(Role.LEADER),
    "coordinator": lambda: make_user(Role.COORDINATOR),
    "admin": lambda: make_user(Role.ADMIN),
    "superuser": _superuser,
    "no role": lambda: make_user(None),
}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_shows_nothing_to_anyone_else(r, who):
    p = principal_for(OUTSIDERS[who]())
    member = r.cat_lai_members[0]
    assert not access.may_read_register(p)
    assert not access.may_edit_register(p)
    assert not access.visible_members(p).exists()
    assert not access.visible_organisations(p).exists()
    assert not access.may_see_member(p, member)
    assert not access.may_see_organisation(p, r.cat_lai)


def test_it_shows_nothing_to_an_anonymous_visitor(r):
    assert not access.may_read_register(ANONYMOUS)
    assert not access.visible_members(ANONYMOUS).exists()
    assert not access.visible_organisations(ANONYMOUS).exists()
    assert not access.may_see_member(ANONYMOUS, r.high_tech_members[0])


def test_it_shows_nothing_to_a_secretary_whose_account_is_disabled(r):
    r.cat_lai_secretary.is_active = False
    r.cat_lai_secretary.save()
    p = principal_for(r.cat_lai_secretary)
    assert not access.may_read_register(p)
    assert not access.visible_members(p).exists()


def test_it_shows_the_whole_register_to_the_party_office(r):
    p = principal_for(r.office)
    assert access.may_read_register(p)
    assert access.may_edit_register(p)
    assert set(access.visible_members(p)) == set(Member.objects.all())
    assert access.visible_members(p).count() == 6
    assert set(access.visible_organisations(p)) == set(Organisation.objects.all())
    assert all(access.may_see_member(p, m) for m in Member.objects.all())


def test_it_shows_a_secretary_their_organisation_and_those_below(r):
    p = principal_for(r.cat_lai_secretary)
    assert access.may_read_register(p)
    assert set(access.visible_members(p)) == set(r.cat_lai_members + r.cell_members)
    assert set(access.visible_organisations(p)) == {r.cat_lai, r.cat_lai_cell}
    assert access.may_see_member(p, r.cell_members[0])
    assert access.may_see_organisation(p, r.cat_lai_cell)


def test_it_hides_other_organisations_from_a_secretary(r):
    p = principal_for(r.cat_lai_secretary)
    assert not access.may_see_member(p, r.high_tech_members[0])
    assert not access.may_see_organisation(p, r.high_tech)
    assert not access.may_see_organisation(p, r.committee)
    assert not access.visible_members(p).filter(organisation=r.high_tech).exists()


def test_it_shows_a_cell_secretary_only_their_cell(r):
    r.cat_lai_cell.secretaries.add(user := make_user(Role.OFFICER))
    p = principal_for(user)
    assert set(access.visible_members(p)) == set(r.cell_members)
    assert not access.may_see_member(p, r.cat_lai_members[0])


def test_it_never_lets_a_secretary_edit_the_register(r):
    assert not access.may_edit_register(principal_for(r.high_tech_secretary))


def test_it_narrows_a_given_queryset(r):
    p = principal_for(r.high_tech_secretary)
    qs = Member.objects.filter(full_name__startswith="Đặng")
    assert list(access.visible_members(p, qs)) == [r.high_tech_members[0]]
