"""A unit's page: what it is, where a closed unit's work went, and (for its own staff and the
department coordinators only) who works there."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ketnoi.accounts.models import Role
from ketnoi.org.models import Unit
from ketnoi.org.services import unit_close
from ketnoi.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh")


@pytest.fixture
def park(dept):
    return make_unit(code="02F3", parent=dept, name_vi="Chi cục Hải quan Khu công nghệ cao",
                     name_en="High-Tech Park Customs Branch", address="Lô I-3b, Đường N2, Khu Công nghệ cao")


@pytest.fixture
def staff(park):
    officer = make_user(Role.OFFICER, unit=park, full_name="Phạm Ngọc Trâm", email="tram.pham@haiquan.example")
    leader = make_user(Role.LEADER, unit=park, full_name="Lê Quốc Thịnh", email="thinh.le@haiquan.example")
    return officer, leader


def test_it_shows_the_unit(client, park):
    response = client.get(f"/units/{park.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Chi cục Hải quan Khu công nghệ cao</h1>" in html
    assert "02F3" in html
    assert "Lô I-3b, Đường N2, Khu Công nghệ cao" in html
    assert f'href="/units/{park.parent_id}/"' in html


def test_it_lists_the_units_within_it(client, park):
    team = make_unit(code="", kind=Unit.Kind.TEAM, parent=park, name_vi="Đội Giám sát")
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert f'<a href="/units/{team.pk}/">Đội Giám sát</a>' in html


def test_a_merged_unit_says_where_its_work_went(client, dept, park):
    region = make_unit(code="02IK", parent=dept, name_vi="Chi cục Hải quan khu vực II",
                       name_en="Customs Branch of Region II")
    unit_close(unit=park, on=date(2025, 3, 1), change=Unit.Change.MERGED, successor=region, by=None)
    client.cookies["ketnoi_language"] = "en"
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert "This unit was merged on 01/03/2025." in html
    assert f'Its work continues at <a href="/units/{region.pk}/">Customs Branch of Region II</a>' in html


def test_it_says_it_in_vietnamese_by_default(client, dept, park):
    region = make_unit(code="02IK", parent=dept, name_vi="Chi cục Hải quan khu vực II")
    unit_close(unit=park, on=date(2025, 3, 1), change=Unit.Change.MERGED, successor=region, by=None)
    with translation.override("vi"):
        continues = gettext("Its work continues at")
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert "01/03/2025" in html
    assert f'{continues} <a href="/units/{region.pk}/">Chi cục Hải quan khu vực II</a>' in html


def test_it_links_the_last_successor_of_a_chain(client, dept, park):
    region = make_unit(code="02IK", parent=dept, name_vi="Chi cục Hải quan khu vực II")
    area = make_unit(code="02CV", parent=dept, name_vi="Chi cục Hải quan khu vực II (mới)")
    unit_close(unit=park, on=date(2024, 1, 1), change=Unit.Change.MERGED, successor=region, by=None)
    unit_close(unit=region, on=date(2025, 3, 1), change=Unit.Change.RENAMED, successor=area, by=None)
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert f'<a href="/units/{area.pk}/">Chi cục Hải quan khu vực II (mới)</a>' in html


def test_a_dissolved_unit_without_successor_says_so_and_links_nothing(client, park):
    unit_close(unit=park, on=date(2025, 3, 1), change=Unit.Change.DISSOLVED, successor=None, by=None)
    client.cookies["ketnoi_language"] = "en"
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert "This unit was dissolved on 01/03/2025." in html
    assert "Its work continues at" not in html


def test_an_open_unit_has_no_closing_notice(client, park):
    client.cookies["ketnoi_language"] = "en"
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert "This unit was" not in html


def test_it_returns_404_for_an_unknown_unit(client, park):
    assert client.get(f"/units/{park.pk + 1000}/").status_code == 404


# --- the staff list ------------------------------------------------------------------------------

def shows_staff(client, unit, user) -> bool:
    if user is not None:
        client.force_login(user)
    response = client.get(f"/units/{unit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    listed = "tram.pham@haiquan.example" in html and "thinh.le@haiquan.example" in html
    assert listed == ("Lê Quốc Thịnh" in html)
    return listed


def test_it_shows_the_staff_to_an_officer_of_the_unit(client, park, staff):
    officer, _leader = staff
    assert shows_staff(client, park, officer)


def test_it_shows_the_staff_to_a_leader_of_the_unit(client, park, staff):
    _officer, leader = staff
    assert shows_staff(client, park, leader)


def test_it_shows_the_staff_to_a_coordinator(client, park, staff):
    assert shows_staff(client, park, make_user(Role.COORDINATOR))


def test_it_leaves_out_inactive_staff(client, park, staff):
    officer, leader = staff
    leader.is_active = False
    leader.save()
    client.force_login(officer)
    html = client.get(f"/units/{park.pk}/").content.decode()
    assert "tram.pham@haiquan.example" in html
    assert "thinh.le@haiquan.example" not in html


@pytest.mark.parametrize("role", [None, Role.BUSINESS, Role.OPERATOR, Role.PARTY_OFFICE, Role.ADMIN, "no-role"],
                         ids=["anonymous", "business", "operator", "party", "admin", "no-role"])
def test_it_hides_the_staff_from(client, park, staff, role):
    user = None if role is None else make_user(None if role == "no-role" else role)
    assert not shows_staff(client, park, user)


def test_it_hides_the_staff_from_an_officer_of_another_unit(client, dept, park, staff):
    other = make_unit(code="02XE", parent=dept)
    assert not shows_staff(client, park, make_user(Role.OFFICER, unit=other))
    assert not shows_staff(client, park, make_user(Role.LEADER, unit=other))


def test_it_hides_the_staff_from_an_officer_of_the_parent_unit(client, dept, park, staff):
    assert not shows_staff(client, park, make_user(Role.OFFICER, unit=dept))
