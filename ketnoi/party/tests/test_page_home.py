"""The organisation tree: indentation, kinds, units, members, size warnings and the closed
organisations' history; creating and closing an organisation and naming its secretaries."""

from datetime import date

import pytest

from ketnoi.lib.party_org import Kind
from ketnoi.party.models import Member, Organisation
from ketnoi.testing import make_unit, make_user, nav_links

from .helpers import build_register, make_organisation
from .page_helpers import REFUSED, assert_refused, counts, error_summary, log_in, refused_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    return build_register()


def test_it_shows_the_tree_with_kinds_members_and_size_warnings(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/")
    assert response.status_code == 200
    page = text(response)
    assert page.index(r.committee.name) < page.index(r.cat_lai.name) < page.index(r.cat_lai_cell.name)
    html = response.content.decode()
    assert f'id="organisation-{r.cat_lai_cell.pk}" class="party-depth-2"' in html
    assert "Grassroots party committee" in page and "Party cell" in page
    # Cát Lái: 2 members of its own and 2 in its cell, one of them on probation.
    row = html[html.index(f'id="organisation-{r.cat_lai.pk}"'):]
    row = row[:row.index("</tr>")]
    assert ">3</td>" in row and ">1</td>" in row and ">4</td>" in row
    # A grassroots committee needs 30 members: the warning is on the page with its message.
    assert 'class="tag party-warning"' in row
    assert "Nguyễn Văn Hùng" not in page  # no member is named on the tree


def test_closed_organisations_are_under_the_history_toggle_with_their_successor(client, r):
    old = make_organisation(kind=Kind.CELL, parent=r.cat_lai, name="Chi bộ Đội Kiểm soát hải quan cũ",
                            dissolved_on=date(2019, 6, 30), change=Organisation.Change.MERGED, successor=r.cat_lai_cell)
    log_in(client, r.office, "en")
    html = client.get("/dang-bo/").content.decode()
    history = html[html.index("<details"):html.index("</details>")]
    assert old.name in history and r.cat_lai_cell.name in history and "30/06/2019" in history and "Merged" in history


def test_a_secretary_sees_only_their_subtree(client, r):
    log_in(client, r.cat_lai_secretary)
    page = text(client.get("/dang-bo/"))
    assert r.cat_lai.name in page and r.cat_lai_cell.name in page
    assert r.high_tech.name not in page


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everyone_else(client, r, name):
    log_in(client, refused_user(name))
    for url in ["/dang-bo/", f"/dang-bo/to-chuc/{r.cat_lai.pk}/", "/dang-bo/to-chuc/moi/"]:
        assert_refused(client.get(url), r.cat_lai.name, "Nguyễn Văn Hùng")


def test_a_secretary_may_not_open_another_organisation(client, r):
    log_in(client, r.high_tech_secretary)
    assert client.get(f"/dang-bo/to-chuc/{r.cat_lai.pk}/").status_code == 404


def test_the_party_office_creates_an_organisation(client, r):
    unit = make_unit(name_vi="Chi cục Hải quan Quản lý hàng đầu tư")
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/to-chuc/moi/", {"kind": Kind.GRASSROOTS_CELL, "name": "Chi bộ Chi cục Hải quan Đầu tư",
                                                     "parent": r.committee.pk, "unit": unit.pk, "founded_on": "15/03/2008"})
    created = Organisation.objects.get(name="Chi bộ Chi cục Hải quan Đầu tư")
    assert response.status_code == 302 and response["Location"] == f"/dang-bo/to-chuc/{created.pk}/"
    assert (created.parent, created.unit, created.founded_on) == (r.committee, unit, date(2008, 3, 15))


def test_a_cell_cannot_sit_under_a_party_group_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/to-chuc/moi/", {"kind": Kind.GRASSROOTS_CELL, "name": "Chi bộ lạc chỗ"})
    assert response.status_code == 400
    assert "Only an upper-grassroots committee can stand without a parent." in error_summary(response)
    assert counts() == before


def test_a_secretary_may_not_create_or_close(client, r):
    log_in(client, r.cat_lai_secretary)
    assert client.get("/dang-bo/to-chuc/moi/").status_code == 403
    response = client.post(f"/dang-bo/to-chuc/{r.cat_lai_cell.pk}/dong/", {"change": "dissolved", "on": "01/01/2020"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=r.cat_lai_cell.pk).dissolved_on is None


def test_the_party_office_merges_an_organisation_and_its_members_move(client, r):
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/to-chuc/{r.cat_lai_cell.pk}/dong/",
                           {"change": "merged", "on": "01/07/2020", "successor": r.cat_lai.pk})
    assert response.status_code == 302
    cell = Organisation.objects.get(pk=r.cat_lai_cell.pk)
    assert (cell.dissolved_on, cell.change, cell.successor) == (date(2020, 7, 1), "merged", r.cat_lai)
    assert set(Member.objects.filter(organisation=r.cat_lai).values_list("full_name", flat=True)) >= {"Lê Quốc Bảo"}


def test_dissolving_an_organisation_with_members_is_a_400_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post(f"/dang-bo/to-chuc/{r.high_tech.pk}/dong/", {"change": "dissolved", "on": "01/07/2020"})
    assert response.status_code == 400
    assert "2 members are still active in this organisation" in error_summary(response)
    assert counts() == before and Organisation.objects.get(pk=r.high_tech.pk).dissolved_on is None


def test_the_party_office_sets_the_secretaries(client, r):
    deputy = make_user("officer", full_name="Huỳnh Thị Mỹ Linh")
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/to-chuc/{r.high_tech.pk}/bi-thu/",
                           {"secretaries": [r.high_tech_secretary.pk, deputy.pk]})
    assert response.status_code == 302
    assert set(r.high_tech.secretaries.all()) == {r.high_tech_secretary, deputy}


def test_only_readers_of_the_register_see_the_party_link(client, r):
    for user in [r.office, r.cat_lai_secretary]:
        log_in(client, user, "en")
        assert ("Party work", "/dang-bo/") in nav_links(client.get("/"))
    for name in REFUSED:
        client.logout()
        log_in(client, refused_user(name) if name != "superuser" else refused_user(name), "en")
        assert "/dang-bo/" not in [href for _label, href in nav_links(client.get("/"))], name
