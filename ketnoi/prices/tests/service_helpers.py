"""Operators, their facilities and the people around them, for the tests of the prices core
(services, selectors, XLSX reading).

Price lists and commitments are made only through the services under test. The clock is
Django's, set by the test (Monday 09/03/2026 09:00 in Ho Chi Minh City unless told otherwise).
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.notifications.models import Notification
from ketnoi.org.models import Unit
from ketnoi.prices import services
from ketnoi.prices.models import (
    Breach, BreachItem, Commitment, Facility, FacilityKind, FollowUpNote, Price, PriceList, Service,
)
from ketnoi.testing import Clock, at, make_enterprise, make_unit, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120

# The tariff of a container terminal (đồng), as filed before any commitment.
TARIFF = {"NH20": 1_050_000, "NH40": 1_550_000, "LB20": 55_000, "DO": 300_000}


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))


@pytest.fixture
def w(db, clock):
    return build_world()



def build_world() -> SimpleNamespace:
    """Two customs branches with their people; two operators, the first with two facilities in
    the first branch's area and one in the second's, the other with one facility."""
    w = SimpleNamespace()
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department")
    w.branch = make_unit(code="02CI", parent=w.department, name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                         name_en="Saigon Port Zone I Customs Branch")
    w.branch2 = make_unit(code="02CX", parent=w.department, name_vi="Chi cục Hải quan cửa khẩu cảng Cát Lái",
                          name_en="Cat Lai Port Customs Branch")
    w.coordinator = make_user(Role.COORDINATOR, full_name="Trần Thị Thanh Hương")
    w.coordinator2 = make_user(Role.COORDINATOR, full_name="Lê Quang Vinh", language="en")
    w.leader = make_user(Role.LEADER, unit=w.branch, full_name="Phạm Văn Khải")
    w.deputy = make_user(Role.LEADER, unit=w.branch, full_name="Đỗ Thị Ngọc Lan", language="en")
    w.officer = make_user(Role.OFFICER, unit=w.branch, full_name="Võ Minh Tuấn")
    w.leader2 = make_user(Role.LEADER, unit=w.branch2, full_name="Nguyễn Hoàng Phúc")
    w.officer2 = make_user(Role.OFFICER, unit=w.branch2, full_name="Bùi Thanh Sơn")
    w.operator = make_enterprise(name="Công ty Cổ phần Cảng Tân Thuận Đông", short_name="Cảng Tân Thuận Đông")
    w.operator_user = make_user(Role.OPERATOR, enterprise=w.operator, full_name="Hồ Thị Mỹ Duyên")
    w.operator_user2 = make_user(Role.OPERATOR, enterprise=w.operator, full_name="Lương Văn Đạt", language="en")
    w.other_operator = make_enterprise(name="Công ty TNHH Kho vận Phước Long Xanh")
    w.other_operator_user = make_user(Role.OPERATOR, enterprise=w.other_operator, full_name="Kiều Văn Nam")
    w.business = make_user(Role.BUSINESS, enterprise=w.operator, full_name="Đinh Thị Thu")
    w.admin = make_user(Role.ADMIN)
    w.party = make_user(Role.PARTY_OFFICE)
    w.nobody = make_user(None)
    w.port = services.facility_create(operator=w.operator, name="Cảng Tân Thuận Đông – bãi container", kind=FacilityKind.PORT,
                                      unit=w.branch, by=w.coordinator, address="Phường Phú Thuận, Quận 7")
    w.cfs = services.facility_create(operator=w.operator, name="Kho CFS Tân Thuận Đông", kind=FacilityKind.CFS,
                                     unit=w.branch, by=w.coordinator)
    w.icd = services.facility_create(operator=w.operator, name="ICD Tân Thuận Đông – Cát Lái", kind=FacilityKind.ICD,
                                     unit=w.branch2, by=w.coordinator)
    w.other = services.facility_create(operator=w.other_operator, name="Kho ngoại quan Phước Long Xanh",
                                       kind=FacilityKind.BONDED, unit=w.branch, by=w.coordinator)
    return w


def service(code: str) -> Service:
    return Service.objects.get(code=code)


def file(w, facility=None, prices=None, effective_from=date(2026, 3, 9), by=None, **fields):
    """A list filed by the operator's user (the port, TARIFF, in force from Monday 09/03/2026
    unless told otherwise); returns (price_list, breaches)."""
    return services.price_list_file(facility=facility or w.port, prices=TARIFF if prices is None else prices,
                                    effective_from=effective_from, by=by or w.operator_user, **fields)


def commit_to(w, facilities=None, period_from=date(2026, 4, 1), period_to=date(2026, 12, 31),
              signed_on=date(2026, 3, 6), by=None, **fields) -> Commitment:
    """The operator's commitment for the port (April–December 2026, signed on 06/03/2026)
    unless told otherwise."""
    return services.commitment_create(operator=fields.pop("operator", w.operator),
                                      facilities=[w.port] if facilities is None else facilities,
                                      period_from=period_from, period_to=period_to, signed_on=signed_on,
                                      by=by or w.coordinator, **fields)


def upload(name: str = "cam-ket.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def prices_of(price_list: PriceList) -> dict[str, int]:
    return dict(price_list.prices.values_list("service__code", "amount"))


def counts() -> dict:
    """The rows the prices services write, to check that a refused call wrote none."""
    return {"facilities": Facility.objects.count(), "lists": PriceList.objects.count(), "prices": Price.objects.count(),
            "commitments": Commitment.objects.count(), "breaches": Breach.objects.count(),
            "items": BreachItem.objects.count(), "notes": FollowUpNote.objects.count(),
            "broken": Commitment.objects.filter(status="broken").count(),
            "audit": AuditEvent.objects.count(), "notifications": Notification.objects.count()}


def errors_of(call) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def refused(call, field: str) -> list[str]:
    """Call, expect a ValidationError on `field` (in English), and check nothing was written."""
    before = counts()
    errors = errors_of(call)
    assert field in errors, errors
    assert counts() == before
    return errors[field]


def mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def audit(action: str, obj=None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk))
    return list(qs.order_by("id"))
