"""The language switch on every page: Vietnamese or English, remembered in a cookie and, for a
signed-in user, on the account."""

import pytest

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/language/"


def lang(response) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start:html.index('"', start)]


def test_it_switches_to_english_and_back(client):
    response = client.post(URL, {"language": "en", "next": "/units/"})
    assert response.status_code == 302
    assert response["Location"] == "/units/"
    assert response.cookies["ketnoi_language"].value == "en"
    assert lang(client.get("/")) == "en"

    response = client.post(URL, {"language": "vi", "next": "/"})
    assert response.cookies["ketnoi_language"].value == "vi"
    assert lang(client.get("/")) == "vi"


def test_it_saves_the_language_on_the_account(client):
    user = make_user(Role.BUSINESS, language="vi")
    client.force_login(user)
    response = client.post(URL, {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    event = AuditEvent.objects.get(action="user.set_language")
    assert event.actor == user
    assert event.object_id == str(user.pk)
    assert (event.before["language"], event.after["language"]) == ("vi", "en")
    del client.cookies["ketnoi_language"]
    assert lang(client.get("/")) == "en"  # on any device: the account remembers it


def test_it_records_nothing_when_the_language_does_not_change(client):
    user = make_user(Role.OFFICER, language="vi")
    client.force_login(user)
    client.post(URL, {"language": "vi", "next": "/"})
    assert not AuditEvent.objects.filter(action="user.set_language").exists()


def test_it_rejects_get(client):
    response = client.get(URL, {"language": "en", "next": "/"})
    assert response.status_code == 405
    assert "ketnoi_language" not in response.cookies


def test_it_rejects_get_for_a_signed_in_user(client):
    user = make_user(Role.OFFICER, language="vi")
    client.force_login(user)
    assert client.get(URL, {"language": "en"}).status_code == 405
    user.refresh_from_db()
    assert user.language == "vi"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/login", "http://evil.example"])
def test_it_does_not_follow_an_unsafe_next(client, next_url):
    response = client.post(URL, {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == "/"
    assert response.cookies["ketnoi_language"].value == "en"


@pytest.mark.parametrize("language", ["xx", "", "fr", "en-evil"])
def test_an_unknown_language_changes_nothing(client, language):
    user = make_user(Role.BUSINESS, language="vi")
    client.force_login(user)
    response = client.post(URL, {"language": language, "next": "/units/"})
    assert response.status_code == 302
    assert "ketnoi_language" not in response.cookies
    user.refresh_from_db()
    assert user.language == "vi"
    assert not AuditEvent.objects.filter(action="user.set_language").exists()
    assert lang(client.get("/")) == "vi"


@pytest.mark.parametrize("language", ["xx", "fr", "en-evil"])
def test_an_unknown_language_changes_nothing_for_an_anonymous_visitor(client, language):
    response = client.post(URL, {"language": language, "next": "/"})
    assert "ketnoi_language" not in response.cookies
    assert lang(client.get("/")) == "vi"
    client.post(URL, {"language": "en", "next": "/"})
    response = client.post(URL, {"language": language, "next": "/"})
    assert "ketnoi_language" not in response.cookies
    assert lang(client.get("/")) == "en"
