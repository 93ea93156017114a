"""The list of customs units: the tree in force today, with office codes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.org.models import Unit
from ketnoi.org.services import unit_close
from ketnoi.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    dept = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                     name_en="Ho Chi Minh City Customs Department")
    airport = make_unit(code="02AB", parent=dept, name_vi="Chi cục Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất")
    park = make_unit(code="02F3", parent=dept, name_vi="Chi cục Hải quan Khu công nghệ cao")
    team = make_unit(code="", kind=Unit.Kind.TEAM, parent=park, name_vi="Đội Giám sát")
    office = make_unit(code="", kind=Unit.Kind.DIVISION, parent=dept, name_vi="Văn phòng Cục")
    return {"dept": dept, "airport": airport, "park": park, "team": team, "office": office}


def rows(response) -> list[tuple[str, str, int]]:
    """(code, unit link, depth) of each row of the tree."""
    html = response.content.decode()
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [(code, href, int(depth)) for code, depth, href in re.findall(
        r'<tr><td>([^<]*)</td>\s*<td class="depth-(\d+)"><a href="([^"]+)"', body)]


def test_it_lists_the_units_in_tree_order_with_their_codes(client, units):
    response = client.get("/units/")
    assert response.status_code == 200
    assert rows(response) == [
        ("02", f"/units/{units['dept'].pk}/", 0),
        ("02AB", f"/units/{units['airport'].pk}/", 1),
        ("02F3", f"/units/{units['park'].pk}/", 1),
        ("", f"/units/{units['team'].pk}/", 2),
        ("", f"/units/{units['office'].pk}/", 1),
    ]
    html = response.content.decode()
    assert "Chi cục Hải quan Khu công nghệ cao" in html
    assert "Đội Giám sát" in html


def test_it_shows_the_english_names_in_english(client, units):
    client.cookies["ketnoi_language"] = "en"
    html = client.get("/units/").content.decode()
    assert "Ho Chi Minh City Customs Department" in html
    assert "Cục Hải quan TP. Hồ Chí Minh" not in html


def test_it_leaves_out_a_closed_unit(client, units):
    today = timezone.localdate()
    unit_close(unit=units["airport"], on=today - timedelta(days=1), change=Unit.Change.MERGED,
               successor=units["park"], by=None)
    response = client.get("/units/")
    assert "02AB" not in [code for code, _href, _depth in rows(response)]
    assert "Tân Sơn Nhất" not in response.content.decode()
    assert len(rows(response)) == 4


def test_it_keeps_a_unit_on_its_last_day(client, units):
    unit_close(unit=units["airport"], on=timezone.localdate(), change=Unit.Change.DISSOLVED, successor=None, by=None)
    assert "02AB" in [code for code, _href, _depth in rows(client.get("/units/"))]


def test_it_leaves_out_a_unit_that_does_not_exist_yet(client, units):
    make_unit(code="02CX", parent=units["dept"], valid_from=timezone.localdate() + timedelta(days=1))
    assert "02CX" not in [code for code, _href, _depth in rows(client.get("/units/"))]


def test_it_is_public(client, units):
    assert client.get("/units/").status_code == 200
