"""Articles, citations, the legal-document registry and publishing a case (services)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.knowledge import services
from ketnoi.knowledge.models import Article, ArticleStatus, DocumentStatus, LegalDocument
from ketnoi.testing import make_article, make_user

pytestmark = pytest.mark.django_db

ANSWER = ("Căn cứ khoản 1 Điều 19 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), "
          "Công ty nộp bản chụp C/O.")


@pytest.fixture
def coordinator():
    return make_user("coordinator")


def test_a_coordinator_publishes_an_article_with_its_citations(coordinator):
    article = make_article(answer=ANSWER, references=["Nghị định 08/2015/NĐ-CP"], by=coordinator)
    assert article.status == ArticleStatus.PUBLISHED and article.published_by == coordinator
    assert sorted(article.documents.values_list("number", flat=True)) == [
        "08/2015/NĐ-CP", "38/2015/TT-BTC", "39/2018/TT-BTC"]
    assert AuditEvent.objects.filter(action="article.create").count() == 1


def test_a_number_not_in_the_registry_is_added_for_a_coordinator_to_complete(coordinator):
    make_article(answer="Theo hướng dẫn.", references=["Công văn 5170/TCHQ-GSQL"], by=coordinator)
    document = LegalDocument.objects.get(number="5170/TCHQ-GSQL")
    assert document.needs_completion and document.kind == "cong-van"


def test_a_known_document_is_linked_not_duplicated(coordinator):
    make_article(answer=ANSWER, by=coordinator)
    make_article(answer="Theo Thông tư số 38/2015/TT-BTC.", by=coordinator)
    assert LegalDocument.objects.filter(number="38/2015/TT-BTC").count() == 1


@pytest.mark.parametrize("role", [None, "business", "officer", "leader", "party", "admin"])
def test_only_coordinators_write_articles(role):
    with pytest.raises(PermissionDenied):
        make_article(by=make_user(role))
    assert not Article.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({"question": "  "}, "question"),
    ({"answer": ""}, "answer"),
    ({"topic": "khong-co"}, "topic"),
    ({"references": ["Điều 5"]}, "legal_references"),
    ({"references": "Thông tư 38/2015/TT-BTC"}, "legal_references"),
    ({"question": "x" * 5001}, "question"),
])
def test_bad_input_names_the_field_and_writes_nothing(coordinator, fields, field):
    given = {"question": "Câu hỏi?", "answer": "Trả lời.", "topic": "thu-tuc", "references": [], **fields}
    with pytest.raises(ValidationError) as raised:
        services.article_create(question=given["question"], answer=given["answer"], topic=given["topic"],
                                legal_references=given["references"], publish=True, by=coordinator)
    assert field in raised.value.message_dict
    assert not Article.objects.exists() and not LegalDocument.objects.exists()


def test_validity_cannot_end_before_it_starts(coordinator):
    from datetime import date

    with pytest.raises(ValidationError) as raised:
        make_article(by=coordinator, valid_from=date(2021, 1, 1), valid_to=date(2020, 1, 1))
    assert "valid_to" in raised.value.message_dict


def replace(document, by, with_number="31/2022/TT-BTC"):
    new = services.legal_document_save(kind="thong-tu", number=with_number, title="Danh mục hàng hóa",
                                       issuer="Bộ Tài chính", by=by)
    return services.legal_document_save(document=document, kind=document.kind, number=document.number,
                                        title=document.title, issuer=document.issuer, status=DocumentStatus.REPLACED,
                                        replaced_by=new, by=by), new


def test_replacing_a_document_flags_every_published_article_citing_it(coordinator):
    citing = make_article(answer="Theo Thông tư 65/2017/TT-BTC.", by=coordinator)
    draft = make_article(answer="Theo Thông tư 65/2017/TT-BTC.", by=coordinator, publish=False)
    other = make_article(answer=ANSWER, by=coordinator)
    replace(LegalDocument.objects.get(number="65/2017/TT-BTC"), coordinator)
    citing.refresh_from_db(), draft.refresh_from_db(), other.refresh_from_db()
    assert citing.needs_review and "65/2017/TT-BTC" in citing.review_reason
    assert not draft.needs_review and not other.needs_review


def test_an_article_is_marked_reviewed_only_once_it_cites_documents_in_force(coordinator):
    article = make_article(answer="Theo Thông tư 65/2017/TT-BTC.", by=coordinator)
    replace(LegalDocument.objects.get(number="65/2017/TT-BTC"), coordinator)
    with pytest.raises(ValidationError):
        services.article_mark_reviewed(article=article, by=coordinator)
    services.article_update(article=article, question=article.question, answer="Theo Thông tư 31/2022/TT-BTC.",
                            topic="phan-loai-hs", by=coordinator)
    services.article_mark_reviewed(article=article, by=coordinator)
    article.refresh_from_db()
    assert not article.needs_review and article.review_reason == ""


def test_publishing_an_article_that_cites_a_replaced_document_flags_it_at_once(coordinator):
    draft = make_article(answer="Theo Thông tư 65/2017/TT-BTC.", by=coordinator, publish=False)
    replace(LegalDocument.objects.get(number="65/2017/TT-BTC"), coordinator)
    services.article_publish(article=draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.needs_review


def test_a_replaced_document_needs_its_replacement(coordinator):
    document = services.legal_document_save(kind="thong-tu", number="65/2017/TT-BTC", by=coordinator)
    with pytest.raises(ValidationError) as raised:
        services.legal_document_save(document=document, kind="thong-tu", number="65/2017/TT-BTC",
                                     status=DocumentStatus.REPLACED, by=coordinator)
    assert "replaced_by" in raised.value.message_dict


def test_a_document_number_is_registered_once_whatever_its_spelling(coordinator):
    services.legal_document_save(kind="nghi-dinh", number="08/2015/NĐ-CP", by=coordinator)
    with pytest.raises(ValidationError) as raised:
        services.legal_document_save(kind="nghi-dinh", number="08/2015/nd-cp", by=coordinator)
    assert "number" in raised.value.message_dict


def test_only_coordinators_manage_the_registry():
    with pytest.raises(PermissionDenied):
        services.legal_document_save(kind="thong-tu", number="38/2015/TT-BTC", by=make_user("officer"))


def test_a_session_votes_once(coordinator):
    article = make_article(by=coordinator)
    assert services.article_vote(article=article, helpful=True, voter="abc")
    assert not services.article_vote(article=article, helpful=False, voter="abc")
    assert services.article_vote(article=article, helpful=False, voter="def")
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 1)


def test_a_draft_cannot_be_voted_on(coordinator):
    with pytest.raises(ValidationError):
        services.article_vote(article=make_article(by=coordinator, publish=False), helpful=True, voter="abc")
