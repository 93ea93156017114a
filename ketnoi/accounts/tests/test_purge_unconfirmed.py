from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ketnoi.accounts import services
from ketnoi.accounts.models import Enterprise, User
from ketnoi.audit.models import AuditEvent

from .helpers import PASSWORD, actions, make_user

EXPIRED = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, hours=1)


def register(email, tax_code="0100233488", name="Công ty CP Sao Mai"):
    return services.business_register(tax_code=tax_code, enterprise_name=name, full_name="Người đăng ký",
                                      email=email, phone="", password=PASSWORD)


def later(delta=EXPIRED):
    return timezone.now() + delta


def purge_actions():
    return actions(action__endswith="purge_unconfirmed")


def test_it_removes_an_expired_registration_and_its_enterprise(db):
    user = register("ha@saomai.vn")
    enterprise_id = Enterprise.objects.get().pk
    assert services.registrations_purge_unconfirmed(now=later()) == 1
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Enterprise.objects.filter(pk=enterprise_id).exists()
    assert purge_actions() == ["user.purge_unconfirmed", "enterprise.purge_unconfirmed"]
    event = AuditEvent.objects.get(action="user.purge_unconfirmed")
    assert event.actor is None and event.actor_label == "system"
    assert event.object_id == str(user.pk)
    assert event.before["email"] == "ha@saomai.vn"
    assert "password" not in event.before


def test_it_frees_the_tax_code(db):
    register("typo@saomai.vm")
    services.registrations_purge_unconfirmed(now=later())
    user = register("ha@saomai.vn")
    assert user.role_assignments.get().enterprise.tax_code == "0100233488"


def test_it_keeps_a_fresh_registration(db):
    user = register("ha@saomai.vn")
    assert services.registrations_purge_unconfirmed(now=later(EXPIRED - timedelta(hours=2))) == 0
    assert User.objects.filter(pk=user.pk).exists()
    assert Enterprise.objects.count() == 1
    assert purge_actions() == []


def test_it_keeps_a_confirmed_registration(db):
    user = register("ha@saomai.vn")
    User.objects.filter(pk=user.pk).update(is_active=True)
    assert services.registrations_purge_unconfirmed(now=later()) == 0
    assert User.objects.filter(pk=user.pk).exists()
    assert Enterprise.objects.count() == 1


def test_it_keeps_a_closed_account(db):
    """Deactivated by an administrator after use: kept, as every user who has acted."""
    user = register("ha@saomai.vn")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    assert services.registrations_purge_unconfirmed(now=later()) == 0
    assert User.objects.filter(pk=user.pk).exists()


def test_it_keeps_a_closed_account_that_never_logged_in(db):
    """Confirmed (the audit trail names the user), never logged in, then deactivated."""
    user = register("ha@saomai.vn")
    services.business_confirm_email(token=_token(user))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert services.registrations_purge_unconfirmed(now=later()) == 0
    assert User.objects.filter(pk=user.pk).exists()
    assert Enterprise.objects.count() == 1


def test_it_keeps_an_enterprise_it_did_not_create(enterprise):
    user = register("ha@saomai.vn", tax_code=enterprise.tax_code)
    assert services.registrations_purge_unconfirmed(now=later()) == 1
    assert not User.objects.filter(pk=user.pk).exists()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert purge_actions() == ["user.purge_unconfirmed"]


def test_it_keeps_an_enterprise_someone_else_joined(db):
    first = register("ha@saomai.vn")
    enterprise = Enterprise.objects.get()
    User.objects.filter(pk=first.pk).update(date_joined=timezone.now() - EXPIRED)
    second = register("lan@saomai.vn")
    assert services.registrations_purge_unconfirmed() == 1
    assert not User.objects.filter(pk=first.pk).exists()
    assert User.objects.filter(pk=second.pk).exists()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert second.role_assignments.get().enterprise == enterprise


def test_it_leaves_staff_alone(unit):
    officer = make_user("cb.moi", role="officer", unit=unit, is_active=False)
    User.objects.filter(pk=officer.pk).update(date_joined=timezone.now() - EXPIRED * 10)
    assert services.registrations_purge_unconfirmed() == 0
    assert User.objects.filter(pk=officer.pk).exists()


def test_it_is_safe_to_run_twice(db):
    register("ha@saomai.vn")
    register("nam@khac.vn", tax_code="0314409058", name="Công ty TNHH Ánh Dương")
    assert services.registrations_purge_unconfirmed(now=later()) == 2
    events = AuditEvent.objects.count()
    assert services.registrations_purge_unconfirmed(now=later()) == 0
    assert AuditEvent.objects.count() == events
    assert User.objects.count() == 0 and Enterprise.objects.count() == 0


@pytest.mark.parametrize("age, removed", [(EXPIRED, 1), (EXPIRED - timedelta(hours=2), 0)])
def test_it_counts_from_the_registration(db, age, removed):
    user = register("ha@saomai.vn")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - age)
    assert services.registrations_purge_unconfirmed() == removed


def _token(user):
    from django.core import signing

    return signing.dumps({"u": user.pk, "e": user.email}, salt=services.CONFIRM_SALT)
