"""A resolved case becomes a public answer, through real pages in headless Chromium: the
coordinator opens "Publish as Q&A" on the case, checks the highlighted replacements, edits the
proposal and publishes it; then an anonymous visitor searches for it without Vietnamese marks,
opens it and says it was helpful. Screenshots go to var/screenshots/."""

import importlib

import pytest
from django.apps import apps

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.cases import services as cases
from ketnoi.knowledge.models import Article, ArticleStatus
from ketnoi.testing import browser_login

PASSWORD = "Mật-khẩu-thử-2020"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = ("Công ty TNHH Điện tử Sao Khải Việt (MST 0314409058) nhập khẩu linh kiện từ Hàn Quốc theo tờ khai "
               "104512345670, container TGHU1234567. Người bán chỉ gửi bản chụp C/O mẫu AK. Xin hỏi công ty có được "
               "nộp bản chụp C/O để hưởng thuế suất ưu đãi đặc biệt không? Liên hệ: anh Trần Quốc Bảo, 0908 765 432.")
ANSWER = ("Căn cứ khoản 1 Điều 19 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), "
          "Công ty TNHH Điện tử Sao Khải Việt được nộp bản chụp C/O mẫu AK tại thời điểm làm thủ tục hải quan.\n\n"
          "Trường hợp có nghi vấn về tính hợp lệ của C/O, cơ quan hải quan đề nghị nộp bản chính.")


@pytest.fixture
def resolved():
    # A transactional test starts from tables another one may have emptied: put back the topics
    # and deadline policies the migration seeds.
    importlib.import_module("ketnoi.cases.migrations.0002_topics_and_deadlines").seed(apps, None)
    branch = _unit()
    enterprise = accounts.enterprise_create(tax_code="0314409058", name="Công ty TNHH Điện tử Sao Khải Việt", by=None)
    business = accounts.user_create(username="doanhnghiep", full_name="Trần Quốc Bảo", email="bao@saokhaiviet.example",
                                    role=Role.BUSINESS, enterprise=enterprise, by=None, password=PASSWORD)
    officer = accounts.user_create(username="canbo", full_name="Lê Văn Hùng", email="hung@haiquan.example",
                                   role=Role.OFFICER, unit=branch, by=None, password=PASSWORD)
    accounts.user_create(username="dieuphoi", full_name="Võ Thị Mai", email="mai@haiquan.example",
                         role=Role.COORDINATOR, by=None, password=PASSWORD)
    case = cases.case_file(enterprise=enterprise, by=business, topic="xuat-xu", named_unit=branch,
                           subject="Nộp bản chụp C/O mẫu AK có được hưởng ưu đãi không", description=DESCRIPTION)
    cases.case_assign(case=case, assignee=officer, by=officer)
    case = cases.case_answer(case=case, body=ANSWER, by=officer)
    return cases.case_accept(case=case, by=business)


def _unit():
    from ketnoi.org import services as org

    dept = org.unit_create(code="02", name_vi="Cục Hải quan TP. Hồ Chí Minh", name_en="Ho Chi Minh City Customs Department",
                           kind="department", parent=None, by=None)
    return org.unit_create(code="02CI", name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                           name_en="Saigon Port Area I Customs Branch", kind="branch", parent=dept, by=None)


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_a_resolved_case_becomes_a_public_answer_found_without_marks(browser, live_server, resolved, screenshots):
    # The coordinator opens the case and chooses "Publish as Q&A".
    coordinator = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    browser_login(coordinator, live_server.url, "dieuphoi", password=PASSWORD)
    coordinator.goto(f"{live_server.url}/cases/{resolved.reference}/")
    submit(coordinator, f"a[href='/hoi-dap/tu-vu-viec/{resolved.reference}/']")

    # Every replacement is highlighted with what it replaced; the editable text has none of it.
    marks = coordinator.locator("mark.replacement")
    assert marks.count() >= 4
    titles = [marks.nth(i).get_attribute("title") for i in range(marks.count())]
    assert any("Sao Khải Việt" in title for title in titles)
    assert any("0314409058" in title for title in titles)
    assert any("104512345670" in title for title in titles)
    assert "0314409058" in coordinator.locator("table.replacements").inner_text()
    question = coordinator.input_value("#id_question")
    answer = coordinator.input_value("#id_answer")
    for secret in ("Sao Khải Việt", "0314409058", "104512345670", "TGHU1234567", "0908 765 432"):
        assert secret not in question and secret not in answer
    assert "Thông tư 38/2015/TT-BTC" in answer
    coordinator.screenshot(path=str(screenshots / "knowledge-publish-case.png"), full_page=True)

    # The coordinator writes the question the way the public will read it, and publishes.
    coordinator.fill("#id_question", "Nộp bản chụp C/O mẫu AK có được hưởng thuế suất ưu đãi đặc biệt không?\n\n"
                                     + question)
    submit(coordinator, "form.stack button[name=publish]")
    article = Article.objects.get()
    assert coordinator.url == f"{live_server.url}/hoi-dap/{article.pk}/"
    assert (article.status, article.source_case_id) == (ArticleStatus.PUBLISHED, resolved.pk)
    assert sorted(article.documents.values_list("number", flat=True)) == ["38/2015/TT-BTC", "39/2018/TT-BTC"]
    coordinator.context.close()

    # An anonymous visitor, on a phone, types the question without Vietnamese marks.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(live_server.url + "/")
    submit(visitor, "nav.site-nav a[href='/hoi-dap/']")
    visitor.fill("#id_q", "ban chup C/O mau AK uu dai thi sao")
    submit(visitor, "form[role=search] button[type=submit]")
    assert visitor.locator("ol.results mark").count() >= 2
    visitor.screenshot(path=str(screenshots / "knowledge-search.png"), full_page=True)
    submit(visitor, f"ol.results a[href='/hoi-dap/{article.pk}/']")

    # The answer links its citations to the registry; the visitor says it helped.
    assert visitor.locator("a.citation").first.inner_text() == "Thông tư 38/2015/TT-BTC"
    submit(visitor, "#helpful button[value=yes]")
    assert visitor.locator("#helpful").inner_text().strip() != ""
    assert visitor.locator("#helpful button[value=yes]").count() == 0
    visitor.screenshot(path=str(screenshots / "knowledge-article.png"), full_page=True)
    article = Article.objects.get()
    assert (article.helpful_yes, article.helpful_no, article.views) == (1, 0, 2)
    visitor.context.close()
