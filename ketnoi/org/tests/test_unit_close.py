"""unit_close: a unit is renamed, merged or dissolved; it stays readable and points at its successor."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.org.models import Unit
from ketnoi.org.selectors import unit_tree, units_active
from ketnoi.org.services import unit_close
from ketnoi.testing import make_unit, make_user

pytestmark = pytest.mark.django_db

REORGANISATION = date(2025, 3, 1)  # QĐ 382/QĐ-BTC


@pytest.fixture
def dept():
    return make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                     valid_from=date(2000, 1, 1))


@pytest.fixture
def branch(dept):
    return make_unit(code="02F3", parent=dept, name_vi="Chi cục Hải quan Khu công nghệ cao",
                     valid_from=date(2003, 1, 1))


@pytest.fixture
def region(dept):
    return make_unit(code="02IK", parent=dept, name_vi="Chi cục Hải quan khu vực II", valid_from=REORGANISATION)


@pytest.fixture
def admin():
    return make_user(Role.ADMIN)


def closing_events(unit):
    return AuditEvent.objects.filter(object_type="org.unit", object_id=str(unit.pk)).exclude(action="unit.create")


def assert_unchanged(unit):
    unit.refresh_from_db()
    assert (unit.valid_to, unit.successor_id, unit.change) == (None, None, "")
    assert not closing_events(unit).exists()


def test_it_merges_a_unit(branch, region, admin):
    closed = unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=region, by=admin)
    branch.refresh_from_db()
    assert (branch.valid_to, branch.successor, branch.change) == (REORGANISATION, region, "merged")
    assert closed == branch and closed.valid_to == REORGANISATION
    [event] = closing_events(branch)
    assert event.action == "unit.merged"
    assert event.actor == admin
    assert event.before["valid_to"] is None and event.before["successor"] is None
    assert event.after["valid_to"] == "2025-03-01"
    assert event.after["successor"] == region.pk
    assert event.after["change"] == "merged"


def test_it_renames_a_unit(branch, dept, admin):
    renamed = make_unit(code="02F9", parent=dept, name_vi="Chi cục Hải quan Khu công nghệ cao TP. Thủ Đức")
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.RENAMED, successor=renamed, by=admin)
    branch.refresh_from_db()
    assert (branch.change, branch.successor) == ("renamed", renamed)
    assert closing_events(branch).get().action == "unit.renamed"


def test_it_dissolves_a_unit_without_a_successor(branch, admin):
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.DISSOLVED, successor=None, by=admin)
    branch.refresh_from_db()
    assert (branch.valid_to, branch.successor, branch.change) == (REORGANISATION, None, "dissolved")
    event = closing_events(branch).get()
    assert event.action == "unit.dissolved"
    assert branch.current() == branch


def test_it_dissolves_a_unit_into_the_one_taking_its_remaining_work(branch, region, admin):
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.DISSOLVED, successor=region, by=admin)
    branch.refresh_from_db()
    assert branch.current() == region


def test_it_records_system_when_no_one_closes_it(branch, region):
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=region, by=None)
    assert closing_events(branch).get().actor_label == "system"


@pytest.mark.parametrize("change", [Unit.Change.MERGED, Unit.Change.RENAMED])
def test_it_refuses_a_merge_or_rename_without_a_successor(branch, admin, change):
    with pytest.raises(ValidationError):
        unit_close(unit=branch, on=REORGANISATION, change=change, successor=None, by=admin)
    assert_unchanged(branch)


@pytest.mark.parametrize("change", ["", "split", "MERGED"])
def test_it_refuses_an_unknown_change(branch, region, admin, change):
    with pytest.raises(ValidationError):
        unit_close(unit=branch, on=REORGANISATION, change=change, successor=region, by=admin)
    assert_unchanged(branch)


def test_it_refuses_to_close_a_unit_twice(branch, region, dept, admin):
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=region, by=admin)
    with pytest.raises(ValidationError, match="01/03/2025"):
        unit_close(unit=branch, on=date(2025, 7, 1), change=Unit.Change.MERGED, successor=dept, by=admin)
    branch.refresh_from_db()
    assert (branch.valid_to, branch.successor) == (REORGANISATION, region)
    assert closing_events(branch).count() == 1


def test_it_refuses_a_stale_copy_of_a_closed_unit(branch, region, admin):
    stale = Unit.objects.get(pk=branch.pk)
    unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=region, by=admin)
    assert stale.valid_to is None
    with pytest.raises(ValidationError):
        unit_close(unit=stale, on=REORGANISATION, change=Unit.Change.DISSOLVED, successor=None, by=admin)
    assert closing_events(branch).count() == 1


def test_it_refuses_a_unit_as_its_own_successor(branch, admin):
    with pytest.raises(ValidationError):
        unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=branch, by=admin)
    assert_unchanged(branch)


def test_it_refuses_a_successor_whose_work_already_comes_back_to_the_unit(branch, region, admin):
    unit_close(unit=region, on=REORGANISATION, change=Unit.Change.MERGED, successor=branch, by=admin)
    with pytest.raises(ValidationError):
        unit_close(unit=branch, on=REORGANISATION, change=Unit.Change.MERGED, successor=region, by=admin)
    assert_unchanged(branch)


def test_it_refuses_a_closing_date_before_the_unit_was_created(region, branch, admin):
    with pytest.raises(ValidationError):
        unit_close(unit=region, on=date(2025, 2, 28), change=Unit.Change.MERGED, successor=branch, by=admin)
    assert_unchanged(region)


def test_it_accepts_closing_on_the_day_the_unit_was_created(region, branch, admin):
    unit_close(unit=region, on=REORGANISATION, change=Unit.Change.MERGED, successor=branch, by=admin)
    region.refresh_from_db()
    assert region.valid_to == region.valid_from


def test_current_follows_a_chain_of_two_merges(dept, branch, region, admin):
    area = make_unit(code="02CV", parent=dept, name_vi="Chi cục Hải quan khu vực II (mới)")
    unit_close(unit=branch, on=date(2024, 1, 1), change=Unit.Change.MERGED, successor=region, by=admin)
    unit_close(unit=region, on=date(2025, 7, 1), change=Unit.Change.MERGED, successor=area, by=admin)
    branch.refresh_from_db()
    assert branch.current() == area
    assert Unit.objects.get(pk=region.pk).current() == area
    assert area.current() == area


def test_units_active_before_and_after_the_closing_date(dept, branch, region, admin):
    unit_close(unit=branch, on=date(2025, 2, 28), change=Unit.Change.MERGED, successor=region, by=admin)
    assert set(units_active(on=date(2025, 2, 27))) == {dept, branch}  # the region does not exist yet
    assert set(units_active(on=date(2025, 2, 28))) == {dept, branch}  # valid_to is its last day
    assert set(units_active(on=REORGANISATION)) == {dept, region}
    assert set(units_active(on=date(1999, 12, 31))) == set()


def test_unit_tree_before_and_after_the_closing_date(dept, branch, region, admin):
    team = make_unit(code="", kind=Unit.Kind.TEAM, parent=region, name_vi="Đội Thủ tục hàng hóa xuất nhập khẩu",
                     valid_from=REORGANISATION)
    unit_close(unit=branch, on=date(2025, 2, 28), change=Unit.Change.MERGED, successor=region, by=admin)
    before = [(unit.code, depth) for unit, depth in unit_tree(on=date(2025, 1, 15))]
    after = [(unit, depth) for unit, depth in unit_tree(on=date(2025, 3, 15))]
    assert before == [("02", 0), ("02F3", 1)]
    assert after == [(dept, 0), (region, 1), (team, 2)]
