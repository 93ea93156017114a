from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ketnoi.accounts.models import LoginFailure

from .helpers import PASSWORD

URL = "/accounts/login/"
PAUSED = "There were too many unsuccessful sign-in attempts."


def failures(username, *minutes_ago):
    now = timezone.now()
    LoginFailure.objects.bulk_create([LoginFailure(username=username, ip="127.0.0.1", at=now - timedelta(minutes=m))
                                      for m in minutes_ago])


def test_it_is_locked_until_fifteen_minutes_after_the_fifth_failure(client, business):
    failures("lan", 20, 18, 17, 16, 14)
    r = client.post(URL, {"username": "lan", "password": PASSWORD})
    assert PAUSED in r.content.decode() and "(in 1 minute)" in r.content.decode()


def test_it_unlocks_when_the_lock_is_over(client, business):
    failures("lan", 30, 29, 28, 27, 16)
    assert client.post(URL, {"username": "lan", "password": PASSWORD}).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(client, business):
    # Five failures, but the first and the fifth are 18 minutes apart.
    failures("lan", 20, 14, 10, 6, 2)
    assert client.post(URL, {"username": "lan", "password": PASSWORD}).status_code == 302


def test_a_password_reset_ends_the_lock(client, business):
    failures("lan", 4, 3, 2, 1, 0)
    client.post("/accounts/password-reset/", {"email": "lan@example.vn"})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/reset/" in line).strip()
    r = client.get(link, follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Phố-đi-bộ-Nguyễn-Huệ", "new_password2": "Phố-đi-bộ-Nguyễn-Huệ"})
    assert r.status_code == 302
    assert client.post(URL, {"username": "lan", "password": "Phố-đi-bộ-Nguyễn-Huệ"}).status_code == 302
