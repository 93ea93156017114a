"""case_message: staff write to the business or leave internal notes; the business replies."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status

from .core_helpers import assert_state_is_replayable, file_case, fresh, kinds, mail_to

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.fixture
def case(w):
    return file_case(w)


def test_an_officer_writes_to_the_business(w, case, commit):
    with commit():
        event = services.case_message(case=case, body="Chi cục đã nhận hồ sơ, đang xem xét.", by=w.officer)
    assert event.kind == CaseEvent.Kind.MESSAGE and event.public and event.actor == w.officer
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.acknowledged_at == event.at
    assert len(mail_to(w.business)) == 1 and "đang xem xét" in mail_to(w.business)[0].body
    assert AuditEvent.objects.filter(action="case.message").count() == 1
    assert_state_is_replayable(case)


def test_an_internal_note_never_reaches_the_business(w, case, commit):
    with commit():
        event = services.case_message(case=case, body="Cần hỏi ý kiến Phòng Thuế XNK.", by=w.officer,
                                      internal=True)
    assert event.kind == CaseEvent.Kind.NOTE and not event.public
    assert mail_to(w.business) == [] and mail_to(w.business2) == []
    assert fresh(case).status == Status.NEW  # a note is not an acknowledgement


def test_a_shared_unit_adds_notes_but_does_not_write_to_the_business(w, case):
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    services.case_message(case=case, body="Ý kiến của đơn vị phối hợp.", by=w.shared_officer, internal=True)
    with pytest.raises(PermissionDenied):
        services.case_message(case=case, body="Gửi doanh nghiệp.", by=w.shared_officer)
    assert kinds(case).count(CaseEvent.Kind.NOTE) == 1
    assert CaseEvent.Kind.MESSAGE not in kinds(case)


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "other_business", "operator", "party", "admin"])
@pytest.mark.parametrize("internal", [False, True])
def test_outsiders_cannot_write_on_the_case(w, case, who, internal):
    before = case.events.count()
    with pytest.raises(PermissionDenied):
        services.case_message(case=case, body="Xin chào.", by=getattr(w, who), internal=internal)
    assert case.events.count() == before


def test_the_business_cannot_leave_internal_notes(w, case):
    with pytest.raises(PermissionDenied):
        services.case_message(case=case, body="Ghi chú.", by=w.business, internal=True)


def test_the_business_replies_and_the_handling_side_hears_of_it(w, case, commit):
    with commit():
        event = services.case_message(case=case, body="Bổ sung thông tin.", by=w.business)
    assert event.kind == CaseEvent.Kind.BUSINESS_REPLIED and event.public
    assert len(mail_to(w.leader)) == 1  # no assignee yet: the unit leaders
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    with commit():
        services.case_message(case=case, body="Bổ sung lần hai.", by=w.business2)
    assert len(mail_to(w.officer)) == 1 and len(mail_to(w.leader)) == 1
    assert fresh(case).status == Status.IN_PROGRESS


def test_a_business_reply_on_an_answered_case_reopens_it(w, case):
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_message(case=case, body="Câu trả lời chưa rõ, xin giải thích thêm.", by=w.business)
    case = fresh(case)
    assert case.status == Status.IN_PROGRESS and case.answered_at is None and not case.needs_review
    assert kinds(case)[-2:] == [CaseEvent.Kind.BUSINESS_REPLIED, CaseEvent.Kind.REOPENED]
    assert_state_is_replayable(case)
    services.case_answer(case=case, body="Giải thích thêm.", by=w.officer)
    assert fresh(case).status == Status.ANSWERED


@pytest.mark.parametrize("close", ["accept", "forward"])
def test_the_business_cannot_write_on_a_closed_case(w, case, close):
    if close == "accept":
        services.case_answer(case=case, body="Trả lời.", by=w.officer)
        services.case_accept(case=case, by=w.business)
    else:
        services.case_forward(case=case, to="Sở Công Thương TP.HCM", reason="Ngoài thẩm quyền.", by=w.leader)
    with pytest.raises(ValidationError):
        services.case_message(case=case, body="Còn một câu hỏi.", by=w.business)


def test_staff_cannot_write_to_the_business_on_a_closed_case_but_may_note(w, case):
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    with pytest.raises(ValidationError):
        services.case_message(case=case, body="Thêm.", by=w.officer)
    services.case_message(case=case, body="Lưu ý nội bộ.", by=w.officer, internal=True)


def test_an_empty_message_is_refused(w, case):
    with pytest.raises(ValidationError) as error:
        services.case_message(case=case, body=" \n ", by=w.officer)
    assert "body" in error.value.message_dict


def test_attachments_follow_the_visibility_of_their_message(w, case):
    message = services.case_message(case=case, body="Mẫu đính kèm.", by=w.officer,
                                    attachments=[SimpleUploadedFile("mau.png", PNG)])
    note = services.case_message(case=case, body="Ảnh chụp nội bộ.", by=w.officer, internal=True,
                                 attachments=[SimpleUploadedFile("noi-bo.png", PNG)])
    assert message.attachments.get().public and message.attachments.get().content_type == "image/png"
    assert not note.attachments.get().public


def test_a_bad_attachment_refuses_the_whole_message_and_stores_no_file(w, case, settings):
    before = case.events.count()
    with pytest.raises(ValidationError):
        services.case_message(case=case, body="Tệp.", by=w.business,
                              attachments=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.pdf", b"hello")])
    assert case.events.count() == before and not case.attachments.exists()
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert stored == []
