from django.core import mail
from django.test import Client
from django.utils import timezone

from ketnoi.testing import Clock, totp_code, totp_enrolled

from .helpers import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sign_in(client, user, **extra):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, **extra)
    return client.post("/accounts/login/code/", {"code": totp_code(user)}, **extra)


def new_sign_in_mails(user):
    return [m for m in mail.outbox if m.to == [user.email] and "New sign-in" in m.subject]


def test_it_e_mails_a_staff_member_signing_in_from_a_new_browser(client, officer, commit):
    officer.language = "en"
    officer.save()
    totp_enrolled(officer)
    with commit():
        sign_in(client, officer, HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="14.161.22.7")
    [message] = new_sign_in_mails(officer)
    assert "14.161.22.7" in message.body and "Firefox on Windows" in message.body
    import re

    assert re.search(r"Time: \d\d/\d\d/\d{4} \d\d:\d\d", message.body)
    assert "http://127.0.0.1:8000/accounts/password-reset/" in message.body or "/accounts/password-reset/" in message.body


def test_it_does_not_e_mail_again_from_the_same_browser(client, officer, commit, monkeypatch):
    # Each sign-in needs a code of a later time step: the clock moves a minute between them
    # rather than the test waiting for it.
    clock = Clock(monkeypatch, timezone.now())
    totp_enrolled(officer)
    with commit():
        sign_in(client, officer)
    client.post("/accounts/logout/")  # (the test client's logout() would also forget the cookies)
    clock.advance(minutes=1)
    with commit():
        sign_in(client, officer)
    assert len(new_sign_in_mails(officer)) == 1
    # Another browser (no cookie) is new again.
    clock.advance(minutes=1)
    with commit():
        sign_in(Client(), officer)
    assert len(new_sign_in_mails(officer)) == 2


def test_a_forged_cookie_counts_as_a_new_browser(client, officer, commit, settings):
    totp_enrolled(officer)
    client.cookies[settings.KETNOI_DEVICE_COOKIE] = f'{{"d": "x", "u": [{officer.pk}]}}'
    with commit():
        sign_in(client, officer)
    assert len(new_sign_in_mails(officer)) == 1


def test_it_does_not_e_mail_a_business(client, business, commit):
    with commit():
        client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
    assert mail.outbox == []
