"""unit_create: a new customs unit, with its audit event."""

from datetime import date

import pytest
from django.utils import translation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.org.models import Unit
from ketnoi.org.services import unit_create
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db


def create(**fields):
    values = dict(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao", name_en="High-Tech Park Customs Branch",
                  kind="branch", parent=None, by=None)
    values.update(fields)
    return unit_create(**values)


def test_it_creates_a_unit_with_an_audit_event():
    admin = make_user(Role.ADMIN)
    dept = create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                  kind="department", by=admin)
    unit = create(code=" 02f3 ", parent=dept, by=admin, valid_from=date(2003, 1, 1), short_name_vi="CC HQ KCNC")
    unit.refresh_from_db()
    assert unit.code == "02F3"  # office codes are stored upper case, without spaces
    assert unit.parent == dept
    assert unit.valid_from == date(2003, 1, 1)
    assert unit.short_name_vi == "CC HQ KCNC"
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.actor == admin
    assert event.object_type == "org.unit"
    assert event.before is None
    assert event.after["code"] == "02F3"
    assert event.after["parent"] == dept.pk


def test_it_refuses_a_duplicate_code():
    create(code="02F3")
    for language, message in [("vi", "Đã có đơn vị khác dùng mã hải quan này."),
                              ("en", "Another unit already has this office code.")]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            create(code="02f3", name_vi="Chi cục khác")
        assert error.value.messages == [message]
    assert Unit.objects.filter(code="02F3").count() == 1
    assert AuditEvent.objects.filter(action="unit.create").count() == 1


def test_it_allows_an_empty_code_twice():
    first = create(code="", name_vi="Phòng Thuế xuất nhập khẩu", kind="division")
    second = create(code="  ", name_vi="Phòng Quản lý rủi ro", kind="division")
    assert first.code == second.code == ""
    assert Unit.objects.filter(code="").count() == 2


@pytest.mark.parametrize("fields", [
    {"name_vi": ""},
    {"name_vi": "   "},
    {"kind": "ministry"},
    {"email": "not an address"},
    {"code": "02F3-TOO-LONG"},
])
def test_it_refuses_bad_input_and_writes_nothing(fields):
    with pytest.raises(ValidationError):
        create(**fields)
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_full_clean_refuses_valid_to_before_valid_from():
    unit = Unit(code="02F3", name_vi="Chi cục", name_en="Branch", kind="branch",
                valid_from=date(2025, 3, 1), valid_to=date(2025, 2, 28))
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_the_database_refuses_valid_to_before_valid_from():
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="02F3", name_vi="Chi cục", name_en="Branch", kind="branch",
                            valid_from=date(2025, 3, 1), valid_to=date(2025, 2, 28))
    assert not Unit.objects.exists()


def test_the_database_refuses_a_duplicate_code():
    create(code="02F3")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code="02F3", name_vi="Chi cục khác", name_en="Other", kind="branch")
    assert Unit.objects.filter(code="02F3").count() == 1
