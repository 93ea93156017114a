from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from .helpers import PASSWORD

NEW = "Bến-Nhà-Rồng-1911"


def signed_in(username="lan"):
    client = Client()
    client.cookies["ketnoi_language"] = "en"
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_a_password_change_ends_the_other_sessions(business):
    office, home = signed_in(), signed_in()
    before = office.session.session_key
    r = office.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302
    # The browser that changed it stays signed in, under a new session key …
    assert office.get("/accounts/").status_code == 200
    assert office.session.session_key != before
    # … the other one is signed out.
    r = home.get("/accounts/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")
    assert SESSION_KEY not in home.session


def test_a_password_reset_ends_every_session(business):
    home = signed_in()
    other = Client()
    other.post("/accounts/password-reset/", {"email": "lan@example.vn"})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/reset/" in line).strip()
    r = other.get(link, follow=True)
    r = other.post(r.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302
    r = home.get("/accounts/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")
