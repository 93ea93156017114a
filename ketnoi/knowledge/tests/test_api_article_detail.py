"""GET /api/v1/knowledge/articles/{id}: one article, public when published."""

import pytest
from django.conf import settings

from ketnoi.accounts.models import Role
from ketnoi.cases.models import Topic
from ketnoi.cases.tests.api_helpers import assert_error, world  # noqa: F401  (fixture)
from ketnoi.knowledge import services
from ketnoi.testing import make_article, make_user

ANSWER = ("Căn cứ khoản 1 Điều 19 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), "
          "Công ty nộp bản chụp C/O.")


def url(article) -> str:
    return f"/knowledge/articles/{article.pk}"


@pytest.fixture
def article(world):
    return make_article(question="Nộp C/O bản chụp khi làm thủ tục nhập khẩu?", answer=ANSWER, topic="xuat-xu",
                        references=["Nghị định 31/2018/NĐ-CP"], by=world.coordinator)


def test_it_shows_a_published_article_to_anyone(world, article):
    r = world.get(url(article))
    assert r.status_code == 200
    data = r.json()
    assert {"id", "question", "answer", "topic", "legal_references", "needs_review", "url"} <= set(data)
    assert data["id"] == article.pk and data["question"] == article.question and data["answer"] == ANSWER
    assert data["topic"] == "xuat-xu" and data["status"] == "published" and data["needs_review"] is False
    assert data["url"] == f"{settings.KETNOI_BASE_URL}/hoi-dap/{article.pk}/"
    assert data["published_at"].endswith("+07:00")
    references = {ref["number"]: ref for ref in data["legal_references"]}
    assert set(references) == {"31/2018/NĐ-CP", "38/2015/TT-BTC", "39/2018/TT-BTC"}
    circular = references["38/2015/TT-BTC"]
    assert {"number", "name", "status", "url"} <= set(circular)
    assert circular["name"] == "Thông tư 38/2015/TT-BTC" and circular["status"] == "in_force"
    assert circular["url"].startswith(f"{settings.KETNOI_BASE_URL}/hoi-dap/van-ban/")


@pytest.mark.parametrize("role", ["business", "officer", "leader", "coordinator"])
def test_every_signed_in_user_sees_a_published_article(world, article, role):
    assert world.get(url(article), as_=getattr(world, role)).status_code == 200


def test_it_says_when_the_article_cites_a_replaced_document(world, article):
    old = services.documents_for(["Nghị định 31/2018/NĐ-CP"], by=world.coordinator)[0][0]
    new = services.legal_document_save(kind="nghi-dinh", number="12/2026/NĐ-CP", by=world.coordinator)
    services.legal_document_save(document=old, kind="nghi-dinh", number=old.number, status="replaced",
                                 replaced_by=new, by=world.coordinator)
    data = world.get(url(article)).json()
    assert data["needs_review"] is True and "31/2018/NĐ-CP" in data["review_reason"]
    decree = next(ref for ref in data["legal_references"] if ref["number"] == "31/2018/NĐ-CP")
    assert decree["status"] == "replaced" and decree["replaced_by"] == "12/2026/NĐ-CP"


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
@pytest.mark.parametrize("role", [None, "business", "officer", "leader"])
def test_an_unpublished_article_is_not_found_but_by_coordinators(world, state, role):
    article = make_article(publish=state == "withdrawn", by=world.coordinator)
    if state == "withdrawn":
        services.article_withdraw(article=article, by=world.coordinator)
    assert_error(world.get(url(article), as_=getattr(world, role) if role else None), 404, "not_found")
    r = world.get(url(article), as_=world.coordinator)
    assert r.status_code == 200 and r.json()["status"] == state


@pytest.mark.parametrize("path", ["/knowledge/articles/999999", "/knowledge/articles/0",
                                  "/knowledge/articles/99999999999999999999999", "/knowledge/articles/abc",
                                  "/knowledge/articles/1.5", "/knowledge/articles/-1"])
def test_an_unknown_article_is_not_found(world, path):
    assert_error(world.get(path), 404, "not_found")


def test_a_bad_token_is_refused_rather_than_read_as_anonymous(world, article):
    r = world.client.get(f"/api/v1{url(article)}", headers={"Authorization": "Bearer kn_saimat"})
    assert_error(r, 401, "unauthenticated")


def test_it_answers_in_the_language_of_the_token_user(world, article):
    topic = Topic.objects.get(code="xuat-xu")
    vietnamese = make_user(Role.BUSINESS, enterprise=world.enterprise, language="vi")
    assert world.get(url(article), as_=vietnamese).json()["topic_name"] == topic.name_vi
    assert world.get(url(article), as_=world.business).json()["topic_name"] == topic.name_en


def test_it_rejects_post(world, article):
    assert_error(world.post(url(article), {}, as_=world.coordinator), 405, "method_not_allowed")
