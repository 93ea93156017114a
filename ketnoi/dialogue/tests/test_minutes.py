"""minutes_prepare, minutes_save, minutes_issue, and the minutes as DOCX and PDF (opened and read
back: the Vietnamese text must survive both)."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.dialogue import documents, services
from ketnoi.dialogue.models import Minutes

from .service_helpers import (  # noqa: F401
    ANSWER_ON_SPOT, FOLLOW_UP_NOTE, audit, clock, counts, fresh, held_session, mail_to, w,
)


@pytest.fixture
def session(w, clock):
    w.deputy.position = "Phó Chi cục trưởng"
    w.deputy.save()
    return held_session(w, clock)


def _issue_ready(w, session):
    minutes = services.minutes_prepare(session=session, by=w.officer)
    return services.minutes_save(minutes=minutes, by=w.officer, number=minutes.number, opening=minutes.opening,
                                 conclusion=minutes.conclusion, signer_name="Lê Thị Minh Châu",
                                 signer_position="Phó Chi cục trưởng")


def test_the_draft_is_written_from_the_record(w, session):
    minutes = services.minutes_prepare(session=session, by=w.officer)
    assert minutes.state == Minutes.State.DRAFT and minutes.number == "01/BB-HQCNC"
    assert (minutes.signer_name, minutes.signer_position) == ("Lê Thị Minh Châu", "Phó Chi cục trưởng")  # the chair
    opening = minutes.opening
    assert "07 giờ 30 phút, ngày 06 tháng 3 năm 2026" in opening and "Hội trường tầng 2" in opening
    assert "lần thứ 1" in opening and "Chủ trì: Lê Thị Minh Châu, Phó Chi cục trưởng." in opening
    assert "đại diện 2 doanh nghiệp với 3 người" in opening  # Sao Việt (2 people) and Linh kiện Thủ Đức (1)
    assert "nêu 4 câu hỏi" in opening and "1 câu hỏi được giải đáp trực tiếp, 1 câu hỏi được ghi nhận" in opening
    assert FOLLOW_UP_NOTE in minutes.conclusion and "Trần Thị Mỹ Dung, hạn 20/03/2026" in minutes.conclusion
    assert "2 câu hỏi chưa được trao đổi" in minutes.conclusion
    assert len(audit("dialogue.minutes_prepared", minutes)) == 1


def test_preparing_again_rewrites_the_text_and_keeps_the_number_and_signer(w, session):
    minutes = _issue_ready(w, session)
    services.minutes_save(minutes=minutes, by=w.leader, number="07/BB-HQCNC", opening="Sửa tay.", conclusion="Sửa tay.",
                          signer_name="Nguyễn Thành Trung", signer_position="Chi cục trưởng")
    again = services.minutes_prepare(session=session, by=w.officer)
    assert again.pk == minutes.pk and again.number == "07/BB-HQCNC" and again.signer_name == "Nguyễn Thành Trung"
    assert again.opening != "Sửa tay."


def test_the_leader_issues_and_the_businesses_that_came_get_the_summary_with_the_pdf(w, session, commit):
    minutes = _issue_ready(w, session)
    mail.outbox.clear()
    with commit():
        services.minutes_issue(minutes=minutes, by=w.leader)
    minutes = fresh(minutes)
    assert minutes.state == Minutes.State.ISSUED and minutes.issued_at and minutes.summary_sent_at
    [message] = mail_to(w.business)
    assert ANSWER_ON_SPOT in message.body and FOLLOW_UP_NOTE in message.body and "20/03/2026" in message.body
    [(name, pdf, mime)] = message.attachments
    assert name.endswith(".pdf") and mime == "application/pdf" and pdf.startswith(b"%PDF")
    assert "BIÊN BẢN" in _pdf_text(pdf)
    assert len(mail_to(w.business2)) == 1 and mail_to(w.business3) == []
    assert len(audit("dialogue.minutes_issued", minutes)) == 1


def test_issued_minutes_no_longer_change(w, session):
    minutes = _issue_ready(w, session)
    services.minutes_issue(minutes=minutes, by=w.leader)
    before = counts()
    with pytest.raises(ValidationError):
        services.minutes_save(minutes=minutes, by=w.leader, number="x", opening="x", conclusion="x", signer_name="x",
                              signer_position="x")
    with pytest.raises(ValidationError):
        services.minutes_prepare(session=session, by=w.leader)
    with pytest.raises(ValidationError):
        services.minutes_issue(minutes=minutes, by=w.leader)
    assert counts() == before


@pytest.mark.parametrize("field", ["number", "opening", "conclusion", "signer_name", "signer_position"])
def test_it_refuses_to_issue_incomplete_minutes(w, session, field):
    minutes = _issue_ready(w, session)
    values = {name: getattr(minutes, name) for name in ("number", "opening", "conclusion", "signer_name", "signer_position")}
    services.minutes_save(minutes=minutes, by=w.officer, **{**values, field: "  "})
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.minutes_issue(minutes=minutes, by=w.leader)
    assert field in raised.value.message_dict and counts() == before


def test_it_refuses_to_issue_before_the_session_is_closed(w, clock):
    from .service_helpers import session_with_questions

    session, morning = session_with_questions(w)
    clock.now = morning
    minutes = services.minutes_prepare(session=session, by=w.officer)
    with pytest.raises(ValidationError):
        services.minutes_issue(minutes=minutes, by=w.leader)


@pytest.mark.parametrize("user", ["officer", "department_leader", "other_leader", "business"])
def test_only_the_leaders_issue(w, session, user):
    minutes = _issue_ready(w, session)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.minutes_issue(minutes=minutes, by=getattr(w, user))
    assert counts() == before


@pytest.mark.parametrize("user", ["business", "other_officer", "party", "nobody"])
def test_only_the_staff_who_run_the_session_draft(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.minutes_prepare(session=session, by=getattr(w, user))
    assert counts() == before


def test_it_refuses_overlong_fields_and_changes_nothing(w, session):
    minutes = services.minutes_prepare(session=session, by=w.officer)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.minutes_save(minutes=minutes, by=w.officer, number="x" * 61, opening="", conclusion="",
                              signer_name="", signer_position="")
    assert "number" in raised.value.message_dict and counts() == before


# --- the documents ------------------------------------------------------------------------------

def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_the_docx_holds_the_layout_and_the_vietnamese_text(w, session):
    minutes = _issue_ready(w, session)
    text = _docx_text(documents.minutes_docx(minutes))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "CỤC HẢI QUAN TP. HỒ CHÍ MINH",
                     "CHI CỤC HẢI QUAN KHU CÔNG NGHỆ CAO", "01/BB-HQCNC", "BIÊN BẢN", "CHỦ TRÌ", "Lê Thị Minh Châu",
                     "Công ty TNHH Điện tử Sao Việt", "Ngô Thị Hồng Nhung, Kế toán trưởng", ANSWER_ON_SPOT,
                     "Trần Thị Mỹ Dung, hạn 20/03/2026", "Nơi nhận:"):
        assert expected in text, expected
    assert "Phước Long" not in text.split("II. NỘI DUNG")[0]  # did not come: not among the businesses present


def test_the_pdf_reads_back_with_its_diacritics(w, session):
    minutes = _issue_ready(w, session)
    pdf = documents.minutes_pdf(minutes)
    assert pdf.startswith(b"%PDF")
    text = " ".join(_pdf_text(pdf).split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN", "Công ty TNHH Điện tử Sao Việt",
                     "Lê Thị Minh Châu", "Đức"):
        assert expected in text, expected
