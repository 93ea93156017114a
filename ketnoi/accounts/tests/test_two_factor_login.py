from django.contrib.auth import SESSION_KEY

from ketnoi.accounts.models import LoginFailure
from ketnoi.testing import totp_code, totp_enrolled

from .helpers import PASSWORD

URL = "/accounts/login/"
CODE = "/accounts/login/code/"


def wrong(code: str) -> str:
    return "123456" if code != "123456" else "654321"


def test_it_asks_for_the_code_after_the_password(client, officer):
    totp_enrolled(officer)
    r = client.post(URL, {"username": "officer", "password": PASSWORD, "next": "/accounts/"})
    assert r.status_code == 302 and r.url == CODE
    assert SESSION_KEY not in client.session
    assert "Code from your authenticator app" in client.get(CODE).content.decode()
    # No staff page is reachable with the password alone.
    for path in ["/accounts/", "/cases/", "/bao-cao/"]:
        r = client.get(path)
        assert r.status_code in (302, 403) and SESSION_KEY not in client.session, path
    r = client.post(CODE, {"code": totp_code(officer)})
    assert r.status_code == 302 and r.url == "/accounts/"
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_a_wrong_code_is_refused(client, officer):
    totp_enrolled(officer)
    client.post(URL, {"username": "officer", "password": PASSWORD})
    r = client.post(CODE, {"code": wrong(totp_code(officer))})
    assert r.status_code == 400
    assert "This code is not right." in r.content.decode()
    assert SESSION_KEY not in client.session


def test_wrong_codes_count_toward_the_lockout(client, officer):
    totp_enrolled(officer)
    client.post(URL, {"username": "officer", "password": PASSWORD})
    for _ in range(5):
        r = client.post(CODE, {"code": wrong(totp_code(officer))})
    assert "There were too many unsuccessful sign-in attempts." in r.content.decode()
    assert LoginFailure.objects.filter(username="officer").count() == 5
    # The right code no longer helps, nor does starting again with the password.
    assert client.post(CODE, {"code": totp_code(officer)}).status_code == 302
    assert SESSION_KEY not in client.session
    r = client.post(URL, {"username": "officer", "password": PASSWORD})
    assert "There were too many unsuccessful sign-in attempts." in r.content.decode()


def test_the_code_page_without_a_password_step_sends_to_the_login(client, db):
    r = client.get(CODE)
    assert r.status_code == 302 and r.url == URL
