import re

from django.contrib.auth import SESSION_KEY
from django.conf import settings
from django.core import mail

from ketnoi.accounts import services

from .helpers import PASSWORD, make_user

URL = "/accounts/password-reset/"
SENT = "/accounts/password-reset/sent/"
NEW_PASSWORD = "Cầu-Rồng-Đà-Nẵng-7"


def reset_link(message) -> str:
    """The link is built from KETNOI_BASE_URL, whatever host the request came to."""
    [path] = re.findall(re.escape(settings.KETNOI_BASE_URL) + r"(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
    return path


def test_it_shows_the_form(client, db):
    r = client.get(URL)
    assert r.status_code == 200
    assert 'name="email"' in r.content.decode()


def test_it_sends_a_link(client, business):
    r = client.post(URL, {"email": "LAN@example.vn"})
    assert r.status_code == 302
    assert r.url == SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@example.vn"]
    assert message.subject == "Choose a new password for ketnoi"
    path = reset_link(message)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert path in html
    assert "Your username is: lan" in message.body


def test_it_says_the_same_for_an_unknown_address(client, business):
    r = client.post(URL, {"email": "nobody@example.vn"}, follow=True)
    assert r.redirect_chain == [(SENT, 302)]
    assert "Check your e-mail" in r.content.decode()
    assert mail.outbox == []


def test_it_sends_nothing_to_an_unconfirmed_account(client, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False, email="moi@saomai.vn")
    r = client.post(URL, {"email": "moi@saomai.vn"})
    assert r.url == SENT
    assert mail.outbox == []


def test_it_sends_a_link_to_new_staff(client, unit, admin_user):
    """Staff accounts are created without a password: the person chooses one with this link."""
    services.user_create(username="cb.tuan", full_name="Lê Anh Tuấn", email="tuan@customs.gov.vn",
                          role="officer", unit=unit, by=admin_user)
    r = client.post(URL, {"email": "tuan@customs.gov.vn"})
    assert r.url == SENT
    assert [m.to for m in mail.outbox] == [["tuan@customs.gov.vn"]]


def test_it_asks_for_a_valid_address(client, db):
    r = client.post(URL, {"email": "not an address"})
    assert r.status_code == 200
    assert "Enter a valid email address." in r.content.decode()
    assert mail.outbox == []


def test_it_changes_the_password(client, business):
    client.post(URL, {"email": "lan@example.vn"})
    r = client.get(reset_link(mail.outbox[0]), follow=True)
    assert r.status_code == 200
    assert 'name="new_password1"' in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r.url == "/accounts/reset/done/"
    business.refresh_from_db()
    assert business.check_password(NEW_PASSWORD)
    assert not business.check_password(PASSWORD)

    r = client.post("/accounts/login/", {"username": "lan", "password": NEW_PASSWORD})
    assert client.session[SESSION_KEY] == str(business.pk)


def test_it_refuses_a_weak_new_password(client, business):
    client.post(URL, {"email": "lan@example.vn"})
    r = client.get(reset_link(mail.outbox[0]), follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert r.status_code == 200
    assert "This password is too short." in r.content.decode()
    business.refresh_from_db()
    assert business.check_password(PASSWORD)


def test_the_link_works_once(client, business):
    client.post(URL, {"email": "lan@example.vn"})
    path = reset_link(mail.outbox[0])
    r = client.get(path, follow=True)
    client.post(r.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    r = client.get(path, follow=True)
    assert "This link no longer works" in r.content.decode()
    assert 'name="new_password1"' not in r.content.decode()


def test_it_refuses_a_tampered_link(client, business):
    client.post(URL, {"email": "lan@example.vn"})
    path = reset_link(mail.outbox[0])
    r = client.get(path[:-3] + "xx/", follow=True)
    assert "This link no longer works" in r.content.decode()
    business.refresh_from_db()
    assert business.check_password(PASSWORD)
