"""The coordinators' page of the Q&A, /hoi-dap/quan-ly/: answers by status, the review queue and
the documents to complete."""

import pytest

from ketnoi.knowledge.models import Article, DocumentStatus
from ketnoi.testing import make_article

from .page_helpers import STAFF_ONLY_REFUSED, make_document, page_text, sign_in

pytestmark = pytest.mark.django_db
URL = "/hoi-dap/quan-ly/"


def test_it_puts_the_answers_needing_review_first_with_their_reason(client, w):
    new = make_document(w.coordinator, number="39/2018/TT-BTC")
    stale = make_article(question="Hồ sơ hải quan gồm những gì?", answer="Theo Thông tư 38/2015/TT-BTC.",
                         by=w.coordinator)
    make_document(w.coordinator, number="38/2015/TT-BTC", status=DocumentStatus.REPLACED, replaced_by=new)
    sign_in(client, w, "coordinator")
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "1 answer needs review" in text
    assert "Hồ sơ hải quan gồm những gì? (Customs procedures · Published)" in text
    assert "Cites a document no longer in force: Thông tư 38/2015/TT-BTC." in text
    html = response.content.decode()
    assert html.index("needs review") < html.index("<h2>Answers</h2>")
    assert f'href="/hoi-dap/{stale.pk}/sua/"' in html


def test_it_lists_the_answers_of_each_status(client, w):
    draft = make_article(question="Bản nháp về C/O?", publish=False, by=w.coordinator)
    published = make_article(question="Câu hỏi đã công bố?", by=w.coordinator)
    withdrawn = make_article(question="Câu hỏi đã thu hồi?", by=w.coordinator)
    Article.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    sign_in(client, w, "coordinator")
    for status, shown, hidden in [("draft", draft, published), ("published", published, withdrawn),
                                  ("withdrawn", withdrawn, draft)]:
        html = client.get(URL, {"status": status}).content.decode()
        table = html[html.index("<h2>Answers</h2>"):]
        assert f'href="/hoi-dap/{shown.pk}/"' in table and f'href="/hoi-dap/{hidden.pk}/"' not in table


def test_an_unknown_status_shows_the_drafts(client, w):
    draft = make_article(question="Bản nháp về C/O?", publish=False, by=w.coordinator)
    sign_in(client, w, "coordinator")
    response = client.get(URL, {"status": "<b>x</b>"})
    assert response.status_code == 200 and f'href="/hoi-dap/{draft.pk}/"' in response.content.decode()


def test_it_lists_the_documents_to_complete(client, w):
    make_article(answer="Theo Công văn 5170/TCHQ-GSQL.", by=w.coordinator)
    make_document(w.coordinator, number="38/2015/TT-BTC")
    sign_in(client, w, "coordinator")
    text = page_text(client.get(URL))
    section = text[text.index("Documents to complete"):]
    assert "Công văn 5170/TCHQ-GSQL" in section and "38/2015/TT-BTC" not in section


def test_an_empty_queue_says_so(client, w):
    sign_in(client, w, "coordinator")
    text = page_text(client.get(URL))
    assert "No answer needs review." in text and "Every document of the registry is complete." in text


def test_it_refuses_post(client, w):
    sign_in(client, w, "coordinator")
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, role):
    sign_in(client, w, role)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_reads_in_vietnamese(client, w):
    w.coordinator.language = "vi"
    w.coordinator.save()
    client.force_login(w.coordinator)
    response = client.get(URL)
    assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()
