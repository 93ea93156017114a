"""GET and POST /api/v1/legal-documents: the public registry, kept by coordinators."""

from datetime import date

import pytest
from django.conf import settings

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import assert_error, world  # noqa: F401  (fixture)
from ketnoi.knowledge import services
from ketnoi.knowledge.models import Article, LegalDocument
from ketnoi.testing import make_article

URL = "/legal-documents"
FIELDS = {"id", "kind", "kind_label", "number", "name", "title", "issuer", "issued_on", "effective_on", "status",
          "status_label", "replaced_by", "amended_by", "needs_completion", "cited_by", "url"}


@pytest.fixture
def registry(world):
    by = world.coordinator
    amending = services.legal_document_save(kind="thong-tu", number="39/2018/TT-BTC", title="Sửa đổi Thông tư 38",
                                            issuer="Bộ Tài chính", issued_on=date(2018, 4, 20), by=by)
    procedures = services.legal_document_save(
        kind="thong-tu", number="38/2015/TT-BTC", title="Quy định về thủ tục hải quan", issuer="Bộ Tài chính",
        issued_on=date(2015, 3, 25), effective_on=date(2015, 4, 1), status="amended", amended_by=[amending], by=by)
    new = services.legal_document_save(kind="nghi-dinh", number="35/2022/NĐ-CP", title="Quản lý khu công nghiệp",
                                       issuer="Chính phủ", issued_on=date(2022, 5, 28), by=by)
    old = services.legal_document_save(kind="nghi-dinh", number="82/2018/NĐ-CP", title="Quản lý khu công nghiệp",
                                       issuer="Chính phủ", issued_on=date(2018, 5, 22), status="replaced",
                                       replaced_by=new, by=by)
    return {"amending": amending, "procedures": procedures, "new": new, "old": old}


def numbers(r) -> list[str]:
    return [d["number"] for d in r.json()["results"]]


# --- GET ------------------------------------------------------------------------------------

def test_it_lists_the_registry_newest_first_to_anyone(world, registry):
    make_article(answer="Căn cứ Thông tư 38/2015/TT-BTC.", by=world.coordinator)
    r = world.get(URL)
    assert r.status_code == 200
    assert r.json()["total"] == 4
    assert numbers(r) == ["35/2022/NĐ-CP", "82/2018/NĐ-CP", "39/2018/TT-BTC", "38/2015/TT-BTC"]
    procedures = r.json()["results"][-1]
    assert set(procedures) == FIELDS
    assert procedures["name"] == "Thông tư 38/2015/TT-BTC" and procedures["kind"] == "thong-tu"
    assert procedures["amended_by"] == ["39/2018/TT-BTC"] and procedures["cited_by"] == 1
    assert procedures["issued_on"] == "2015-03-25" and procedures["status"] == "amended"
    assert procedures["url"] == f"{settings.KETNOI_BASE_URL}/hoi-dap/van-ban/{registry['procedures'].pk}/"
    assert r.json()["results"][1]["replaced_by"] == "35/2022/NĐ-CP"


def test_it_filters_by_status_and_words(world, registry):
    assert numbers(world.get(URL, {"status": "replaced"})) == ["82/2018/NĐ-CP"]
    assert numbers(world.get(URL, {"q": "khu công nghiệp"})) == ["35/2022/NĐ-CP", "82/2018/NĐ-CP"]
    assert numbers(world.get(URL, {"q": "38/2015"})) == ["38/2015/TT-BTC"]


def test_it_pages(world, registry):
    r = world.get(URL, {"limit": 1, "offset": 1})
    assert numbers(r) == ["82/2018/NĐ-CP"] and r.json()["total"] == 4


