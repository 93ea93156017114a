from django.contrib.auth import SESSION_KEY

URL = "/accounts/logout/"


def test_it_logs_out(client, business):
    client.force_login(business)
    r = client.post(URL)
    assert r.status_code == 302
    assert r.url == "/"
    assert SESSION_KEY not in client.session
    assert client.get("/accounts/").status_code == 302  # the account page asks to log in again


def test_it_rejects_get(client, business):
    client.force_login(business)
    r = client.get(URL)
    assert r.status_code == 405
    assert client.session[SESSION_KEY] == str(business.pk)


def test_it_requires_the_csrf_token(business):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(business)
    r = browser.post(URL)
    assert r.status_code == 403
    assert browser.session[SESSION_KEY] == str(business.pk)


def test_it_is_harmless_when_logged_out(client, db):
    r = client.post(URL)
    assert r.status_code == 302
    assert SESSION_KEY not in client.session
