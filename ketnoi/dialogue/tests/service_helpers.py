"""A small department for the tests of the dialogue core (access, services, selectors, tick).

Units and users come from ketnoi.testing; programmes, sessions and registrations are made only
through the services under test. The clock is Django's, set by the test: Monday 02/03/2026
09:00 in Ho Chi Minh City unless told otherwise. The High-Tech Park branch's programme meets on
the first Friday of each month, 07:30–09:00: 06/03, 03/04, 01/05, 05/06, 03/07, 07/08/2026 …
"""

from datetime import date, time
from types import SimpleNamespace

import pytest
from django.core import mail

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Case, CaseEvent
from ketnoi.dialogue import services
from ketnoi.dialogue.models import Attendee, Minutes, Programme, Question, Registration, Session, SurveyResponse
from ketnoi.org.models import Unit
from ketnoi.testing import Clock, at, make_enterprise, make_unit, make_user, seed_reference_data

RULE = "FREQ=MONTHLY;BYDAY=1FR"
VENUE = "Hội trường tầng 2, Chi cục Hải quan Khu Công nghệ cao, Lô I3-1 đường N2, TP. Thủ Đức"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 2, 9))


@pytest.fixture
def w(db, clock):
    return build_world()



def build_world() -> SimpleNamespace:
    """The department; the High-Tech Park branch (02F3) with a team under it; another branch;
    the people of each; three enterprises with their users."""
    seed_reference_data()
    w = SimpleNamespace()
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department")
    w.branch = make_unit(code="02F3", parent=w.department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                         name_en="High-Tech Park Customs Branch", short_name_vi="HQCNC")
    w.team = make_unit(kind=Unit.Kind.TEAM, parent=w.branch, code="",
                       name_vi="Đội Nghiệp vụ", name_en="Operations Team")
    w.other_branch = make_unit(code="02PG", parent=w.department, name_vi="Chi cục Hải quan Khu chế xuất Linh Trung",
                               name_en="Linh Trung Export Processing Zone Customs Branch")
    w.leader = make_user(Role.LEADER, unit=w.branch, full_name="Nguyễn Thành Trung", username="trungnt")
    w.deputy = make_user(Role.LEADER, unit=w.branch, full_name="Lê Thị Minh Châu", language="en")
    w.officer = make_user(Role.OFFICER, unit=w.branch, full_name="Phan Văn Đức")
    w.officer2 = make_user(Role.OFFICER, unit=w.branch, full_name="Trần Thị Mỹ Dung")
    w.team_officer = make_user(Role.OFFICER, unit=w.team, full_name="Đặng Quốc Huy")
    w.department_leader = make_user(Role.LEADER, unit=w.department, full_name="Võ Hoàng Nam")
    w.other_officer = make_user(Role.OFFICER, unit=w.other_branch, full_name="Huỳnh Thị Thu Trang")
    w.other_leader = make_user(Role.LEADER, unit=w.other_branch, full_name="Bùi Đức Thắng")
    w.coordinator = make_user(Role.COORDINATOR, full_name="Trương Thị Ngọc Ánh")
    w.enterprise = make_enterprise(name="Công ty TNHH Điện tử Sao Việt", home_unit=w.branch)
    w.enterprise2 = make_enterprise(name="Công ty Cổ phần Linh kiện Thủ Đức", home_unit=w.branch)
    w.enterprise3 = make_enterprise(name="Công ty TNHH Cơ khí chính xác Phước Long", home_unit=w.branch)
    w.business = make_user(Role.BUSINESS, enterprise=w.enterprise, full_name="Ngô Thị Hồng Nhung")
    w.business2 = make_user(Role.BUSINESS, enterprise=w.enterprise2, full_name="Lý Văn Phát", language="en")
    w.business3 = make_user(Role.BUSINESS, enterprise=w.enterprise3, full_name="Đoàn Minh Khoa")
    w.operator = make_user(Role.OPERATOR)
    w.party = make_user(Role.PARTY_OFFICE)
    w.admin = make_user(Role.ADMIN)
    w.nobody = make_user(None)
    return w


def programme_fields(w, **fields) -> dict:
    defaults = dict(by=w.leader, unit=w.branch, name="Cà phê sáng cùng doanh nghiệp", rrule=RULE,
                    starts_on=date(2026, 3, 1), start_time=time(7, 30), end_time=time(9, 0), venue=VENUE,
                    capacity=3, description="Lãnh đạo Chi cục gặp gỡ, lắng nghe và tháo gỡ vướng mắc của doanh nghiệp.",
                    topics=["thu-tuc", "thue"], hosts=[w.officer])
    return {**defaults, **fields}


def make_programme(w, **fields) -> Programme:
    return services.programme_create(**programme_fields(w, **fields))


def first_session(programme: Programme) -> Session:
    return programme.sessions.order_by("starts_at").first()


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def counts() -> dict:
    """The rows the dialogue services write, to check that a refused call wrote none."""
    return {"programmes": Programme.objects.count(), "sessions": Session.objects.count(),
            "registrations": Registration.objects.count(), "attendees": Attendee.objects.count(),
            "questions": Question.objects.count(), "cases": Case.objects.count(),
            "case_events": CaseEvent.objects.count(), "minutes": Minutes.objects.count(),
            "surveys": SurveyResponse.objects.count(), "audit": AuditEvent.objects.count(),
            "confirmed": Registration.objects.filter(status="confirmed").count(),
            "checked_in": Registration.objects.filter(checked_in_at__isnull=False).count(),
            "sequence": sum(Session.objects.values_list("sequence", flat=True)),
            "statuses": sorted(Session.objects.values_list("status", flat=True))}


def mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def audit(action: str, obj=None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk))
    return list(qs.order_by("id"))


ATTENDEES = [{"name": "Ngô Thị Hồng Nhung", "position": "Kế toán trưởng"},
             {"name": "Phạm Quốc Bảo", "position": "Trưởng phòng xuất nhập khẩu"}]
QUESTIONS = [
    {"topic": "thue", "subject": "Hoàn thuế nhập khẩu linh kiện sản xuất hàng xuất khẩu",
     "description": "Doanh nghiệp nhập khẩu linh kiện để sản xuất bo mạch xuất khẩu; hồ sơ hoàn thuế cần những chứng từ gì?"},
    {"topic": "thu-tuc", "subject": "Thủ tục thanh lý máy móc tạm nhập",
     "description": "Máy móc tạm nhập năm 2021 đã hết khấu hao, doanh nghiệp muốn thanh lý tại Việt Nam: thủ tục thế nào?"},
]


def register(w, session, *, by=None, enterprise=None, attendees=None, questions=(), **fields) -> Registration:
    """A registration by the business user of `enterprise` (the world's first by default)."""
    by = by or {w.enterprise: w.business, w.enterprise2: w.business2, w.enterprise3: w.business3}[enterprise or w.enterprise]
    return services.registration_create(session=session, by=by, enterprise=enterprise or w.enterprise,
                                        attendees=ATTENDEES[:1] if attendees is None else attendees,
                                        questions=questions, **fields)


def ics_of(message):
    """The .ics attached to an e-mail, parsed (icalendar), or None."""
    import icalendar

    for name, content, mime in [a for a in message.attachments if isinstance(a, tuple)]:
        if name.endswith(".ics"):
            assert mime.startswith("text/calendar")
            return icalendar.Calendar.from_ical(content)
    return None


def qr_of(message) -> bytes | None:
    """The PNG of the check-in QR code an e-mail carries (inline, with its Content-ID), or None."""
    for part in message.attachments:
        if not isinstance(part, tuple) and part.get_content_type() == "image/png":
            assert part["Content-ID"] == "<checkin-qr>"
            return part.get_payload(decode=True)
    return None


def qr_text(png: bytes) -> str:
    """What a QR code image says, read by a real decoder (zxing-cpp), as a phone would."""
    import io

    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


QUESTION_ORIGIN = {"topic": "xuat-xu", "subject": "Chứng nhận xuất xứ mẫu D cho linh kiện",
                   "description": "Linh kiện xuất sang Thái Lan cần C/O mẫu D: tiêu chí xuất xứ nào áp dụng?"}


def session_with_questions(w):
    """The first session (Friday 06/03/2026) with three businesses registered and four
    questions sent ahead: thuế and thủ tục (Sao Việt), xuất xứ (Linh kiện Thủ Đức), thuế
    (Phước Long). The clock is left on the session's morning, 07:45."""
    from ketnoi.testing import at

    session = first_session(make_programme(w))
    register(w, session, attendees=ATTENDEES, questions=QUESTIONS)
    register(w, session, enterprise=w.enterprise2, questions=[QUESTION_ORIGIN])
    register(w, session, enterprise=w.enterprise3, questions=[{**QUESTIONS[0], "subject": "Miễn thuế hàng tạo tài sản cố định"}])
    return session, at(2026, 3, 6, 7, 45)


def held_session(w, clock):
    """The first session, run: the deputy chairs; Sao Việt and Linh kiện Thủ Đức checked in
    (Phước Long did not come); the thủ tục question answered on the spot, the first thuế
    question followed up by the second officer until Friday 20/03/2026; closed at 09:05."""
    from datetime import date

    from ketnoi.dialogue import selectors

    session, morning = session_with_questions(w)
    clock.now = morning
    services.agenda_save(session=session, by=w.leader, order=[q.pk for q in services.agenda_default(session)],
                         chair=w.deputy)
    for enterprise in (w.enterprise, w.enterprise2):
        services.registration_check_in(registration=session.registrations.get(enterprise=enterprise), by=w.officer)
    questions = {q.case.subject: q for q in selectors.agenda(session)}
    services.question_answer_on_spot(question=questions[QUESTIONS[1]["subject"]], by=w.officer, answer=ANSWER_ON_SPOT)
    services.question_follow_up(question=questions[QUESTIONS[0]["subject"]], by=w.deputy, owner=w.officer2,
                                due=date(2026, 3, 20), note=FOLLOW_UP_NOTE)
    clock.set(2026, 3, 6, 9, 5)
    services.session_close(session=session, by=w.deputy)
    return fresh(session)


ANSWER_ON_SPOT = ("Máy móc tạm nhập thanh lý tại Việt Nam phải làm thủ tục thay đổi mục đích sử dụng theo Điều 21 "
                  "Nghị định 08/2015/NĐ-CP; Chi cục hướng dẫn Công ty mở tờ khai mới và nộp thuế nếu có.")
FOLLOW_UP_NOTE = "Chi cục xin ý kiến Phòng Thuế xuất nhập khẩu về chứng từ hoàn thuế, trả lời Công ty bằng văn bản."
