"""Issue 5, "done when", through real pages in headless Chromium: a business finds a session on
the calendar, registers with two questions and receives the e-mail with the .ics (parsed) and
the check-in QR code (decoded); on the morning of the session an officer checks it in by the
code, records one question answered on the spot and the other as a follow-up; the follow-up's
case is answered from the case page and the business is told; the leader closes the session,
the business answers the survey, and the leader issues the minutes and downloads them as DOCX
and PDF, whose Vietnamese text is intact. Screenshots go to var/screenshots/.

The clock is Django's, set by the test (the live server runs in this process): Monday
02/03/2026 for the registration, Friday 06/03/2026 from 07:15 for the session."""

import io
import re
from email import message_from_bytes
from urllib.parse import urlsplit

import icalendar
import pytest
import zxingcpp
from django.core import mail
from docx import Document
from PIL import Image
from pypdf import PdfReader

from ketnoi.cases.models import Case, Status
from ketnoi.dialogue.documents import session_uid
from ketnoi.dialogue.models import Minutes, Question, Registration, Session, SurveyResponse
from ketnoi.testing import at, browser_login

from .service_helpers import build_world, clock, make_programme  # noqa: F401 (clock is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON_THE_SPOT = ("thue", "Hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu",
               "Công ty nhập khẩu linh kiện để sản xuất bo mạch xuất khẩu; đề nghị hướng dẫn hồ sơ hoàn thuế "
               "theo Điều 36 Nghị định 134/2016/NĐ-CP.")
FOLLOWED = ("thu-tuc", "Kiểm tra chất lượng linh kiện điện tử đã qua sử dụng",
            "Lô linh kiện đã qua sử dụng nhập về để sửa chữa có phải kiểm tra chất lượng trước khi thông quan không?")
ANSWER = ("Hồ sơ hoàn thuế gồm công văn đề nghị, hợp đồng xuất khẩu và chứng từ thanh toán; "
          "nộp qua Hệ thống xử lý dữ liệu điện tử hải quan.")
FOLLOW_UP_ANSWER = ("Theo Thông tư 07/2017/TT-BKHCN, linh kiện đã qua sử dụng nhập để sửa chữa "
                    "được kiểm tra sau thông quan; công ty nộp bản cam kết chất lượng.")


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def login(browser, live_server, user):
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    return browser_login(page, live_server.url, user)


def messages_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def parts(message, content_type: str) -> list[bytes]:
    """The decoded parts of an e-mail of this MIME type, as a mail program would see them."""
    parsed = message_from_bytes(message.message().as_bytes())
    return [part.get_payload(decode=True) for part in parsed.walk() if part.get_content_type() == content_type]


def body_text(message) -> str:
    return message.body + "".join(content for content, _mime in getattr(message, "alternatives", []))


