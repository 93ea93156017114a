"""A small department for the tests of the directives core (services, selectors, tick, search).

Units and users come from ketnoi.testing; directives are issued, acknowledged and reported only
through the services under test. The clock is Django's, set by the test (Monday 09/03/2026 09:00
in Ho Chi Minh City unless told otherwise), so deadlines and days in force are exact.
"""

import itertools
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.directives import services
from ketnoi.directives.models import Attachment, Delegate, Directive, Recipient
from ketnoi.org.models import Unit
from ketnoi.testing import Clock, at, make_unit, make_user

# File contents the upload check recognises (as ketnoi/cases/tests/page_helpers.py builds them).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120

BODY = ("Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ về phòng, chống dịch COVID-19.\n"
        "Các Chi cục, Phòng, Đội bố trí cán bộ làm việc từ 07 giờ 30 đến 17 giờ 00 hằng ngày.\n"
        "Thủ trưởng đơn vị chịu trách nhiệm đo thân nhiệt, khử khuẩn trụ sở và báo cáo về Văn phòng Cục.")

_numbers = itertools.count(100)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))


@pytest.fixture
def w(db, clock):
    return build_world()



def build_world() -> SimpleNamespace:
    """The department with two branches (the first with a team under it), two divisions (the
    office, Văn phòng, issues the directives), and the people of each."""
    w = SimpleNamespace()
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department")
    w.office = make_unit(kind=Unit.Kind.DIVISION, parent=w.department, name_vi="Văn phòng Cục",
                         name_en="Department Office", short_name_vi="VP")
    w.division = make_unit(kind=Unit.Kind.DIVISION, parent=w.department, name_vi="Phòng Giám sát quản lý",
                           name_en="Supervision Division", short_name_vi="GSQL")
    w.branch = make_unit(code="02CI", parent=w.department, name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                         name_en="Saigon Port Zone I Customs Branch", short_name_vi="CC KV I")
    w.branch2 = make_unit(code="02B1", parent=w.department, name_vi="Chi cục Hải quan cửa khẩu sân bay quốc tế Tân Sơn Nhất",
                          name_en="Tan Son Nhat Airport Customs Branch", short_name_vi="CC TSN")
    w.team = make_unit(kind=Unit.Kind.TEAM, parent=w.branch, code="", name_vi="Đội Thủ tục hàng hóa xuất nhập khẩu",
                       name_en="Import-Export Procedures Team")
    w.coordinator = make_user(Role.COORDINATOR, full_name="Trần Thị Thanh Hương")
    w.coordinator2 = make_user(Role.COORDINATOR, full_name="Lê Quang Vinh")
    w.leader = make_user(Role.LEADER, unit=w.branch, full_name="Phạm Văn Khải")
    w.deputy = make_user(Role.LEADER, unit=w.branch, full_name="Đỗ Thị Ngọc Lan", language="en")
    w.officer = make_user(Role.OFFICER, unit=w.branch, full_name="Võ Minh Tuấn")
    w.officer2 = make_user(Role.OFFICER, unit=w.branch, full_name="Huỳnh Thị Kim Oanh")
    w.leader2 = make_user(Role.LEADER, unit=w.branch2, full_name="Nguyễn Hoàng Phúc")
    w.officer_b2 = make_user(Role.OFFICER, unit=w.branch2, full_name="Bùi Thanh Sơn")
    w.division_leader = make_user(Role.LEADER, unit=w.division, full_name="Lâm Thị Bích Ngân")
    w.office_leader = make_user(Role.LEADER, unit=w.office, full_name="Châu Văn Lộc")
    w.team_leader = make_user(Role.LEADER, unit=w.team, full_name="Tạ Quốc Bảo")
    w.team_officer = make_user(Role.OFFICER, unit=w.team, full_name="Mai Thị Hồng Nhung")
    w.business = make_user(Role.BUSINESS)
    w.operator = make_user(Role.OPERATOR)
    w.party = make_user(Role.PARTY_OFFICE)
    w.admin = make_user(Role.ADMIN)
    w.nobody = make_user(None)
    return w


def next_number() -> str:
    return f"{next(_numbers)}/HQHCM-VP"


def issue(w, **fields) -> Directive:
    """A directive the department office issues today to every branch and division (fields
    given override the defaults)."""
    today = timezone.localdate()
    defaults = dict(
        by=w.coordinator, number=next_number(), title="Về việc tăng cường phòng, chống dịch COVID-19 tại trụ sở",
        body=BODY, issuing_unit=w.office, signer_name="Nguyễn Văn Tâm", signer_title="Phó Cục trưởng",
        effective_from=today,
    )
    return services.directive_issue(**{**defaults, **fields})


def replace(w, previous: Directive, **fields) -> Directive:
    """A new version of ``previous`` that replaces it, with its targets unless told otherwise."""
    defaults = dict(previous=previous, change="replaces", target=previous.target,
                    target_kinds=previous.target_kinds, target_units=list(previous.target_units.all()))
    return issue(w, **{**defaults, **fields})


def upload(name: str = "cong-van.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def recipient(directive: Directive, unit: Unit) -> Recipient:
    return Recipient.objects.get(directive=directive, unit=unit)


def unit_ids(directive: Directive) -> set[int]:
    return set(directive.recipients.values_list("unit_id", flat=True))


def counts() -> dict:
    """The rows a directive service writes, to check that a refused call wrote none."""
    return {"directives": Directive.objects.count(), "recipients": Recipient.objects.count(),
            "attachments": Attachment.objects.count(), "audit": AuditEvent.objects.count(),
            "delegates": Delegate.objects.count(),
            "acknowledged": Recipient.objects.filter(acknowledged_at__isnull=False).count(),
            "reported": Recipient.objects.filter(reported_at__isnull=False).count(),
            "superseded": Directive.objects.filter(superseded_from__isnull=False).count()}


def mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def audit(action: str, obj=None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk))
    return list(qs.order_by("id"))
