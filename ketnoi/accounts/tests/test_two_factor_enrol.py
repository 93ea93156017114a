import re

import pyotp
from django.contrib.auth import SESSION_KEY

from ketnoi.accounts.models import RecoveryCode, TotpDevice
from ketnoi.audit.models import AuditEvent

from .helpers import PASSWORD

URL = "/accounts/login/"
ENROL = "/accounts/two-factor/"


def password_step(client, username="officer", **data):
    return client.post(URL, {"username": username, "password": PASSWORD, **data})


def test_a_staff_member_without_an_authenticator_is_taken_to_enrolment(client, officer):
    r = password_step(client)
    assert r.status_code == 302 and r.url == ENROL
    # The password alone does not sign in: every page still treats the browser as anonymous.
    assert SESSION_KEY not in client.session
    r = client.get("/accounts/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")


def test_the_page_shows_the_qr_code_and_the_secret_as_text(client, officer):
    password_step(client)
    page = client.get(ENROL).content.decode()
    secret = TotpDevice.objects.get(user=officer).secret
    assert "<svg" in page
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    # Reloading shows the same secret (the app may have scanned it already).
    assert TotpDevice.objects.get(user=officer).secret == secret
    client.get(ENROL)
    assert TotpDevice.objects.get(user=officer).secret == secret


def test_a_right_code_confirms_it_shows_ten_recovery_codes_once_and_signs_in(client, officer):
    password_step(client, next="/accounts/")
    client.get(ENROL)
    device = TotpDevice.objects.get(user=officer)
    r = client.post(ENROL, {"code": pyotp.TOTP(device.secret).now()})
    assert r.status_code == 200
    page = r.content.decode()
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(set(codes)) == 10
    assert 'href="/accounts/"' in page
    assert client.session[SESSION_KEY] == str(officer.pk)
    device.refresh_from_db()
    assert device.confirmed_at is not None
    # Stored hashed only.
    stored = set(RecoveryCode.objects.filter(user=officer).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    # The audit event does not show the secret.
    event = AuditEvent.objects.get(action="user.two_factor_enrol")
    assert "secret" not in event.after and device.secret not in str(event.after)
    # Shown once: the page does not come back.
    assert client.get(ENROL).status_code == 302


def test_a_wrong_code_is_refused_and_counted(client, officer):
    password_step(client)
    client.get(ENROL)
    r = client.post(ENROL, {"code": "000000" if pyotp.TOTP(TotpDevice.objects.get().secret).now() != "000000" else "111111"})
    assert r.status_code == 400
    assert "This code is not right." in r.content.decode()
    assert SESSION_KEY not in client.session
    assert TotpDevice.objects.get().confirmed_at is None
    from ketnoi.accounts.models import LoginFailure

    assert LoginFailure.objects.get().username == "officer"


def test_the_party_office_and_the_admin_enrol_too(client, party, admin_user):
    assert password_step(client, "party").url == ENROL
    client.logout()
    assert password_step(client, "quantri").url == ENROL


def test_a_business_signs_in_with_its_password_only(client, business):
    r = password_step(client, "lan")
    assert r.status_code == 302 and r.url == "/"
    assert client.session[SESSION_KEY] == str(business.pk)


def test_it_can_be_turned_off_for_a_trial(client, settings, officer):
    settings.KETNOI_STAFF_2FA = "off"
    r = password_step(client)
    assert r.url == "/" and client.session[SESSION_KEY] == str(officer.pk)


def test_the_enrolment_page_needs_the_password_first(client, db):
    r = client.get(ENROL)
    assert r.status_code == 302 and r.url == URL
