"""Who may open the dashboards and their workbooks, and who may render the year-end review: the
rules (access.py) and the pages, role by role. The public scorecard and the open data need no
login."""

import pytest

from ketnoi.accounts.access import ANONYMOUS, principal_for
from ketnoi.reports import access

from .dashboard_helpers import YEAR_2020, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world(dialogue=False, prices=False, directives=False)


DEPARTMENT = {"coordinator", "admin", "department_leader"}
REFUSED_DEPARTMENT = ["leader", "officer", "team_leader", "other_leader", "other_officer", "party", "business",
                      "operator"]


@pytest.mark.parametrize("role", sorted(DEPARTMENT))
def test_it_lets_the_department_roles_see_the_department_dashboard(w, role):
    assert access.may_see_department_dashboard(principal_for(w.users[role]))


@pytest.mark.parametrize("role", REFUSED_DEPARTMENT)
def test_it_refuses_the_department_dashboard_to_the_other_roles(w, role):
    assert not access.may_see_department_dashboard(principal_for(w.users[role]))


def test_it_refuses_the_department_dashboard_to_anonymous_visitors():
    assert not access.may_see_department_dashboard(ANONYMOUS)


def test_a_unit_leader_sees_the_dashboard_of_the_unit_and_of_the_units_below_it(w):
    leader = principal_for(w.users["leader"])
    assert access.may_see_unit_dashboard(leader, w.branch.pk)
    assert access.may_see_unit_dashboard(leader, w.team.pk)
    assert not access.may_see_unit_dashboard(leader, w.other.pk)
    assert not access.may_see_unit_dashboard(leader, w.department.pk)


def test_a_team_leader_does_not_see_the_branch_above_it(w):
    team_leader = principal_for(w.users["team_leader"])
    assert access.may_see_unit_dashboard(team_leader, w.team.pk)
    assert not access.may_see_unit_dashboard(team_leader, w.branch.pk)


@pytest.mark.parametrize("role", ["officer", "other_officer", "party", "business", "operator"])
def test_officers_and_outsiders_do_not_see_a_unit_dashboard(w, role):
    assert not access.may_see_unit_dashboard(principal_for(w.users[role]), w.branch.pk)


@pytest.mark.parametrize("role", ["coordinator", "party"])
def test_the_coordinators_and_the_party_office_render_the_year_end_review(w, role):
    assert access.may_render_year_end(principal_for(w.users[role]))


@pytest.mark.parametrize("role", ["admin", "department_leader", "leader", "officer", "business", "operator"])
def test_no_one_else_renders_the_year_end_review(w, role):
    assert not access.may_render_year_end(principal_for(w.users[role]))
    assert not access.may_render_year_end(ANONYMOUS)


# --- the pages ------------------------------------------------------------------------------------

def pages(w):
    return ["/bao-cao/", "/bao-cao/xlsx", f"/bao-cao/don-vi/{w.branch.pk}/", f"/bao-cao/don-vi/{w.branch.pk}/xlsx"]


def test_it_sends_anonymous_visitors_to_the_login_page(client, w):
    for url in pages(w):
        response = client.get(url, YEAR_2020)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("role", ["officer", "other_leader", "other_officer", "party", "business", "operator"])
def test_it_refuses_every_dashboard_page_to_those_who_may_not_see_it(client, w, role):
    client.force_login(w.users[role])
    for url in pages(w):
        assert client.get(url, YEAR_2020).status_code == 403, url


def test_a_branch_leader_opens_the_branch_pages_but_not_the_department_s(client, w):
    client.force_login(w.users["leader"])
    assert client.get("/bao-cao/", YEAR_2020).status_code == 403
    assert client.get("/bao-cao/xlsx", YEAR_2020).status_code == 403
    assert client.get(f"/bao-cao/don-vi/{w.branch.pk}/", YEAR_2020).status_code == 200
    assert client.get(f"/bao-cao/don-vi/{w.branch.pk}/xlsx", YEAR_2020).status_code == 200
    assert client.get(f"/bao-cao/don-vi/{w.other.pk}/", YEAR_2020).status_code == 403


@pytest.mark.parametrize("role", sorted(DEPARTMENT))
def test_the_department_roles_open_every_dashboard_page(client, w, role):
    client.force_login(w.users[role])
    for url in pages(w) + [f"/bao-cao/don-vi/{w.other.pk}/"]:
        assert client.get(url, YEAR_2020).status_code == 200, url


def test_an_unknown_unit_is_not_found(client, w):
    client.force_login(w.users["coordinator"])
    assert client.get("/bao-cao/don-vi/999999/").status_code == 404


def test_the_dashboards_are_read_only(client, w):
    client.force_login(w.users["coordinator"])
    for url in pages(w):
        assert client.post(url, YEAR_2020).status_code == 405, url


def test_the_public_pages_need_no_login(client, w):
    for url in ["/bao-cao/cong-khai/", "/bao-cao/du-lieu-mo/", "/bao-cao/du-lieu-mo/vuong-mac-2020.csv",
                "/bao-cao/du-lieu-mo/hoi-dap.json", "/api/v1/reports/scorecard?year=2020",
                "/api/v1/reports/open-data/cases?year=2020"]:
        assert client.get(url).status_code == 200, url
