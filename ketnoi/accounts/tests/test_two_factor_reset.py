from ketnoi.accounts.models import RecoveryCode, TotpDevice
from ketnoi.audit.models import AuditEvent
from ketnoi.testing import totp_enrolled

from .helpers import PASSWORD

CHANGELIST = "/admin/accounts/user/"


def reset(client, user):
    return client.post(CHANGELIST, {"action": "reset_two_factor", "_selected_action": [user.pk]})


def test_an_admin_resets_a_users_authenticator(client, admin_user, officer):
    totp_enrolled(officer)
    client.force_login(admin_user)
    r = reset(client, officer)
    assert r.status_code == 302
    assert not TotpDevice.objects.filter(user=officer).exists()
    assert not RecoveryCode.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="user.two_factor_reset")
    assert event.actor == admin_user and event.object_id == str(officer.pk)
    assert "secret" not in (event.before or {})
    # At the next sign-in the officer adds a new one.
    client.logout()
    r = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert r.url == "/accounts/two-factor/"


def test_a_coordinator_cannot(client, coordinator, officer):
    totp_enrolled(officer)
    client.force_login(coordinator)
    r = reset(client, officer)
    assert r.status_code == 302 and "/login/" in r.url
    assert TotpDevice.objects.filter(user=officer).exists()
    assert not AuditEvent.objects.filter(action="user.two_factor_reset").exists()


def test_the_admin_site_login_goes_through_the_second_factor(client, admin_user):
    r = client.get("/admin/login/?next=/admin/accounts/user/")
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/") and "next=/admin/accounts/user/" in r.url
