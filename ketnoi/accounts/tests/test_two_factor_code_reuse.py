import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from ketnoi.accounts.models import TotpDevice
from ketnoi.testing import totp_enrolled

from .helpers import PASSWORD


def sign_in(client, code):
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    return client.post("/accounts/login/code/", {"code": code})


def test_a_code_used_once_is_refused_the_second_time(officer):
    totp_enrolled(officer)
    device = TotpDevice.objects.get(user=officer)
    totp = pyotp.TOTP(device.secret)
    code = totp.generate_otp(totp.timecode(timezone.now()) + 1)  # one step ahead: allowed once
    first, second = Client(), Client()
    assert sign_in(first, code).status_code == 302
    assert first.session[SESSION_KEY] == str(officer.pk)
    r = sign_in(second, code)
    assert r.status_code == 400
    assert SESSION_KEY not in second.session


def test_an_older_code_than_the_last_used_is_refused(officer):
    totp_enrolled(officer)
    device = TotpDevice.objects.get(user=officer)
    totp = pyotp.TOTP(device.secret)
    now = totp.timecode(timezone.now())
    assert sign_in(Client(), totp.generate_otp(now + 1)).status_code == 302
    assert sign_in(Client(), totp.generate_otp(now)).status_code == 400


def test_a_code_two_steps_away_is_refused(officer):
    totp_enrolled(officer)
    totp = pyotp.TOTP(TotpDevice.objects.get(user=officer).secret)
    assert sign_in(Client(), totp.generate_otp(totp.timecode(timezone.now()) + 3)).status_code == 400


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_app_servers_cannot_both_accept_one_code():
    from ketnoi.accounts.services import totp_verify
    from ketnoi.testing import make_user, race, seed_reference_data, totp_code

    seed_reference_data()
    officer = make_user("officer")
    totp_enrolled(officer)
    code = totp_code(officer)
    results, errors = race(lambda: totp_verify(user=officer, code=code), lambda: totp_verify(user=officer, code=code))
    assert errors == [None, None]
    assert sorted(results) == [False, True]
