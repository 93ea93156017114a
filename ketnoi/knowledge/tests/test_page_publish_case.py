"""“Publish as Q&A” for a resolved case: /hoi-dap/tu-vu-viec/<reference>/ shows the anonymised
proposal with every replacement highlighted; only the coordinator's POST publishes it."""

import pytest

from ketnoi.cases.models import Status
from ketnoi.knowledge.models import Article, ArticleStatus

from .page_helpers import STAFF_ONLY_REFUSED, page_text, resolved_case, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(w):
    return resolved_case(w)


def url(case):
    return f"/hoi-dap/tu-vu-viec/{case.reference}/"


def publish_form(**change):
    return {"question": "Hồ sơ hoàn thuế nguyên liệu nhập khẩu để sản xuất hàng xuất khẩu gồm những gì?",
            "answer": "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, [doanh nghiệp] nộp hồ sơ hoàn thuế.",
            "topic": "thue", "legal_references": "Thông tư 38/2015/TT-BTC", "valid_from": "", "valid_to": "",
            "publish": "", **change}


def test_it_proposes_an_anonymised_question_and_answer_with_the_replacements_highlighted(client, w, case):
    sign_in(client, w, "coordinator")
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'title="original: Công ty TNHH Ánh Dương"' in html
    assert f'title="original: {w.enterprise.tax_code}"' in html
    assert 'title="original: 104512345670"' in html
    assert '<mark class="replacement" data-kind="enterprise"' in html
    text = page_text(response)
    assert "What was replaced" in text
    assert f"Tax code {w.enterprise.tax_code} [mã số thuế]" in text
    assert "Declaration number 104512345670 [số tờ khai]" in text
    # Named in the question and in the answer, listed once.
    assert text.count("Enterprise name Công ty TNHH Ánh Dương [doanh nghiệp]") == 1
    # The editable text holds no trace of the business.
    form = html[html.index("<form class=\"stack\""):]
    assert "Ánh Dương" not in form and w.enterprise.tax_code not in form and "104512345670" not in form
    assert "0903 123 456" not in form
    assert "Nghị định 134/2016/NĐ-CP" in form  # legal references are kept
    assert '<option value="thue" selected>' in form
    assert "Thông tư 38/2015/TT-BTC\nNghị định 134/2016/NĐ-CP" in form or \
           "Nghị định 134/2016/NĐ-CP\nThông tư 38/2015/TT-BTC" in form
    assert not Article.objects.exists()  # looking publishes nothing


def test_publish_creates_the_article_from_the_edited_text(client, w, case):
    sign_in(client, w, "coordinator")
    response = client.post(url(case), publish_form())
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{article.pk}/"
    assert article.status == ArticleStatus.PUBLISHED and article.source_case == case
    assert article.question.startswith("Hồ sơ hoàn thuế nguyên liệu") and article.published_by == w.coordinator
    assert sorted(article.documents.values_list("number", flat=True)) == ["134/2016/NĐ-CP", "38/2015/TT-BTC"]
    client.logout()
    assert client.get(f"/hoi-dap/{article.pk}/").status_code == 200


def test_save_draft_publishes_nothing(client, w, case):
    sign_in(client, w, "coordinator")
    form = publish_form(draft="")
    del form["publish"]
    client.post(url(case), form)
    assert Article.objects.get().status == ArticleStatus.DRAFT


def test_a_case_already_published_is_pointed_out(client, w, case):
    sign_in(client, w, "coordinator")
    client.post(url(case), publish_form())
    text = page_text(client.get(url(case)))
    assert "This case was already used for an answer: Hồ sơ hoàn thuế nguyên liệu" in text


@pytest.mark.parametrize("change, message", [
    ({"question": ""}, "Enter the question."),
    ({"answer": " "}, "Enter the answer."),
    ({"topic": "khong-co"}, "Choose one of the topics in the list."),
    ({"legal_references": "theo quy định"}, "Not a document number: theo quy định."),
])
def test_bad_input_is_explained_with_the_proposal_still_shown(client, w, case, change, message):
    sign_in(client, w, "coordinator")
    response = client.post(url(case), publish_form(**change))
    assert response.status_code == 400
    text = page_text(response)
    assert message in text and "What was replaced" in text
    assert not Article.objects.exists()


def test_an_open_case_cannot_be_published(client, w):
    case = w.case(subject="Chưa trả lời")
    sign_in(client, w, "coordinator")
    for response in (client.get(url(case)), client.post(url(case), publish_form())):
        assert response.status_code == 400
        assert "Only a resolved case can be published as a Q&A." in page_text(response)
    assert not Article.objects.exists()


def test_an_unknown_case_is_404(client, w):
    sign_in(client, w, "coordinator")
    assert client.get("/hoi-dap/tu-vu-viec/VM-2026-999999/").status_code == 404
    assert client.get("/hoi-dap/tu-vu-viec/khong-phai/").status_code == 404


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, case, role):
    sign_in(client, w, role)
    assert client.get(url(case)).status_code == 403
    assert client.post(url(case), publish_form()).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, w, case):
    response = client.post(url(case), publish_form())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Article.objects.exists()


def test_it_reads_in_vietnamese(client, w, case):
    w.coordinator.language = "vi"
    w.coordinator.save()
    client.force_login(w.coordinator)
    response = client.get(url(case))
    assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()


# --- the link on the case page ---------------------------------------------------------------

def test_the_case_page_offers_coordinators_to_publish_a_resolved_case(client, w, case):
    sign_in(client, w, "coordinator")
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'href="/hoi-dap/tu-vu-viec/{case.reference}/"' in html and ">Publish as Q&A</a>" in html


@pytest.mark.parametrize("role", ["business", "officer", "leader"])
def test_the_case_page_offers_it_to_no_one_else(client, w, case, role):
    sign_in(client, w, role)
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200 and "/hoi-dap/tu-vu-viec/" not in response.content.decode()


def test_the_case_page_does_not_offer_it_before_the_case_is_resolved(client, w):
    case = w.case(subject="Chưa trả lời")
    assert case.status != Status.RESOLVED
    sign_in(client, w, "coordinator")
    assert "/hoi-dap/tu-vu-viec/" not in client.get(f"/cases/{case.reference}/").content.decode()
