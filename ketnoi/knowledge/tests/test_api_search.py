"""GET /api/v1/knowledge/search: the public search of the Q&A."""

import pytest
from django.conf import settings

from ketnoi.cases.tests.api_helpers import assert_error, world  # noqa: F401  (fixture)
from ketnoi.testing import make_article

URL = "/knowledge/search"


@pytest.fixture
def articles(world):
    by = world.coordinator
    return {
        "refund": make_article(
            question="Hoàn thuế nhập khẩu nguyên liệu để sản xuất hàng xuất khẩu",
            answer="Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, Công ty được hoàn thuế nhập khẩu đã nộp.",
            topic="thue", by=by),
        "transit": make_article(
            question="Thủ tục hải quan đối với hàng quá cảnh qua cảng Cát Lái",
            answer="Căn cứ Điều 50 Thông tư 38/2015/TT-BTC, hàng quá cảnh chịu sự giám sát hải quan.",
            topic="thu-tuc", by=by),
        "origin": make_article(
            question="Nộp bổ sung C/O mẫu E sau khi thông quan để được hoàn thuế",
            answer="Công ty được nộp bổ sung C/O và đề nghị xử lý tiền thuế nộp thừa.",
            topic="xuat-xu", by=by),
        "draft": make_article(question="Hoàn thuế nhập khẩu hàng tái xuất (bản nháp)",
                              answer="Chưa công bố.", topic="thue", publish=False, by=by),
    }


def ids_of(data) -> list[int]:
    return [hit["id"] for hit in data["results"]]


def ids(r) -> list[int]:
    return ids_of(r.json())


def test_it_finds_the_article_typed_without_diacritics(world, articles):
    r = world.get(URL, {"q": "hoan thue nhap khau nguyen lieu"})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {"total", "total_is_exact", "not_searched", "results"}
    assert data["total_is_exact"] is True and data["not_searched"] == []
    refund = articles["refund"]
    first = data["results"][0]
    assert set(first) == {"id", "question", "answer", "topic", "score", "url", "snippet"}
    assert first["id"] == refund.pk
    assert first["question"] == refund.question and first["answer"] == refund.answer
    assert first["topic"] == "thue"
    assert first["url"] == f"{settings.KETNOI_BASE_URL}/hoi-dap/{refund.pk}/"
    assert isinstance(first["score"], float) and first["score"] > 0


def test_the_same_query_with_and_without_diacritics_gives_the_same_results(world, articles):
    assert ids(world.get(URL, {"q": "hoàn thuế"})) == ids(world.get(URL, {"q": "hoan thue"}))
    assert articles["refund"].pk in ids(world.get(URL, {"q": "hoan thue"}))


def test_results_are_best_first(world, articles):
    scores = [hit["score"] for hit in world.get(URL, {"q": "hoàn thuế nhập khẩu"}).json()["results"]]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 2


def test_it_marks_the_matching_words_in_a_snippet(world, articles):
    hit = world.get(URL, {"q": "cang cat lai"}).json()["results"][0]
    assert hit["id"] == articles["transit"].pk
    matched = [piece["text"] for piece in hit["snippet"]["question"] if piece["match"]]
    assert matched == ["cảng Cát Lái"]
    assert "".join(piece["text"] for piece in hit["snippet"]["question"]) == articles["transit"].question


def test_it_leaves_out_drafts(world, articles):
    found = ids(world.get(URL, {"q": "hoàn thuế", "limit": 50}))
    assert articles["draft"].pk not in found and articles["refund"].pk in found


def test_it_filters_by_topic(world, articles):
    r = world.get(URL, {"q": "hoàn thuế", "topic": "xuat-xu"})
    assert ids(r) == [articles["origin"].pk]
    assert r.json()["total"] == 1


def test_it_pages_with_limit_and_offset(world, articles):
    everything = ids(world.get(URL, {"q": "hoàn thuế"}))
    assert len(everything) == 2
    r = world.get(URL, {"q": "hoàn thuế", "limit": 1})
    assert ids(r) == everything[:1] and r.json()["total"] == 2
    assert ids(world.get(URL, {"q": "hoàn thuế", "limit": 1, "offset": 1})) == everything[1:]
    assert ids(world.get(URL, {"q": "hoàn thuế", "offset": 2})) == []


def test_it_says_which_words_it_did_not_search(world, articles):
    data = world.get(URL, {"q": "hoàn thuế thì sao"}).json()
    assert data["not_searched"] == ["thì sao"]
    assert articles["refund"].pk in ids_of(data)


def test_a_query_of_words_it_does_not_search_finds_nothing(world, articles):
    data = world.get(URL, {"q": "ko"}).json()
    assert data == {"total": 0, "total_is_exact": True, "not_searched": ["ko"], "results": []}


def test_it_is_public(world, articles):
    assert world.get(URL, {"q": "hoàn thuế"}).status_code == 200


@pytest.mark.parametrize("role", ["business", "officer", "coordinator"])
def test_it_answers_every_signed_in_user_alike(world, articles, role):
    assert ids(world.get(URL, {"q": "hoàn thuế"}, as_=getattr(world, role))) == ids(world.get(URL, {"q": "hoàn thuế"}))


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_is_refused_with_a_message(world, q):
    error = assert_error(world.get(URL, {"q": q}), 400, "invalid")
    assert list(error["details"]) == ["q"]
    assert "Type what you are looking for" in error["message"]


def test_no_query_at_all_is_refused(world):
    assert_error(world.get(URL), 400, "invalid")


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 51}, "limit"), ({"limit": "mười"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": "x"}, "offset"), ({"q": "thuế " * 100}, "q"),
])
def test_bad_parameters_are_refused_naming_them(world, params, field):
    error = assert_error(world.get(URL, {"q": "hoàn thuế", **params}), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


def test_an_unknown_topic_is_refused(world, articles):
    error = assert_error(world.get(URL, {"q": "hoàn thuế", "topic": "khong-co"}), 400, "invalid")
    assert list(error["details"]) == ["topic"]


@pytest.mark.parametrize("q", ['"', "'; DROP TABLE knowledge_article; --", "NEAR(", "a* OR b", "(((", "thuế -", "đ" * 300])
def test_odd_queries_are_never_a_server_error(world, articles, q):
    assert world.get(URL, {"q": q[:200]}).status_code == 200


def test_it_rejects_post(world):
    r = world.post(URL, {"q": "hoàn thuế"}, as_=world.coordinator)
    assert_error(r, 405, "method_not_allowed")
