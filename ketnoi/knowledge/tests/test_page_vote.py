"""“Was this answer helpful?”: one vote per browser session, POST /hoi-dap/<id>/huu-ich/."""

import pytest

from ketnoi.knowledge.models import Article, Vote
from ketnoi.testing import make_article

from .page_helpers import ROLES, page_text, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(w):
    return make_article(question="Thời hạn nộp C/O bản chính là bao lâu?", by=w.coordinator)


def url(article):
    return f"/hoi-dap/{article.pk}/huu-ich/"


def counts(article):
    article = Article.objects.get(pk=article.pk)
    return article.helpful_yes, article.helpful_no


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_anyone_says_it_was_helpful(client, w, article, role):
    sign_in(client, w, role)
    response = client.post(url(article), {"helpful": "yes"})
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/{article.pk}/#helpful"
    assert counts(article) == (1, 0)
    text = page_text(client.get(f"/hoi-dap/{article.pk}/"))
    assert "Thank you for your answer." in text and "You said it was helpful." in text


def test_an_anonymous_visitor_without_a_session_gets_one(client, w, article):
    assert not client.cookies.get("sessionid")
    client.post(url(article), {"helpful": "no"})
    assert client.cookies.get("sessionid")
    assert counts(article) == (0, 1)


def test_a_session_votes_once(client, w, article):
    sign_in(client, w, None)
    client.post(url(article), {"helpful": "yes"})
    client.post(url(article), {"helpful": "no"})
    assert counts(article) == (1, 0) and Vote.objects.count() == 1
    response = client.get(f"/hoi-dap/{article.pk}/")
    text = page_text(response)
    assert "You had already answered. Thank you." in text and "You said it was helpful." in text
    assert 'name="helpful"' not in response.content.decode()


def test_another_session_votes_too(client, w, article):
    sign_in(client, w, None)
    client.post(url(article), {"helpful": "yes"})
    client.cookies.clear()
    client.post(url(article), {"helpful": "yes"})
    assert counts(article) == (2, 0)


@pytest.mark.parametrize("value", ["", "maybe", "1"])
def test_a_vote_that_is_neither_yes_nor_no_is_explained(client, w, article, value):
    sign_in(client, w, None)
    response = client.post(url(article), {"helpful": value})
    assert response.status_code == 400
    assert "Choose “Yes” or “No”." in page_text(response)
    assert counts(article) == (0, 0) and not Vote.objects.exists()


def test_it_refuses_get(client, w, article):
    sign_in(client, w, None)
    assert client.get(url(article)).status_code == 405
    assert counts(article) == (0, 0)


@pytest.mark.parametrize("role", [None, "business", "officer", "leader"], ids=lambda role: role or "anonymous")
def test_no_one_votes_on_a_draft_they_cannot_see(client, w, role):
    draft = make_article(publish=False, by=w.coordinator)
    sign_in(client, w, role)
    assert client.post(url(draft), {"helpful": "yes"}).status_code == 404
    assert not Vote.objects.exists()


def test_a_coordinator_voting_on_a_draft_is_told_why_not(client, w):
    draft = make_article(publish=False, by=w.coordinator)
    sign_in(client, w, "coordinator")
    response = client.post(url(draft), {"helpful": "yes"})
    assert response.status_code == 400
    assert "This article is not published." in page_text(response)
    assert not Vote.objects.exists()


def test_the_form_needs_its_csrf_token(w, article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(url(article), {"helpful": "yes"}).status_code == 403
    assert counts(article) == (0, 0)
