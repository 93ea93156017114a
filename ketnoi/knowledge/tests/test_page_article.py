"""An article's public page, /hoi-dap/<id>/."""

from datetime import date

import pytest
from django.utils import timezone

from ketnoi.knowledge.models import Article, DocumentStatus
from ketnoi.testing import make_article

from .page_helpers import ROLES, make_document, page_text, sign_in

pytestmark = pytest.mark.django_db

QUESTION = "Nộp bản chụp C/O form E có được không?\nCông ty nhập khẩu linh kiện từ Trung Quốc."
ANSWER = ("Căn cứ khoản 1 Điều 19 Thông tư 38/2015/TT-BTC, người khai hải quan nộp bản chụp C/O.\n"
          "Riêng C/O form E thực hiện theo Thông tư 62/2019/TT-BTC.\n\n"
          "Trường hợp có nghi vấn, cơ quan hải quan đề nghị nộp bản chính.")


@pytest.fixture
def article(w):
    make_document(w.coordinator, number="38/2015/TT-BTC", title="Quy định về thủ tục hải quan")
    return make_article(question=QUESTION, answer=ANSWER, topic="xuat-xu", by=w.coordinator,
                        valid_from=date(2019, 11, 5))


def url(article):
    return f"/hoi-dap/{article.pk}/"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_everyone_reads_a_published_answer(client, w, article, role):
    sign_in(client, w, role)
    response = client.get(url(article))
    assert response.status_code == 200
    text = page_text(response)
    assert "Nộp bản chụp C/O form E có được không?" in text
    assert "Công ty nhập khẩu linh kiện từ Trung Quốc." in text
    assert "cơ quan hải quan đề nghị nộp bản chính" in text
    assert "Origin (C/O)" in text
    assert "05/11/2019" in text  # valid from
    assert timezone.localtime(article.published_at).strftime("%d/%m/%Y") in text


def test_the_answer_keeps_its_paragraphs_and_line_breaks(client, w, article):
    sign_in(client, w, None)
    html = client.get(url(article)).content.decode()
    assert "bản chụp C/O.<br>\nRiêng C/O form E" in html
    assert "</p>\n<p>Trường hợp có nghi vấn" in html


def test_every_citation_links_to_its_document(client, w, article):
    sign_in(client, w, None)
    html = client.get(url(article)).content.decode()
    document = article.documents.get(number="38/2015/TT-BTC")
    assert (f'href="/hoi-dap/van-ban/{document.pk}/" title="Quy định về thủ tục hải quan" class="citation" '
            'rel="noopener noreferrer nofollow">Thông tư 38/2015/TT-BTC</a>') in html
    added = article.documents.get(number="62/2019/TT-BTC")
    assert f'href="/hoi-dap/van-ban/{added.pk}/"' in html


def test_it_lists_the_cited_documents_with_their_status(client, w, article):
    sign_in(client, w, None)
    text = page_text(client.get(url(article)))
    assert "Legal documents cited" in text
    assert "Thông tư 38/2015/TT-BTC – Quy định về thủ tục hải quan In force" in text


def test_a_replaced_document_says_so_and_links_to_its_replacement(client, w, article):
    new = make_document(w.coordinator, number="39/2018/TT-BTC", issued_on=date(2018, 4, 20))
    make_document(w.coordinator, number="38/2015/TT-BTC", title="Quy định về thủ tục hải quan",
                  status=DocumentStatus.REPLACED, replaced_by=new)
    sign_in(client, w, None)
    response = client.get(url(article))
    text = page_text(response)
    assert "This answer cites a document no longer in force; it is being reviewed." in text
    assert "No longer in force. Replaced by Thông tư 39/2018/TT-BTC" in text
    assert f'href="/hoi-dap/van-ban/{new.pk}/"' in response.content.decode()
    # The reason is the coordinators' business.
    assert "Cites a document no longer in force" not in text


def test_an_expired_document_says_so(client, w, article):
    make_document(w.coordinator, number="62/2019/TT-BTC", status=DocumentStatus.EXPIRED)
    sign_in(client, w, None)
    assert "No longer in force: it has expired." in page_text(client.get(url(article)))


def test_coordinators_see_why_it_needs_review_and_the_figures(client, w, article):
    make_document(w.coordinator, number="62/2019/TT-BTC", status=DocumentStatus.EXPIRED)
    Article.objects.filter(pk=article.pk).update(views=41, helpful_yes=7, helpful_no=2)
    sign_in(client, w, "coordinator")
    text = page_text(client.get(url(article)))
    assert "Cites a document no longer in force: Thông tư 62/2019/TT-BTC." in text
    assert "41 views" in text and "7 found it helpful, 2 did not" in text
    assert "Change the answer" in text


def test_it_counts_a_view_of_the_public_not_of_coordinators(client, w, article):
    sign_in(client, w, None)
    client.get(url(article))
    client.get(url(article))
    assert Article.objects.get(pk=article.pk).views == 2
    sign_in(client, w, "coordinator")
    client.get(url(article))
    assert Article.objects.get(pk=article.pk).views == 2


def test_it_shows_similar_questions_but_not_itself(client, w, article):
    similar = make_article(question="Bản chụp C/O form E nộp khi nào?", answer="Khi làm thủ tục.", topic="xuat-xu",
                           by=w.coordinator)
    sign_in(client, w, None)
    html = client.get(url(article)).content.decode()
    section = html[html.index('id="similar-title"'):]
    assert f'href="/hoi-dap/{similar.pk}/"' in section
    assert f'href="/hoi-dap/{article.pk}/"' not in section


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
@pytest.mark.parametrize("role", [None, "business", "officer", "leader"], ids=lambda role: role or "anonymous")
def test_drafts_and_withdrawn_answers_are_404_to_all_but_coordinators(client, w, article, role, status):
    Article.objects.filter(pk=article.pk).update(status=status)
    sign_in(client, w, role)
    assert client.get(url(article)).status_code == 404


@pytest.mark.parametrize("status, banner", [("draft", "This answer is a draft: the public does not see it."),
                                            ("withdrawn", "This answer was withdrawn: the public no longer sees it.")])
def test_coordinators_see_drafts_and_withdrawn_answers_with_a_banner(client, w, article, status, banner):
    Article.objects.filter(pk=article.pk).update(status=status)
    sign_in(client, w, "coordinator")
    response = client.get(url(article))
    assert response.status_code == 200
    assert banner in page_text(response)
    assert Article.objects.get(pk=article.pk).views == 0


def test_an_unknown_article_is_404(client, w):
    sign_in(client, w, None)
    assert client.get("/hoi-dap/999999/").status_code == 404
    assert client.get("/hoi-dap/99999999999999999999999/").status_code == 404


def test_it_answers_a_post_with_405(client, w, article):
    sign_in(client, w, None)
    assert client.post(url(article)).status_code == 405


def test_markup_in_an_answer_is_shown_as_text(client, w):
    hostile = make_article(question='<img src=x onerror="alert(1)">?', by=w.coordinator,
                           answer='<script>alert("x")</script> theo "Thông tư 38/2015/TT-BTC" <b>đậm</b>')
    sign_in(client, w, None)
    html = client.get(url(hostile)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>đậm</b>" not in html
    # Quotes in text need no escaping (nh3 writes them as they are): only < and & would be markup.
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in html
    assert '"<a href="/hoi-dap/van-ban/' in html


def test_it_reads_in_vietnamese_by_default(client, w, article):
    response = client.get(url(article))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
