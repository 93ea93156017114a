from datetime import date

import pytest
from django.utils import translation

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.lib.party_org import Kind
from ketnoi.party import selectors
from ketnoi.party.models import Member, MemberRead
from ketnoi.testing import make_user

from .helpers import build_register, make_member, make_organisation


@pytest.fixture
def r(db):
    return build_register()


def _by_name(nodes):
    return {node.organisation.name: node for node in nodes}


def test_it_lists_the_tree_depth_first_with_its_counts(r):
    nodes = selectors.organisation_tree(principal_for(r.office), on=date(2021, 1, 19))
    assert [(n.organisation, n.depth) for n in nodes] == [
        (r.committee, 0), (r.cat_lai, 1), (r.cat_lai_cell, 2), (r.high_tech, 1)]
    tree = _by_name(nodes)
    cat_lai = tree[r.cat_lai.name]
    # Two members of its own, two in its cell, one of them still on probation.
    assert (cat_lai.own_members, cat_lai.members, cat_lai.full_members, cat_lai.probationary_members) == (2, 4, 3, 1)
    assert tree[r.committee.name].members == 6


def test_it_counts_a_member_full_only_from_the_confirmation(r):
    make_member(organisation=r.high_tech, admitted=date(2020, 1, 10), full_member_on=date(2021, 1, 10))
    before = _by_name(selectors.organisation_tree(principal_for(r.office), on=date(2021, 1, 9)))[r.high_tech.name]
    after = _by_name(selectors.organisation_tree(principal_for(r.office), on=date(2021, 1, 10)))[r.high_tech.name]
    assert (before.full_members, after.full_members) == (2, 3)


def test_it_leaves_out_members_no_longer_active(r):
    make_member(organisation=r.high_tech, status=Member.Status.DECEASED)
    node = _by_name(selectors.organisation_tree(principal_for(r.office)))[r.high_tech.name]
    assert node.members == 2


def test_it_warns_when_a_size_no_longer_fits_the_kind(r):
    with translation.override("en"):
        tree = _by_name(selectors.organisation_tree(principal_for(r.office)))
    # A grassroots committee of 4 members; a grassroots cell of 2 full members.
    assert [code for code, _ in tree[r.cat_lai.name].warnings] == ["grassroots_committee_too_small"]
    assert tree[r.high_tech.name].warnings == [
        ("too_few_full_members", "The organisation has fewer than 3 full members.")]


def test_it_shows_a_secretary_their_branch_of_the_tree(r):
    nodes = selectors.organisation_tree(principal_for(r.cat_lai_secretary))
    assert [(n.organisation, n.depth) for n in nodes] == [(r.cat_lai, 0), (r.cat_lai_cell, 1)]


def test_it_leaves_out_closed_organisations_unless_asked(r):
    closed = make_organisation(kind=Kind.GRASSROOTS_CELL, parent=r.committee, dissolved_on=date(2019, 1, 1),
                               change="dissolved")
    p = principal_for(r.office)
    assert closed not in [n.organisation for n in selectors.organisation_tree(p)]
    node = _by_name(selectors.organisation_tree(p, include_closed=True))[closed.name]
    assert node.warnings == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.LEADER])
def test_it_shows_nothing_to_anyone_else(r, role):
    assert selectors.organisation_tree(principal_for(make_user(role))) == []
    assert not MemberRead.objects.exists()