@pytest.mark.parametrize("params, field", [
    ({"status": "old"}, "status"), ({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset"),
])
def test_bad_filters_are_refused_naming_them(world, params, field):
    error = assert_error(world.get(URL, params), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


# --- POST -----------------------------------------------------------------------------------

def document(**fields) -> dict:
    return {"number": "Nghị định 128/2020/NĐ-CP", "title": "Quy định xử phạt vi phạm hành chính trong lĩnh vực hải quan",
            "issuer": "Chính phủ", "issued_on": "2020-10-19", "effective_on": "2020-12-10", **fields}


def test_a_coordinator_adds_a_document(world):
    r = world.post(URL, document(), as_=world.coordinator)
    assert r.status_code == 201
    data = r.json()
    assert set(data) == FIELDS
    assert data["number"] == "128/2020/NĐ-CP" and data["kind"] == "nghi-dinh"  # the kind read from the number
    assert data["status"] == "in_force" and data["needs_completion"] is False and data["cited_by"] == 0
    assert LegalDocument.objects.get(pk=data["id"]).title == document()["title"]
    assert AuditEvent.objects.filter(action="legal_document.save").count() == 1


def test_a_document_without_title_issuer_or_date_is_marked_to_complete(world):
    data = world.post(URL, {"number": "5170/TCHQ-GSQL"}, as_=world.coordinator).json()
    assert data["kind"] == "cong-van" and data["needs_completion"] is True


def test_posting_a_known_number_completes_it_and_keeps_what_was_not_sent(world):
    make_article(references=["Nghị định 128/2020/NĐ-CP"], by=world.coordinator)  # added from a citation
    added = LegalDocument.objects.get(number="128/2020/NĐ-CP")
    assert added.needs_completion
    r = world.post(URL, document(), as_=world.coordinator)
    assert r.status_code == 200
    assert r.json()["id"] == added.pk and r.json()["needs_completion"] is False and r.json()["cited_by"] == 1
    r = world.post(URL, {"number": "128/2020/NĐ-CP", "effective_on": "2020-12-11"}, as_=world.coordinator)
    added.refresh_from_db()
    assert added.effective_on.isoformat() == "2020-12-11" and added.title == document()["title"]
    assert LegalDocument.objects.filter(number__contains="128/2020").count() == 1


def test_marking_a_document_replaced_flags_the_articles_citing_it(world, registry):
    article = make_article(answer="Căn cứ Nghị định 128/2020/NĐ-CP.", by=world.coordinator)
    world.post(URL, document(), as_=world.coordinator)
    world.post(URL, document(number="Nghị định 99/2026/NĐ-CP"), as_=world.coordinator)
    r = world.post(URL, {"number": "128/2020/NĐ-CP", "status": "replaced", "replaced_by": "Nghị định 99/2026/ND-CP"},
                   as_=world.coordinator)
    assert r.status_code == 200 and r.json()["replaced_by"] == "99/2026/NĐ-CP"
    article.refresh_from_db()
    assert article.needs_review and "128/2020/NĐ-CP" in article.review_reason


def test_it_records_what_amends_a_document(world, registry):
    r = world.post(URL, {"number": "39/2018/TT-BTC", "amended_by": ["Thông tư 38/2015/TT-BTC"]}, as_=world.coordinator)
    assert r.json()["amended_by"] == ["38/2015/TT-BTC"]
    r = world.post(URL, {"number": "39/2018/TT-BTC", "amended_by": []}, as_=world.coordinator)
    assert r.json()["amended_by"] == []


def test_it_is_refused_without_a_token(world):
    assert_error(world.post(URL, document()), 401, "unauthenticated")
    assert not LegalDocument.objects.exists()


@pytest.mark.parametrize("role", ["business", "officer", "leader", "party", "admin"])
def test_it_is_refused_to_everyone_but_coordinators(world, role):
    assert_error(world.post(URL, document(number="điều 5"), as_=getattr(world, role)), 403, "forbidden")
    assert_error(world.post(URL, document(), as_=getattr(world, role)), 403, "forbidden")
    assert not LegalDocument.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({"number": "Điều 5"}, "number"),
    ({"number": ""}, "number"),
    ({"status": "replaced"}, "replaced_by"),
    ({"status": "replaced", "replaced_by": "Nghị định 1/2030/NĐ-CP"}, "replaced_by"),
    ({"status": "replaced", "replaced_by": "Nghị định 128/2020/NĐ-CP"}, "replaced_by"),  # itself
    ({"amended_by": ["Thông tư 1/2030/TT-BTC"]}, "amended_by"),
    ({"amended_by": ["Nghị định 128/2020/NĐ-CP"]}, "amended_by"),  # itself
    ({"issued_on": "2020-10-19", "effective_on": "2020-01-01"}, "effective_on"),
])
def test_bad_input_is_a_400_naming_the_field(world, fields, field):
    if "128/2020" in str(fields.get("replaced_by")) + str(fields.get("amended_by")):
        world.post(URL, document(), as_=world.coordinator)
    before = list(LegalDocument.objects.values_list("number", "status"))
    error = assert_error(world.post(URL, document(**fields), as_=world.coordinator), 400, "invalid")
    assert list(error["details"]) == [field]
    assert list(LegalDocument.objects.values_list("number", "status")) == before


@pytest.mark.parametrize("fields, field", [
    ({"status": "old"}, "status"), ({"kind": "sach"}, "kind"), ({"issued_on": "19/10/2020"}, "issued_on"),
    ({"amended_by": "Thông tư 38/2015/TT-BTC"}, "amended_by"),
])
def test_malformed_input_is_a_422_naming_the_field(world, fields, field):
    error = assert_error(world.post(URL, document(**fields), as_=world.coordinator), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]
    assert not LegalDocument.objects.exists()
    assert not Article.objects.exists()
