import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from ketnoi.testing import totp_code, totp_enrolled

from .helpers import PASSWORD


def test_the_session_key_changes_at_login(client, business):
    client.get("/accounts/login/")
    client.session.save()  # a session before login, as a fixation attack would plant
    before = client.session.session_key
    client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(business.pk)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_it_changes_after_the_password_and_again_after_the_code(client, officer):
    totp_enrolled(officer)
    client.get("/accounts/login/")
    client.session.save()
    planted = client.session.session_key
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    pending = client.session.session_key
    client.post("/accounts/login/code/", {"code": totp_code(officer)})
    assert len({planted, pending, client.session.session_key}) == 3


def test_the_cookie_is_samesite_lax_and_httponly(client, business):
    r = client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    # A business's session lasts two weeks.
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_staff_session_ends_with_the_browser_and_after_eight_hours(client, officer):
    totp_enrolled(officer)
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    r = client.post("/accounts/login/code/", {"code": totp_code(officer)})
    cookie = r.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert 7.9 * 3600 < client.session["ketnoi_deadline"] - time.time() <= 8 * 3600
    assert client.get("/accounts/").status_code == 200
    # Eight hours later, even a browser that never closes is signed out.
    session = client.session
    session["ketnoi_deadline"] = time.time() - 1
    session.save()
    r = client.get("/accounts/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")
