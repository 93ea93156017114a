import pytest
from django.core.exceptions import ValidationError

from ketnoi.accounts.models import User
from ketnoi.accounts.services import user_create
from ketnoi.audit.models import AuditEvent

from .helpers import actions, counts, make_user

pytestmark = pytest.mark.usefixtures("english")


def create(by, **overrides):
    data = {"username": " cb.tuan ", "full_name": " Lê Anh Tuấn ", "email": " Tuan.LA@Customs.gov.vn ",
            "role": "officer"}
    data.update(overrides)
    return user_create(by=by, **data)


def test_it_creates_an_officer(admin_user, unit):
    user = create(admin_user, unit=unit)
    user.refresh_from_db()
    assert user.username == "cb.tuan"
    assert user.full_name == "Lê Anh Tuấn"
    assert user.email == "tuan.la@customs.gov.vn"
    assert user.is_active
    assert not user.is_staff and not user.is_superuser
    assert list(user.role_assignments.values_list("role", "unit_id")) == [("officer", unit.pk)]


def test_it_leaves_the_password_to_the_person(admin_user, unit):
    user = create(admin_user, unit=unit)
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_it_sets_a_given_password(admin_user, unit):
    user = create(admin_user, unit=unit, password="Mật-khẩu-tạm-2025")
    user.refresh_from_db()
    assert user.check_password("Mật-khẩu-tạm-2025")


def test_it_records_audit_events(admin_user, unit):
    user = create(admin_user, unit=unit)
    assert actions() == ["user.create", "role.assign"]
    assert {e.actor for e in AuditEvent.objects.all()} == {admin_user}
    event = AuditEvent.objects.get(action="user.create")
    assert event.object_id == str(user.pk)
    assert "password" not in event.after


def test_it_creates_an_administrator(admin_user):
    user = create(admin_user, role="admin")
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
    assert list(user.role_assignments.values_list("role", "unit_id")) == [("admin", None)]


def test_it_drops_the_unit_of_a_coordinator(admin_user, unit):
    user = create(admin_user, role="coordinator", unit=unit)
    assert list(user.role_assignments.values_list("role", "unit_id")) == [("coordinator", None)]


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_an_officer_needs_a_unit(admin_user, role):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        create(admin_user, role=role)
    assert caught.value.messages == ["An officer or unit leader belongs to a unit: choose one."]
    assert counts() == before  # the user is not left behind without a role
    assert not User.objects.filter(username="cb.tuan").exists()


def test_it_refuses_a_username_already_taken(admin_user, unit):
    make_user("cb.tuan")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        create(admin_user, unit=unit)
    assert "username" in caught.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("field, value", [("username", "cb tuan"), ("username", ""), ("email", "tuan@"),
                                          ("role", "superman")])
def test_it_refuses_bad_input(admin_user, unit, field, value):
    before = counts()
    with pytest.raises(ValidationError):
        create(admin_user, unit=unit, **{field: value})
    assert counts() == before
