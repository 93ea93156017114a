"""A coordinator writes an answer without a case: /hoi-dap/quan-ly/moi/, saved as a draft or published."""

from datetime import date

import pytest

from ketnoi.knowledge.models import Article, ArticleStatus, LegalDocument

from .page_helpers import STAFF_ONLY_REFUSED, page_text, sign_in

pytestmark = pytest.mark.django_db
URL = "/hoi-dap/quan-ly/moi/"

FORM = {
    "question": "Doanh nghiệp chế xuất bán hàng vào nội địa phải làm thủ tục gì?",
    "answer": "Căn cứ Điều 74 Thông tư 38/2015/TT-BTC, doanh nghiệp chế xuất mở tờ khai xuất khẩu.",
    "topic": "gia-cong-sxxk-chexuat",
    "legal_references": "Nghị định 08/2015/ND-CP\n\n  Luật 54/2014/QH13  ",
    "valid_from": "01/01/2024",
    "valid_to": "",
}


def test_a_coordinator_publishes_a_new_answer(client, w):
    sign_in(client, w, "coordinator")
    assert client.get(URL).status_code == 200
    response = client.post(URL, {**FORM, "publish": ""})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{article.pk}/"
    assert article.status == ArticleStatus.PUBLISHED and article.published_by == w.coordinator
    assert article.topic.code == "gia-cong-sxxk-chexuat" and article.valid_from == date(2024, 1, 1)
    assert sorted(article.documents.values_list("number", flat=True)) == [
        "08/2015/NĐ-CP", "38/2015/TT-BTC", "54/2014/QH13"]
    assert "The answer is published." in page_text(client.get(response["Location"]))


def test_save_draft_keeps_it_from_the_public(client, w):
    sign_in(client, w, "coordinator")
    response = client.post(URL, {**FORM, "draft": ""})
    article = Article.objects.get()
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert "The answer is saved as a draft. The public does not see it." in page_text(client.get(response["Location"]))
    client.logout()
    assert client.get(f"/hoi-dap/{article.pk}/").status_code == 404


def test_a_post_without_the_publish_button_saves_a_draft(client, w):
    sign_in(client, w, "coordinator")
    client.post(URL, FORM)
    assert Article.objects.get().status == ArticleStatus.DRAFT


@pytest.mark.parametrize("change, message", [
    ({"question": "  "}, "Enter the question."),
    ({"answer": ""}, "Enter the answer."),
    ({"topic": ""}, "Choose one of the topics in the list."),
    ({"topic": "khong-co"}, "Choose one of the topics in the list."),
    ({"legal_references": "Thông tư 38/2015/TT-BTC\nĐiều 5 khoản 2"}, "Not a document number: Điều 5 khoản 2."),
    ({"valid_from": "2024-01-01"}, "Write the date as dd/mm/yyyy, for example 01/07/2025."),
    ({"valid_to": "31/12/2023"}, "The end of validity cannot be before its start."),
    ({"question": "x" * 5001}, "At most 5000 characters."),
])
def test_bad_input_is_explained_and_nothing_is_written(client, w, change, message):
    sign_in(client, w, "coordinator")
    response = client.post(URL, {**FORM, **change, "publish": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text and message in text
    assert not Article.objects.exists() and not LegalDocument.objects.exists()


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, role):
    sign_in(client, w, role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**FORM, "publish": ""}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.post(URL, {**FORM, "publish": ""})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Article.objects.exists()


def test_it_reads_in_vietnamese(client, w):
    w.coordinator.language = "vi"
    w.coordinator.save()
    client.force_login(w.coordinator)
    response = client.get(URL)
    assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()
