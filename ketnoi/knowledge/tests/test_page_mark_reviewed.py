"""A coordinator confirms an answer flagged for review: POST /hoi-dap/<id>/da-ra-soat/. It is
refused, with the reason on the page, while the answer still cites a stale document."""

import pytest

from ketnoi.knowledge.models import Article, DocumentStatus
from ketnoi.testing import make_article

from .page_helpers import STAFF_ONLY_REFUSED, make_document, page_text, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(w):
    article = make_article(question="Hồ sơ hải quan gồm những gì?", answer="Theo Thông tư 38/2015/TT-BTC.",
                           by=w.coordinator)
    new = make_document(w.coordinator, number="39/2018/TT-BTC")
    make_document(w.coordinator, number="38/2015/TT-BTC", status=DocumentStatus.REPLACED, replaced_by=new)
    article = Article.objects.get(pk=article.pk)
    assert article.needs_review
    return article


def url(article):
    return f"/hoi-dap/{article.pk}/da-ra-soat/"


def needs_review(article):
    return Article.objects.get(pk=article.pk).needs_review


def test_it_is_refused_while_the_answer_cites_a_replaced_document(client, w, flagged):
    sign_in(client, w, "coordinator")
    assert "Mark reviewed" in page_text(client.get(f"/hoi-dap/{flagged.pk}/sua/"))
    response = client.post(url(flagged))
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "The article still cites Thông tư 38/2015/TT-BTC: cite the documents in force instead" in text
    assert needs_review(flagged)


def test_once_corrected_the_answer_is_marked_reviewed(client, w, flagged):
    sign_in(client, w, "coordinator")
    client.post(f"/hoi-dap/{flagged.pk}/sua/", {
        "question": flagged.question, "answer": "Theo Thông tư 39/2018/TT-BTC.", "topic": "thu-tuc",
        "legal_references": "", "valid_from": "", "valid_to": "", "save": ""})
    response = client.post(url(flagged))
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{flagged.pk}/"
    assert not needs_review(flagged)
    text = page_text(client.get(response["Location"]))
    assert "The answer is marked as reviewed." in text and "it is being reviewed" not in text


def test_it_refuses_get(client, w, flagged):
    sign_in(client, w, "coordinator")
    assert client.get(url(flagged)).status_code == 405


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, flagged, role):
    sign_in(client, w, role)
    assert client.post(url(flagged)).status_code == 403
    assert needs_review(flagged)


def test_anonymous_visitors_are_sent_to_log_in(client, w, flagged):
    response = client.post(url(flagged))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert needs_review(flagged)
