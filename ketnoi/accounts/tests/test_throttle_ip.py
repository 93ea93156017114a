from ketnoi.accounts.models import LoginFailure

from .helpers import PASSWORD

URL = "/accounts/login/"
PAUSED = "There were too many unsuccessful sign-in attempts."


def spray(client, count, **extra):
    """One failure each for many usernames, as a password-spraying robot does."""
    for n in range(count):
        r = client.post(URL, {"username": f"nguoi.dung.{n}", "password": "Mùa-xuân-2024"}, **extra)
    return r


def test_it_stops_an_address_that_fails_for_many_usernames(client, settings, business):
    settings.KETNOI_LOGIN_IP_FAILURES = 8
    r = spray(client, 8, REMOTE_ADDR="203.113.45.7")
    assert PAUSED in r.content.decode()
    # The address cannot even try an account it knows the password of …
    r = client.post(URL, {"username": "lan", "password": PASSWORD}, REMOTE_ADDR="203.113.45.7")
    assert PAUSED in r.content.decode()
    # … while the person at another address signs in.
    assert client.post(URL, {"username": "lan", "password": PASSWORD}, REMOTE_ADDR="14.161.2.9").status_code == 302


def test_it_ignores_x_forwarded_for_from_a_client(client, settings, db):
    settings.KETNOI_LOGIN_IP_FAILURES = 3
    for n in range(3):
        client.post(URL, {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="203.113.45.7",
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.113.45.7"}


def test_it_reads_the_first_forwarded_address_from_a_trusted_proxy(client, settings, db):
    settings.KETNOI_TRUSTED_PROXIES = ["10.20.0.0/24"]
    client.post(URL, {"username": "u", "password": "x"}, REMOTE_ADDR="10.20.0.5",
                HTTP_X_FORWARDED_FOR="203.113.45.7, 10.0.0.1")
    client.post(URL, {"username": "u", "password": "x"}, REMOTE_ADDR="10.20.0.5", HTTP_X_FORWARDED_FOR="không-phải-IP")
    # nginx on this machine is trusted by default … only when the setting keeps it.
    client.post(URL, {"username": "u", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="14.161.2.9")
    assert list(LoginFailure.objects.order_by("id").values_list("ip", flat=True)) == ["203.113.45.7", None, "127.0.0.1"]


def test_nginx_on_the_same_machine_is_trusted_by_default(client, db):
    client.post(URL, {"username": "u", "password": "x"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="14.161.2.9")
    assert LoginFailure.objects.get().ip == "14.161.2.9"
