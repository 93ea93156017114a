"""POST /api/v1/knowledge/articles: a coordinator publishes an article (imports, integrations)."""

import pytest

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import assert_error, world  # noqa: F401  (fixture)
from ketnoi.knowledge import services
from ketnoi.knowledge.models import Article, ArticleStatus, Citation, LegalDocument

URL = "/knowledge/articles"


def body(**fields) -> dict:
    return {"question": "Doanh nghiệp chế xuất bán phế liệu vào nội địa có phải làm thủ tục hải quan không?",
            "answer": "Căn cứ khoản 3 Điều 74 Thông tư 38/2015/TT-BTC, doanh nghiệp chế xuất bán phế liệu vào "
                      "nội địa thì doanh nghiệp nội địa mua phải mở tờ khai nhập khẩu.",
            "topic": "gia-cong-sxxk-chexuat", "legal_references": ["Nghị định số 82/2018/NĐ-CP"], **fields}


def assert_nothing_written():
    assert not Article.objects.exists() and not Citation.objects.exists()
    assert not AuditEvent.objects.filter(action="article.create").exists()


def test_a_coordinator_publishes_an_article(world):
    r = world.post(URL, body(valid_from="2020-01-01"), as_=world.coordinator)
    assert r.status_code == 201
    data = r.json()
    article = Article.objects.get(pk=data["id"])
    assert article.status == ArticleStatus.PUBLISHED and article.published_by == world.coordinator
    assert data["status"] == "published" and data["topic"] == "gia-cong-sxxk-chexuat"
    assert data["question"] == body()["question"] and data["valid_from"] == "2020-01-01"
    assert data["url"].endswith(f"/hoi-dap/{article.pk}/")
    # Given as a reference and cited in the text: both linked.
    assert sorted(ref["number"] for ref in data["legal_references"]) == ["38/2015/TT-BTC", "82/2018/NĐ-CP"]
    assert data["needs_review"] is False
    assert AuditEvent.objects.filter(action="article.create").count() == 1


def test_a_document_not_in_the_registry_is_added_for_a_coordinator_to_complete(world):
    world.post(URL, body(legal_references=["Công văn 4417/TCHQ-TXNK"]), as_=world.coordinator)
    document = LegalDocument.objects.get(number="4417/TCHQ-TXNK")
    assert document.needs_completion and document.kind == "cong-van"


def test_an_article_citing_a_replaced_document_is_published_flagged(world):
    new = services.legal_document_save(kind="nghi-dinh", number="35/2022/NĐ-CP", by=world.coordinator)
    services.legal_document_save(kind="nghi-dinh", number="82/2018/NĐ-CP", status="replaced", replaced_by=new,
                                 by=world.coordinator)
    data = world.post(URL, body(), as_=world.coordinator).json()
    assert data["needs_review"] is True and "82/2018/NĐ-CP" in data["review_reason"]


def test_the_article_is_found_by_search_at_once(world):
    article_id = world.post(URL, body(), as_=world.coordinator).json()["id"]
    hits = world.get("/knowledge/search", {"q": "doanh nghiep che xuat ban phe lieu"}).json()["results"]
    assert [hit["id"] for hit in hits] == [article_id]


def test_it_is_refused_without_a_token(world):
    assert_error(world.post(URL, body()), 401, "unauthenticated")
    assert_nothing_written()


@pytest.mark.parametrize("role", ["business", "operator", "officer", "leader", "party", "admin"])
def test_it_is_refused_to_everyone_but_coordinators(world, role):
    assert_error(world.post(URL, body(), as_=getattr(world, role)), 403, "forbidden")
    assert_nothing_written()


@pytest.mark.parametrize("fields, field", [
    ({"topic": "khong-co"}, "topic"),
    ({"topic": ""}, "topic"),
    ({"question": "   "}, "question"),
    ({"answer": ""}, "answer"),
    ({"question": "x" * 5001}, "question"),
    ({"legal_references": ["Điều 5"]}, "legal_references"),
    ({"legal_references": ["Thông tư 38/2015/TT-BTC", "theo quy định"]}, "legal_references"),
    ({"legal_references": ["Thông tư 38/2015/TT-BTC"] * 31}, "legal_references"),
    ({"valid_from": "2021-01-01", "valid_to": "2020-01-01"}, "valid_to"),
])
def test_bad_input_is_a_400_naming_the_field(world, fields, field):
    error = assert_error(world.post(URL, body(**fields), as_=world.coordinator), 400, "invalid")
    assert list(error["details"]) == [field]
    assert_nothing_written()


@pytest.mark.parametrize("fields, field", [
    ({"legal_references": "Thông tư 38/2015/TT-BTC"}, "legal_references"),
    ({"legal_references": [38]}, "legal_references.0"),
    ({"valid_from": "01/02/2020"}, "valid_from"),
    ({"question": None}, "question"),
])
def test_malformed_input_is_a_422_naming_the_field(world, fields, field):
    error = assert_error(world.post(URL, body(**fields), as_=world.coordinator), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]
    assert_nothing_written()


def test_a_missing_field_is_named(world):
    payload = body()
    del payload["topic"]
    error = assert_error(world.post(URL, payload, as_=world.coordinator), 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["topic"]


def test_a_body_that_is_not_json_is_refused(world):
    assert_error(world.post_raw(URL, "question=x", as_=world.coordinator), 400, "bad_request")
    assert_nothing_written()
