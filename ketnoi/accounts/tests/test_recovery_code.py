import re

import pyotp
from django.contrib.auth import SESSION_KEY
from django.test import Client

from ketnoi.accounts.models import RecoveryCode, TotpDevice
from ketnoi.audit.models import AuditEvent

from .helpers import PASSWORD


def enrol(client) -> list[str]:
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    client.get("/accounts/two-factor/")
    r = client.post("/accounts/two-factor/", {"code": pyotp.TOTP(TotpDevice.objects.get().secret).now()})
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", r.content.decode())


def sign_in(code):
    client = Client()
    client.cookies["ketnoi_language"] = "en"
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    return client, client.post("/accounts/login/code/", {"code": code}, follow=True)


def test_a_recovery_code_signs_in_once(client, officer):
    codes = enrol(client)
    other, r = sign_in(codes[3].upper().replace("-", " "))
    assert other.session[SESSION_KEY] == str(officer.pk)
    assert "9 are left" in r.content.decode()
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action="user.recovery_code_use").count() == 1
    again, r = sign_in(codes[3])
    assert SESSION_KEY not in again.session
    assert "This code is not right." in r.content.decode()


def test_a_made_up_recovery_code_is_refused(client, officer):
    enrol(client)
    other, r = sign_in("abcde-fghjk")
    assert SESSION_KEY not in other.session

