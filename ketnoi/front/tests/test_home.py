"""The home page: what an anonymous visitor and a signed-in user see, in which language."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ketnoi.accounts.models import Role
from ketnoi.testing import make_user, nav_links

pytestmark = pytest.mark.django_db


def main(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"'):html.index("</main>")]


def test_it_offers_an_anonymous_visitor_to_register_or_log_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/accounts/register/"' in main(response)
    assert 'href="/accounts/login/"' in main(response)
    assert 'id="yours"' not in main(response)


def test_it_greets_a_signed_in_user(client):
    user = make_user(Role.BUSINESS, full_name="Võ Thanh Tùng", language="en")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Hello, Võ Thanh Tùng" in main(response)
    assert 'href="/accounts/register/"' not in main(response)


def test_it_greets_in_vietnamese_by_default(client):
    client.force_login(make_user(Role.OFFICER, full_name="Phạm Ngọc Trâm"))
    with translation.override("vi"):
        greeting = gettext("Hello, %(name)s") % {"name": "Phạm Ngọc Trâm"}
    assert greeting in main(client.get("/"))


@pytest.mark.parametrize("role, present, absent", [
    (Role.BUSINESS, [r"/accounts/enterprise/\d+/", "/notifications/", "/accounts/"], ["/admin/", r"/units/\d+/"]),
    (Role.OFFICER, [r"/units/\d+/", "/notifications/", "/accounts/"], ["/admin/", "/accounts/enterprise/"]),
    (Role.ADMIN, ["/admin/", "/notifications/", "/accounts/"], ["/accounts/enterprise/", r"/units/\d+/"]),
])
def test_it_lists_what_the_users_role_may_open(client, role, present, absent):
    client.force_login(make_user(role))
    section = main(client.get("/"))
    section = section[section.index('id="yours"'):section.index("</section>")]
    for href in present:
        assert re.search(f'href="{href}"', section), href
    for href in absent:
        assert not re.search(f'href="{href}', section), href


def test_it_is_in_vietnamese_by_default(client):
    response = client.get("/")
    assert '<html lang="vi">' in response.content.decode()


def test_it_is_in_english_with_the_language_cookie(client):
    client.cookies["ketnoi_language"] = "en"
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert ("Home", "/") in nav_links(response)


def test_it_follows_the_language_saved_on_the_account(client):
    client.force_login(make_user(Role.BUSINESS, language="en"))
    assert '<html lang="en">' in client.get("/").content.decode()
    client.cookies["ketnoi_language"] = "vi"  # another device: the account wins
    assert '<html lang="en">' in client.get("/").content.decode()
