"""A coordinator changes an answer, publishes a draft: /hoi-dap/<id>/sua/."""

from datetime import date

import pytest

from ketnoi.knowledge.models import Article, ArticleStatus
from ketnoi.testing import make_article

from .page_helpers import STAFF_ONLY_REFUSED, page_text, sign_in

pytestmark = pytest.mark.django_db

QUESTION = "Hàng tạm nhập tái xuất có phải nộp thuế nhập khẩu không?"
ANSWER = "Căn cứ Điều 16 Nghị định 134/2016/NĐ-CP, hàng tạm nhập tái xuất được miễn thuế nhập khẩu."


@pytest.fixture
def article(w):
    return make_article(question=QUESTION, answer=ANSWER, topic="thue", references=["Luật 107/2016/QH13"],
                        valid_from=date(2016, 9, 1), by=w.coordinator)


def url(article):
    return f"/hoi-dap/{article.pk}/sua/"


def form(**change):
    return {"question": QUESTION, "answer": ANSWER, "topic": "thue", "legal_references": "Luật 107/2016/QH13",
            "valid_from": "01/09/2016", "valid_to": "", **change}


def test_the_form_shows_the_answer_as_saved(client, w, article):
    sign_in(client, w, "coordinator")
    response = client.get(url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert QUESTION in html and 'value="01/09/2016"' in html
    assert "Luật 107/2016/QH13\nNghị định 134/2016/NĐ-CP" in html or "Nghị định 134/2016/NĐ-CP\nLuật 107/2016/QH13" in html
    assert 'name="save"' in html and 'name="publish"' not in html  # it is published already
    assert "Withdraw" in page_text(response)


def test_a_coordinator_corrects_a_published_answer(client, w, article):
    sign_in(client, w, "coordinator")
    response = client.post(url(article), form(answer=ANSWER + " Xem thêm Thông tư 38/2015/TT-BTC.", save=""))
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{article.pk}/"
    article = Article.objects.get(pk=article.pk)
    assert article.answer.endswith("Thông tư 38/2015/TT-BTC.") and article.status == ArticleStatus.PUBLISHED
    assert "38/2015/TT-BTC" in article.documents.values_list("number", flat=True)


def test_a_draft_is_published_from_its_form(client, w):
    draft = make_article(question=QUESTION, answer=ANSWER, topic="thue", publish=False, by=w.coordinator)
    sign_in(client, w, "coordinator")
    assert 'name="publish"' in client.get(url(draft)).content.decode()
    client.post(url(draft), form(publish=""))
    draft = Article.objects.get(pk=draft.pk)
    assert draft.status == ArticleStatus.PUBLISHED and draft.published_by == w.coordinator


def test_a_draft_saved_again_stays_a_draft(client, w):
    draft = make_article(question=QUESTION, answer=ANSWER, topic="thue", publish=False, by=w.coordinator)
    sign_in(client, w, "coordinator")
    client.post(url(draft), form(question="Câu hỏi đã sửa?", draft=""))
    draft = Article.objects.get(pk=draft.pk)
    assert draft.status == ArticleStatus.DRAFT and draft.question == "Câu hỏi đã sửa?"


def test_a_withdrawn_answer_is_corrected_and_published_again(client, w, article):
    Article.objects.filter(pk=article.pk).update(status=ArticleStatus.WITHDRAWN)
    sign_in(client, w, "coordinator")
    assert "Publish again" in page_text(client.get(url(article)))
    response = client.post(url(article), form(question="Câu hỏi đã sửa?", save=""))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.WITHDRAWN
    assert "It stays withdrawn" in page_text(client.get(response["Location"]))
    client.post(url(article), form(publish=""))
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize("change, message", [
    ({"answer": ""}, "Enter the answer."),
    ({"legal_references": "Thông tư số 38"}, "Not a document number: Thông tư số 38."),
    ({"valid_to": "01/01/2016"}, "The end of validity cannot be before its start."),
    ({"valid_from": "32/01/2016"}, "Write the date as dd/mm/yyyy, for example 01/07/2025."),
])
def test_bad_input_is_explained_and_nothing_changes(client, w, article, change, message):
    sign_in(client, w, "coordinator")
    response = client.post(url(article), form(**change, save=""))
    assert response.status_code == 400
    assert message in page_text(response)
    saved = Article.objects.get(pk=article.pk)
    assert (saved.answer, saved.valid_to, saved.updated_at) == (ANSWER, None, article.updated_at)


def test_a_publish_that_fails_does_not_save_the_edits_either(client, w):
    draft = make_article(question=QUESTION, answer=ANSWER, topic="thue", publish=False, by=w.coordinator)
    sign_in(client, w, "coordinator")
    response = client.post(url(draft), form(question="Câu hỏi mới?", legal_references="Điều 5", publish=""))
    assert response.status_code == 400
    assert Article.objects.get(pk=draft.pk).question == QUESTION


def test_an_unknown_article_is_404(client, w):
    sign_in(client, w, "coordinator")
    assert client.get("/hoi-dap/999999/sua/").status_code == 404


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, article, role):
    sign_in(client, w, role)
    assert client.get(url(article)).status_code == 403
    assert client.post(url(article), form(answer="Sửa trái phép.", save="")).status_code == 403
    assert Article.objects.get(pk=article.pk).answer == ANSWER


def test_anonymous_visitors_are_sent_to_log_in(client, w, article):
    response = client.post(url(article), form(answer="Sửa trái phép.", save=""))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Article.objects.get(pk=article.pk).answer == ANSWER


def test_it_reads_in_vietnamese(client, w, article):
    w.coordinator.language = "vi"
    w.coordinator.save()
    client.force_login(w.coordinator)
    response = client.get(url(article))
    assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()
