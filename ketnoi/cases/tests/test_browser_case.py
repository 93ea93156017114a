"""The whole journey of a difficulty through real pages in headless Chromium: a business files it
with a PDF, the officer of the unit takes it and asks for information, the business replies, the
officer answers, the business accepts and rates it. Screenshots go to var/screenshots/."""

import importlib

import pytest
from django.apps import apps

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.cases.models import Case, CaseEvent, Status
from ketnoi.org import services as org
from ketnoi.testing import browser_login

from .page_helpers import PDF

PASSWORD = "Mật-khẩu-thử-2020"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    # A transactional test starts from tables another one may have emptied: put back the topics
    # and deadline policies the migration seeds.
    importlib.import_module("ketnoi.cases.migrations.0002_topics_and_deadlines").seed(apps, None)
    dept = org.unit_create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                           kind="department", parent=None, by=None)
    branch = org.unit_create(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao",
                             name_en="High-Tech Park Customs Branch", kind="branch", parent=dept, by=None)
    enterprise = accounts.enterprise_create(tax_code="0314409058", name="Công ty TNHH Điện tử Sao Khải Việt", by=None)
    accounts.user_create(username="doanhnghiep", full_name="Nguyễn Thị Lan", email="lan@saokhaiviet.example",
                         role=Role.BUSINESS, enterprise=enterprise, by=None, password=PASSWORD)
    accounts.user_create(username="canbo", full_name="Lê Văn Hùng", email="hung@haiquan.example",
                         role=Role.OFFICER, unit=branch, by=None, password=PASSWORD)
    return branch


def log_in(browser, live_server, username, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    return browser_login(page, live_server.url, username, password=PASSWORD)


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_difficulty_from_filing_to_rating(browser, live_server, people, tmp_path, screenshots):
    pdf = tmp_path / "to-khai-104512345670.pdf"
    pdf.write_bytes(PDF)

    # The business files its difficulty, on a phone.
    business = log_in(browser, live_server, "doanhnghiep", {"width": 390, "height": 844})
    business.goto(live_server.url + "/cases/new/")
    business.select_option("#id_topic", "thu-tuc")
    business.fill("#id_subject", "Thủ tục nhập khẩu linh kiện điện tử đã qua sử dụng")
    business.fill("#id_description", "Công ty nhập khẩu lô linh kiện đã qua sử dụng để sửa chữa, "
                                     "đề nghị hướng dẫn hồ sơ và chính sách mặt hàng.")
    business.fill("#id_declaration_numbers", "104512345670")
    business.fill("#id_hs_codes", "8542.31.00")
    business.select_option("#id_unit", label="02F3 – Chi cục Hải quan Khu công nghệ cao")
    business.set_input_files("#id_attachments", str(pdf))
    business.screenshot(path=str(screenshots / "case-new.png"), full_page=True)
    submit(business, "main button[type=submit]")
    case = Case.objects.get()
    assert business.url.endswith(f"/cases/{case.reference}/")
    assert case.reference in business.locator(".notice.success").inner_text()
    assert business.locator(f"a[href^='/cases/{case.reference}/files/']").inner_text() == pdf.name
    assert case.unit == people and case.attachments.count() == 1

    # The officer of the unit finds it in the queue, takes it and asks for information.
    officer = log_in(browser, live_server, "canbo", {"width": 1200, "height": 900})
    officer.goto(live_server.url + "/cases/queue/")
    officer.screenshot(path=str(screenshots / "case-queue.png"), full_page=True)
    submit(officer, f"table.queue a[href='/cases/{case.reference}/']")
    submit(officer, "form[action$='/assign/'] button[type=submit]")
    assert Case.objects.get().assignee.username == "canbo"
    officer.click("form[action$='/request-info/'] >> xpath=.. >> summary")
    officer.fill("#id_request_info_body", "Đề nghị công ty gửi hợp đồng mua bán và danh mục linh kiện.")
    submit(officer, "form[action$='/request-info/'] button[type=submit]")
    assert Case.objects.get().status == Status.WAITING

    # The business replies: the clock resumes.
    business.reload()
    business.fill("#id_reply_body", "Công ty xin gửi hợp đồng số 15/2026/HĐMB kèm danh mục.")
    business.set_input_files("#id_reply_attachments", str(pdf))
    submit(business, "form[action$='/reply/'] button[type=submit]")
    assert Case.objects.get().status == Status.IN_PROGRESS

    # The officer answers (this topic needs no approval) and notes something internal.
    officer.reload()
    officer.fill("#id_answer_body", "Căn cứ Điều 16 Thông tư 38/2015/TT-BTC, công ty nộp hồ sơ gồm hợp đồng, "
                                    "danh mục hàng hóa và tờ khai hải quan.")
    submit(officer, "form[action$='/answer/'] button.primary")
    assert Case.objects.get().status == Status.ANSWERED
    officer.click("form[action$='/note/'] >> xpath=.. >> summary")
    officer.fill("#id_note_body", "Đã trả lời; theo dõi phản hồi của doanh nghiệp.")
    submit(officer, "form[action$='/note/'] button[type=submit]")
    assert officer.locator(".timeline .event.internal").count() >= 1
    officer.screenshot(path=str(screenshots / "case-detail-officer.png"), full_page=True)

    # The business reads the answer, accepts it and rates it 4.
    business.reload()
    assert "Thông tư 38/2015/TT-BTC" in business.locator(".panel.answer").inner_text()
    assert "theo dõi phản hồi" not in business.content()  # internal notes never reach the business
    submit(business, "form[action$='/accept/'] button[type=submit]")
    assert Case.objects.get().status == Status.RESOLVED
    business.check("#id_rating_score_3")  # 4 – satisfied
    business.fill("#id_rating_comment", "Cán bộ trả lời rõ ràng, đúng hạn.")
    submit(business, "form[action$='/rating/'] button[type=submit]")
    business.screenshot(path=str(screenshots / "case-detail-business.png"), full_page=True)
    case = Case.objects.get()
    assert (case.status, case.rating) == (Status.RESOLVED, 4)
    assert case.events.filter(kind=CaseEvent.Kind.RATED).count() == 1
    business.context.close()
    officer.context.close()
