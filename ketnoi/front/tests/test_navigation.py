"""The navigation bar offers each role the pages it may open, and nothing else."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.testing import make_enterprise, make_unit, make_user, nav_links

pytestmark = pytest.mark.django_db

EVERY_LABEL = ["Home", "Customs units", "Q&A", "Manage the Q&A", "My enterprise", "My difficulties", "My unit", "Cases", "Directives",
               "Routing", "My prices", "Prices", "Dialogue", "Party work", "Notifications", "Account", "Administration", "API", "Log in", "Register a business"]

# role: the labels of its navigation bar, in order ({unit} and {enterprise} are the user's own)
EXPECTED = {
    None: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("API", "/api/v1/docs"),
           ("Log in", "/accounts/login/"), ("Register a business", "/accounts/register/")],
    Role.BUSINESS: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("My enterprise", "/accounts/enterprise/{enterprise}/"),
                    ("My difficulties", "/cases/"),
                    ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.OPERATOR: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("My enterprise", "/accounts/enterprise/{enterprise}/"),
                    ("My prices", "/gia-dich-vu/cua-toi/"),
                    ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.OFFICER: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("My unit", "/units/{unit}/"), ("Cases", "/cases/queue/"),
                   ("Directives", "/chi-dao/"), ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.LEADER: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("My unit", "/units/{unit}/"), ("Cases", "/cases/queue/"),
                  ("Directives", "/chi-dao/"), ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.COORDINATOR: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("Cases", "/cases/queue/"), ("Directives", "/chi-dao/"),
                       ("Routing", "/cases/routing/"),
                       ("Manage the Q&A", "/hoi-dap/quan-ly/"),
                       ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.PARTY_OFFICE: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"),
                        ("Party work", "/dang-bo/"), ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")],
    Role.ADMIN: [("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("Notifications", "/notifications/"),
                 ("Account", "/accounts/"), ("Administration", "/admin/"), ("API", "/api/v1/docs")],
}


def sign_in(client, role):
    client.cookies["ketnoi_language"] = "en"
    if role is None:
        return {}
    unit, enterprise = make_unit(), make_enterprise()
    user = make_user(role, unit=unit, enterprise=enterprise, language="en")
    client.force_login(user)
    return {"unit": unit.pk, "enterprise": enterprise.pk}


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: role or "anonymous")
def test_each_role_sees_its_own_navigation(client, role):
    scope = sign_in(client, role)
    expected = [(label, url.format(**scope)) for label, url in EXPECTED[role]]
    assert nav_links(client.get("/")) == expected


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: role or "anonymous")
def test_each_role_is_refused_the_others_links(client, role):
    sign_in(client, role)
    labels = [label for label, _url in nav_links(client.get("/"))]
    allowed = {label for label, _url in EXPECTED[role]}
    for label in EVERY_LABEL:
        assert (label in labels) == (label in allowed), label


def test_a_user_with_no_role_sees_only_the_public_pages_and_their_account(client):
    client.cookies["ketnoi_language"] = "en"
    client.force_login(make_user(None, language="en"))
    assert nav_links(client.get("/")) == [
        ("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("Notifications", "/notifications/"),
        ("Account", "/accounts/"), ("API", "/api/v1/docs"),
    ]


def test_an_officer_of_two_units_gets_one_link_to_the_first(client):
    first, second = make_unit(), make_unit()
    user = make_user(Role.OFFICER, unit=second, language="en")
    accounts.role_assign(user=user, role=Role.LEADER, unit=first, by=None)
    client.force_login(user)
    links = [link for link in nav_links(client.get("/")) if link[0] == "My unit"]
    assert links == [("My unit", f"/units/{min(first.pk, second.pk)}/")]


def test_the_labels_are_in_vietnamese_by_default(client):
    unit = make_unit()
    client.force_login(make_user(Role.OFFICER, unit=unit))
    with translation.override("vi"):
        expected = [(gettext(label), url) for label, url in [
            ("Home", "/"), ("Customs units", "/units/"), ("Q&A", "/hoi-dap/"), ("Prices", "/gia-dich-vu/"), ("Dialogue", "/doi-thoai/"), ("My unit", f"/units/{unit.pk}/"), ("Cases", "/cases/queue/"),
            ("Directives", "/chi-dao/"), ("Notifications", "/notifications/"), ("Account", "/accounts/"), ("API", "/api/v1/docs")]]
    assert nav_links(client.get("/")) == expected


def current(response) -> list[str]:
    html = response.content.decode()
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    return re.findall(r'<a href="([^"]*)" aria-current="page"', nav)


def test_it_marks_the_page_the_user_is_on(client):
    unit = make_unit()
    client.force_login(make_user(Role.OFFICER, unit=unit))
    assert current(client.get("/")) == ["/"]
    assert current(client.get("/units/")) == ["/units/"]
    assert current(client.get(f"/units/{unit.pk}/")) == ["/units/", f"/units/{unit.pk}/"]
    assert current(client.get("/notifications/")) == ["/notifications/"]
