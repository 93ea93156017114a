"""The minutes page: the draft written from the session's record, edited, issued by a leader
(the summary sent to the participants), and downloaded as DOCX and PDF."""

import io

import pytest
from django.core import mail
from docx import Document
from pypdf import PdfReader

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Minutes

from .page_helpers import as_user, counts, error_summary, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def session(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành linh kiện", "description": "Có phải kiểm tra?"}])
    clock.set(2026, 3, 6, 7, 20)
    services.registration_check_in(registration=registration, by=w.officer)
    clock.set(2026, 3, 6, 9, 5)
    services.session_close(session=session, by=w.leader)
    return session


def url(session, suffix="bien-ban/") -> str:
    return f"/doi-thoai/phien/{session.pk}/{suffix}"


def prepared(w, session) -> Minutes:
    return services.minutes_prepare(session=session, by=w.leader)


FORM = {"number": "12/BB-HQCNC", "opening": "Vào hồi 07 giờ 30 phút ngày 06/03/2026 …",
        "conclusion": "Chi cục giao công chức tiếp tục xử lý.", "signer_name": "Nguyễn Thành Trung",
        "signer_position": "Chi cục trưởng"}


def test_before_any_draft_the_staff_are_offered_to_write_it(client, w, session):
    response = as_user(client, w.officer).get(url(session))
    assert response.status_code == 200 and 'value="prepare"' in response.content.decode()


def test_the_draft_is_written_from_the_record(client, w, session):
    as_user(client, w.officer)
    response = client.post(url(session), {"action": "prepare"})
    assert response.status_code == 302
    minutes = Minutes.objects.get(session=session)
    assert "06 tháng 3 năm 2026" in minutes.opening and "Hội trường tầng 2" in minutes.opening
    page = client.get(url(session))
    assert 'name="opening"' in page.content.decode() and minutes.opening.split("\n")[0][:30] in page.content.decode()


def test_an_officer_saves_the_draft_but_may_not_issue(client, w, session):
    prepared(w, session)
    as_user(client, w.officer)
    page = client.get(url(session)).content.decode()
    assert 'value="save"' in page and 'value="issue"' not in page
    assert client.post(url(session), {**FORM, "action": "save"}).status_code == 302
    minutes = Minutes.objects.get(session=session)
    assert minutes.number == "12/BB-HQCNC" and minutes.state == Minutes.State.DRAFT
    assert client.post(url(session), {**FORM, "number": "13/BB-HQCNC", "action": "issue"}).status_code == 403
    assert Minutes.objects.get(session=session).state == Minutes.State.DRAFT
    assert Minutes.objects.get(session=session).number == "12/BB-HQCNC"  # nothing of a refused issue is saved


def test_the_leader_issues_and_the_participants_get_the_summary(client, w, session, commit):
    prepared(w, session)
    mail.outbox.clear()
    as_user(client, w.leader)
    with commit():
        response = client.post(url(session), {**FORM, "action": "issue"})
    assert response.status_code == 302
    minutes = Minutes.objects.get(session=session)
    assert minutes.state == Minutes.State.ISSUED and minutes.issued_at is not None
    assert any(w.business.email in m.to for m in mail.outbox)
    page = client.get(url(session))
    assert 'name="opening"' not in page.content.decode() and "12/BB-HQCNC" in text(page)


def test_issuing_without_a_number_is_refused_with_the_message(client, w, session):
    prepared(w, session)
    as_user(client, w.leader, "en")
    before = Minutes.objects.get(session=session).conclusion
    response = client.post(url(session), {**FORM, "number": "", "conclusion": "Đã sửa.", "action": "issue"})
    assert response.status_code == 400 and error_summary(response)
    minutes = Minutes.objects.get(session=session)
    assert minutes.state == Minutes.State.DRAFT and minutes.conclusion == before
    assert "Đã sửa." in response.content.decode()  # what was typed is kept on the page


def test_an_unknown_action_is_a_400(client, w, session):
    prepared(w, session)
    assert as_user(client, w.leader).post(url(session), {"action": "burn"}).status_code == 400


def test_the_files_open_with_the_vietnamese_text_intact(client, w, session):
    minutes = prepared(w, session)
    services.minutes_save(minutes=minutes, by=w.leader, **FORM)
    as_user(client, w.officer)
    docx = client.get(url(session, "bien-ban.docx"))
    assert docx.status_code == 200 and 'filename="bien-ban-phien-' in docx["Content-Disposition"]
    document = Document(io.BytesIO(docx.content))
    words = "\n".join([p.text for p in document.paragraphs]
                      + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Kiểm tra chuyên ngành linh kiện" in words and "Nguyễn Thành Trung" in words
    pdf = client.get(url(session, "bien-ban.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Kiểm tra chuyên ngành linh kiện" in flat and "Nguyễn Thành Trung" in flat


def test_no_minutes_no_files(client, w, session):
    as_user(client, w.officer)
    assert client.get(url(session, "bien-ban.docx")).status_code == 404
    assert client.get(url(session, "bien-ban.pdf")).status_code == 404


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "business", "operator", "party", "admin"])
def test_others_may_not_see_or_write_the_minutes(client, w, session, who):
    prepared(w, session)
    as_user(client, getattr(w, who))
    before = counts()
    assert client.get(url(session)).status_code == 403
    assert client.post(url(session), {**FORM, "action": "save"}).status_code == 403
    assert client.get(url(session, "bien-ban.pdf")).status_code == 403
    assert client.get(url(session, "bien-ban.docx")).status_code == 403
    assert counts() == before
