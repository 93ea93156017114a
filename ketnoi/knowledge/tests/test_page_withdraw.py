"""A coordinator withdraws a published answer: POST /hoi-dap/<id>/thu-hoi/."""

import pytest

from ketnoi.knowledge.models import Article, ArticleStatus
from ketnoi.testing import make_article

from .page_helpers import STAFF_ONLY_REFUSED, page_text, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(w):
    return make_article(question="Thủ tục tạm xuất tái nhập máy móc đi sửa chữa?", by=w.coordinator)


def url(article):
    return f"/hoi-dap/{article.pk}/thu-hoi/"


def status(article):
    return Article.objects.get(pk=article.pk).status


def test_a_coordinator_withdraws_an_answer(client, w, article):
    sign_in(client, w, "coordinator")
    response = client.post(url(article))
    assert response.status_code == 302 and response["Location"] == "/hoi-dap/quan-ly/"
    assert status(article) == ArticleStatus.WITHDRAWN
    assert "The answer is withdrawn. The public no longer sees it." in page_text(client.get(response["Location"]))
    client.logout()
    assert client.get(f"/hoi-dap/{article.pk}/").status_code == 404
    assert "Thủ tục tạm xuất" not in page_text(client.get("/hoi-dap/", {"q": "tam xuat tai nhap"}))


def test_it_refuses_get(client, w, article):
    sign_in(client, w, "coordinator")
    assert client.get(url(article)).status_code == 405
    assert status(article) == ArticleStatus.PUBLISHED


def test_an_unknown_article_is_404(client, w):
    sign_in(client, w, "coordinator")
    assert client.post("/hoi-dap/999999/thu-hoi/").status_code == 404


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, article, role):
    sign_in(client, w, role)
    assert client.post(url(article)).status_code == 403
    assert status(article) == ArticleStatus.PUBLISHED


def test_anonymous_visitors_are_sent_to_log_in(client, w, article):
    response = client.post(url(article))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert status(article) == ArticleStatus.PUBLISHED
