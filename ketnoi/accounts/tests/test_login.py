from django.contrib.auth import SESSION_KEY

from .helpers import PASSWORD, make_user

URL = "/accounts/login/"

WRONG_LOGIN = "The username or password is not right."
NOT_ACTIVE = "This account is not active yet. Open the confirmation link we sent to your e-mail."


def test_it_shows_the_form(client, db):
    r = client.get(URL)
    assert r.status_code == 200
    assert 'name="username"' in r.content.decode()
    assert 'name="password"' in r.content.decode()


def test_it_logs_in_with_the_username(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD})
    assert r.status_code == 302
    assert r.url == "/"
    assert client.session[SESSION_KEY] == str(business.pk)


def test_it_logs_in_with_the_email_address(client, business):
    r = client.post(URL, {"username": "LAN@example.vn ", "password": PASSWORD})
    assert r.status_code == 302
    assert client.session[SESSION_KEY] == str(business.pk)


def test_it_refuses_an_email_address_two_accounts_share(client, db):
    make_user("one", email="shared@example.vn")
    make_user("two", email="shared@example.vn")
    r = client.post(URL, {"username": "shared@example.vn", "password": PASSWORD})
    assert r.status_code == 200
    assert WRONG_LOGIN in r.content.decode()
    assert SESSION_KEY not in client.session


def test_it_shows_an_error_for_a_wrong_password(client, business):
    r = client.post(URL, {"username": "lan", "password": "not-" + PASSWORD})
    assert r.status_code == 200
    page = r.content.decode()
    assert WRONG_LOGIN in page
    assert 'name="username"' in page and 'value="lan"' in page
    assert SESSION_KEY not in client.session


def test_it_shows_the_error_in_the_default_language_too(vi_client, business):
    r = vi_client.post(URL, {"username": "lan", "password": "not-" + PASSWORD})
    assert r.status_code == 200
    assert '<html lang="vi">' in r.content.decode()
    assert 'class="error-summary"' in r.content.decode()
    assert SESSION_KEY not in vi_client.session


def test_it_shows_an_error_for_an_unknown_user(client, db):
    r = client.post(URL, {"username": "nobody", "password": PASSWORD})
    assert r.status_code == 200
    assert WRONG_LOGIN in r.content.decode()
    assert SESSION_KEY not in client.session


def test_it_asks_for_both_fields(client, db):
    r = client.post(URL, {"username": "", "password": ""})
    assert r.status_code == 200
    assert "This field is required." in r.content.decode()
    assert SESSION_KEY not in client.session


def test_it_tells_an_unconfirmed_user_to_confirm(client, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False)
    r = client.post(URL, {"username": "moi", "password": PASSWORD})
    assert r.status_code == 200
    assert NOT_ACTIVE in r.content.decode()
    assert SESSION_KEY not in client.session


def test_it_tells_an_unconfirmed_user_who_types_the_email_address(client, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False, email="moi@saomai.vn")
    r = client.post(URL, {"username": "MOI@saomai.vn", "password": PASSWORD})
    assert r.status_code == 200
    assert NOT_ACTIVE in r.content.decode()
    assert SESSION_KEY not in client.session


def test_it_refuses_a_closed_account_without_asking_to_confirm(client, business):
    from django.utils import timezone

    type(business).objects.filter(pk=business.pk).update(is_active=False, last_login=timezone.now())
    r = client.post(URL, {"username": "lan", "password": PASSWORD})
    assert r.status_code == 200
    page = r.content.decode()
    assert WRONG_LOGIN in page
    assert NOT_ACTIVE not in page
    assert SESSION_KEY not in client.session


def test_it_does_not_tell_who_is_unconfirmed_without_the_password(client, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False)
    r = client.post(URL, {"username": "moi", "password": "guess-" + PASSWORD})
    assert r.status_code == 200
    page = r.content.decode()
    assert WRONG_LOGIN in page
    assert NOT_ACTIVE not in page


def test_it_follows_next(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD, "next": "/accounts/"})
    assert r.status_code == 302
    assert r.url == "/accounts/"


def test_it_ignores_next_to_another_site(client, business):
    r = client.post(URL, {"username": "lan", "password": PASSWORD, "next": "https://evil.example/"})
    assert r.status_code == 302
    assert r.url == "/"


def test_it_keeps_next_in_the_form(client, db):
    r = client.get(URL + "?next=/accounts/")
    assert 'name="next" value="/accounts/"' in r.content.decode()


def test_it_redirects_a_logged_in_user(client, business):
    client.force_login(business)
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == "/"