def test_a_business_registers_is_checked_in_gets_its_answers_and_the_minutes_are_issued(
        browser, live_server, screenshots, clock):
    w = build_world()
    programme = make_programme(w, capacity=20)
    session = programme.sessions.order_by("starts_at").first()
    mail.outbox.clear()

    # --- the business finds the session on the public calendar and registers -------------------
    business = login(browser, live_server, w.business)
    business.goto(live_server.url + "/doi-thoai/")
    row = business.locator(f"#session-{session.pk}")
    assert "06/03/2026" in row.inner_text() and "07:30" in row.inner_text()
    assert "0/20" in row.inner_text()
    business.screenshot(path=screenshots / "dialogue-1-calendar.png", full_page=True)
    submit(business, f"#session-{session.pk} a.button")
    assert business.url.endswith(f"/doi-thoai/phien/{session.pk}/#register")
    business.fill("#id_attendee_0_name", "Ngô Thị Hồng Nhung")
    business.fill("#id_attendee_0_position", "Trưởng phòng Xuất nhập khẩu")
    business.fill("#id_attendee_1_name", "Trần Quốc Bảo")
    business.fill("#id_attendee_1_position", "Kế toán trưởng")
    for i, (topic, subject, description) in enumerate([ON_THE_SPOT, FOLLOWED]):
        business.select_option(f"#id_question_{i}_topic", topic)
        business.fill(f"#id_question_{i}_subject", subject)
        business.fill(f"#id_question_{i}_description", description)
    business.screenshot(path=screenshots / "dialogue-2-register-form.png", full_page=True)
    submit(business, "#register button.primary[type=submit]")

    registration = Registration.objects.get(session=session, enterprise=w.enterprise)
    assert registration.status == Registration.Status.CONFIRMED
    assert business.url.endswith(f"/doi-thoai/dang-ky/{registration.pk}/")
    assert business.locator(".dialogue-qr svg").count() == 1
    questions = list(Question.objects.filter(registration=registration).select_related("case").order_by("id"))
    spot, followed = questions
    assert (spot.case.subject, followed.case.subject) == (ON_THE_SPOT[1], FOLLOWED[1])
    for question in questions:
        assert question.case.reference in business.locator("main").inner_text()
    business.screenshot(path=screenshots / "dialogue-3-registration-qr.png", full_page=True)

    # --- the confirmation e-mail: the .ics and the QR code ------------------------------------------
    [confirmation] = [m for m in messages_to(w.business) if parts(m, "image/png")]
    [ics] = parts(confirmation, "text/calendar")
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["UID"]) == session_uid(session)
    assert event.decoded("DTSTART") == at(2026, 3, 6, 7, 30) and event.decoded("DTEND") == at(2026, 3, 6, 9)
    assert "Hội trường tầng 2" in str(event["LOCATION"])
    [png] = parts(confirmation, "image/png")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    checkin_path = urlsplit(code.text).path
    assert re.fullmatch(r"/doi-thoai/diem-danh/[^/]+/", checkin_path)

    # --- the leader prepares the agenda: who answers each question, who chairs ------------------------
    leader = login(browser, live_server, w.leader)
    leader.goto(f"{live_server.url}/doi-thoai/phien/{session.pk}/chuong-trinh-lam-viec/")
    rows = leader.locator("table.dialogue-agenda tbody tr[id^=question-]")
    assert rows.count() == 2
    submit(leader, f"#question-{followed.pk} button[value='{followed.pk}:up']")  # the procedure first
    assert leader.locator("table.dialogue-agenda tbody tr[id^=question-]").first.get_attribute("id") == f"question-{followed.pk}"
    leader.select_option("#id_chair", str(w.leader.pk))
    leader.select_option(f"#answerer-{spot.pk}", str(w.leader.pk))
    leader.select_option(f"#answerer-{followed.pk}", str(w.officer.pk))
    submit(leader, ".dialogue-agenda-form button.primary")
    assert Session.objects.get(pk=session.pk).chaired_by == w.leader
    assert Question.objects.get(pk=spot.pk).answerer == w.leader
    leader.screenshot(path=screenshots / "dialogue-4-agenda.png", full_page=True)
    leader.goto(f"{live_server.url}/doi-thoai/phien/{session.pk}/chuong-trinh-lam-viec/in/")
    assert ON_THE_SPOT[1] in leader.locator("table.dialogue-agenda-print").inner_text()
    leader.emulate_media(media="print")
    leader.screenshot(path=screenshots / "dialogue-5-agenda-printed.png", full_page=True)
    leader.emulate_media(media="screen")

    # --- the morning of the session: the officer scans the code ----------------------------------------
    clock.set(2026, 3, 6, 7, 15)
    officer = login(browser, live_server, w.officer)
    officer.goto(live_server.url + checkin_path)  # what the phone's camera opens
    assert f"/doi-thoai/phien/{session.pk}/diem-danh/" in officer.url
    officer.screenshot(path=screenshots / "dialogue-6-scan-page.png", full_page=True)
    submit(officer, "#dialogue-checkin-form button.primary")
    assert "Công ty TNHH Điện tử Sao Việt" in officer.locator(".notice.success").inner_text()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    officer.screenshot(path=screenshots / "dialogue-7-checked-in.png", full_page=True)

    # --- on the day: one answered on the spot, one followed up ------------------------------------------
    clock.set(2026, 3, 6, 8, 10)
    officer.goto(f"{live_server.url}/doi-thoai/phien/{session.pk}/tai-phien/")
    officer.click(f"#question-{spot.pk} details:nth-of-type(1) summary")
    officer.fill(f"#id_q{spot.pk}a-answer", ANSWER)
    submit(officer, f"#question-{spot.pk} details:nth-of-type(1) button.primary")
    assert Question.objects.get(pk=spot.pk).outcome == Question.Outcome.ANSWERED
    officer.click(f"#question-{followed.pk} details:nth-of-type(2) summary")
    officer.select_option(f"#id_q{followed.pk}f-owner", str(w.officer.pk))  # only a leader gives it to another
    officer.fill(f"#id_q{followed.pk}f-due", "13/03/2026")
    officer.fill(f"#id_q{followed.pk}f-note", "Phối hợp Đội Nghiệp vụ tra cứu quy định kiểm tra chất lượng.")
    submit(officer, f"#question-{followed.pk} details:nth-of-type(2) button.primary")
    followed = Question.objects.select_related("case").get(pk=followed.pk)
    assert followed.outcome == Question.Outcome.FOLLOW_UP and followed.case.is_open
    assert followed.case.assignee == w.officer
    officer.screenshot(path=screenshots / "dialogue-8-on-the-day.png", full_page=True)

    # The answer given on the spot answers its case: the business is told like any answer.
    spot_case = Case.objects.get(pk=spot.case_id)
    assert spot_case.status == Status.ANSWERED
    assert any(ANSWER[:40] in body_text(m) for m in messages_to(w.business))

    # --- the leader closes the session: the survey goes to the business that came -------------------
    clock.set(2026, 3, 6, 9, 5)
    leader.goto(f"{live_server.url}/doi-thoai/phien/{session.pk}/tai-phien/")
    submit(leader, "form[action$='/ket-thuc/'] button.primary")
    assert Session.objects.get(pk=session.pk).status == Session.Status.HELD
    survey_links = [found for m in messages_to(w.business)
                    for found in re.findall(r"https?://[^\s\"<>]*/doi-thoai/khao-sat/[^\s\"<>]+/", body_text(m))]
    assert survey_links

    # --- the follow-up is answered from the case page, later; the business is told ------------------
    clock.set(2026, 3, 10, 14)
    before = len(messages_to(w.business))
    owner = officer
    owner.goto(f"{live_server.url}/cases/{followed.case.reference}/")
    owner.fill("#id_answer_body", FOLLOW_UP_ANSWER)
    submit(owner, "form[action$='/answer/'] button.primary")
    assert Case.objects.get(pk=followed.case_id).status == Status.ANSWERED
    told = messages_to(w.business)[before:]
    assert any(FOLLOW_UP_ANSWER[:40] in body_text(m) for m in told)
    business.goto(f"{live_server.url}/doi-thoai/dang-ky/{registration.pk}/")
    business.screenshot(path=screenshots / "dialogue-9-both-answered.png", full_page=True)

    # --- the business answers the survey, without logging in ----------------------------------------
    visitor = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    visitor.goto(live_server.url + urlsplit(survey_links[-1]).path)
    visitor.check("#id_satisfaction_4")  # 5
    visitor.check("#id_usefulness_3")  # 4
    visitor.fill("#id_comment", "Lãnh đạo Chi cục trả lời cụ thể, doanh nghiệp rất hài lòng.")
    visitor.screenshot(path=screenshots / "dialogue-10-survey.png", full_page=True)
    submit(visitor, "form.dialogue-survey button.primary")
    assert visitor.locator(".notice.success").count() == 1
    answer = SurveyResponse.objects.get(registration=registration)
    assert (answer.satisfaction, answer.usefulness) == (5, 4)

    # --- the leader writes and issues the minutes, and downloads them ---------------------------------------
    leader.goto(f"{live_server.url}/doi-thoai/phien/{session.pk}/bien-ban/")
    submit(leader, "form button.primary")  # write the draft from the record
    leader.fill("#id_number", "12/BB-HQCNC")
    leader.fill("#id_signer_name", "Nguyễn Thành Trung")
    leader.fill("#id_signer_position", "Chi cục trưởng")
    leader.screenshot(path=screenshots / "dialogue-11-minutes.png", full_page=True)
    submit(leader, "button[name=action][value=issue]")
    assert Minutes.objects.get(session=session).state == Minutes.State.ISSUED

    with leader.expect_download() as docx_download:
        leader.click("a[href$='bien-ban.docx']")
    with leader.expect_download() as pdf_download:
        leader.click("a[href$='bien-ban.pdf']")
    docx = Document(docx_download.value.path())
    docx_text = "\n".join([p.text for p in docx.paragraphs]
                          + [cell.text for table in docx.tables for row in table.rows for cell in row.cells])
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(pdf_download.value.path()).pages)
    pdf_flat = " ".join(pdf_text.split())
    for expected in ("Công ty TNHH Điện tử Sao Việt", ON_THE_SPOT[1], FOLLOWED[1], "Chi cục Hải quan Khu Công nghệ cao",
                     "Nguyễn Thành Trung", "12/BB-HQCNC"):
        assert expected in docx_text, expected
        assert expected in pdf_flat, expected
    assert ANSWER[:60] in " ".join(docx_text.split())
    assert ANSWER[:60] in pdf_flat
    leader.screenshot(path=screenshots / "dialogue-12-minutes-issued.png", full_page=True)
