from datetime import date

import pytest

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.party import selectors
from ketnoi.party.models import Member, MemberRead
from ketnoi.testing import make_user

from .helpers import build_register, make_member


@pytest.fixture
def r(db):
    return build_register()


def test_it_lists_the_members_and_logs_one_read_with_the_count(r):
    rows = selectors.members(principal_for(r.office), channel="page")
    assert rows.count() == 6
    read = MemberRead.objects.get()
    assert (read.user, read.member, read.channel, read.detail) == (r.office, None, "page", "members: 6")


def test_it_finds_a_name_without_accents(r):
    rows = selectors.members(principal_for(r.office), channel="search", q="  tran thi anh  tuyet")
    assert list(rows) == [r.cat_lai_members[1]]
    assert MemberRead.objects.get().detail.endswith(": 1")


def test_it_finds_d_with_stroke(r):
    assert list(selectors.members(principal_for(r.office), channel="page", q="dang minh")) == [r.high_tech_members[0]]


def test_it_lists_an_organisation_with_those_below(r):
    rows = selectors.members(principal_for(r.office), channel="page", organisation=r.cat_lai)
    assert set(rows) == set(r.cat_lai_members + r.cell_members)


def test_it_filters_by_status(r):
    gone = make_member(organisation=r.high_tech, status=Member.Status.DECEASED, died_on=date(2019, 4, 30))
    assert list(selectors.members(principal_for(r.office), channel="page", status="deceased")) == [gone]


def test_it_lists_a_secretary_only_their_members(r):
    rows = selectors.members(principal_for(r.high_tech_secretary), channel="page", organisation=r.cat_lai)
    assert list(rows) == []
    rows = selectors.members(principal_for(r.high_tech_secretary), channel="page")
    assert set(rows) == set(r.high_tech_members)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.BUSINESS])
def test_it_lists_nothing_to_anyone_else_and_logs_nothing(r, role):
    assert not selectors.members(principal_for(make_user(role)), channel="page", q="nguyen").exists()
    assert not MemberRead.objects.exists()


def test_it_lists_the_names_in_vietnamese_order(r):
    # By code point "Đ" and "Ánh" would come after "Z"; folded, Đặng sits between Dao and Dung.
    cell = r.cat_lai_cell
    names = ["Dương Văn Zung", "Đặng Thị Ánh", "Đào Minh Tâm", "Ân Văn Bình"]
    for name in names:
        make_member(organisation=cell, full_name=name)
    rows = selectors.members(principal_for(r.office), channel="page", organisation=cell, q="")
    listed = [m.full_name for m in rows if m.full_name in names]
    assert listed == ["Ân Văn Bình", "Đặng Thị Ánh", "Đào Minh Tâm", "Dương Văn Zung"]
