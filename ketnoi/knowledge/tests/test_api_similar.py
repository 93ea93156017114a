"""GET /api/v1/knowledge/similar: published articles like a question being typed."""

import pytest
from django.conf import settings

from ketnoi.cases.tests.api_helpers import assert_error, world  # noqa: F401  (fixture)
from ketnoi.testing import make_article

URL = "/knowledge/similar"
TYPED = ("Công ty em nhập lô hạt nhựa PP về sản xuất nhưng sau đó xuất khẩu sản phẩm, "
         "xin hỏi có được hoàn thuế nhập khẩu không ạ")


@pytest.fixture
def articles(world):
    by = world.coordinator
    return {
        "refund": make_article(question="Hoàn thuế nhập khẩu nguyên liệu để sản xuất hàng xuất khẩu",
                               answer="Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, Công ty được hoàn thuế.",
                               topic="thue", by=by),
        "transit": make_article(question="Thủ tục hải quan đối với hàng quá cảnh qua cảng Cát Lái",
                                answer="Hàng quá cảnh chịu sự giám sát hải quan.", topic="thu-tuc", by=by),
        "draft": make_article(question="Hoàn thuế nhập khẩu hạt nhựa tái xuất", answer="Chưa công bố.",
                              topic="thue", publish=False, by=by),
    }


def test_it_gives_the_articles_like_the_text(world, articles):
    r = world.get(URL, {"text": TYPED})
    assert r.status_code == 200
    results = r.json()["results"]
    assert set(r.json()) == {"results"}
    refund = articles["refund"]
    assert results[0] == {"id": refund.pk, "question": refund.question, "topic": "thue",
                          "score": results[0]["score"], "url": f"{settings.KETNOI_BASE_URL}/hoi-dap/{refund.pk}/"}
    assert isinstance(results[0]["score"], float)
    assert articles["transit"].pk not in [hit["id"] for hit in results]


def test_it_leaves_out_drafts(world, articles):
    assert articles["draft"].pk not in [hit["id"] for hit in world.get(URL, {"text": TYPED}).json()["results"]]


def test_it_gives_at_most_limit_results(world, articles):
    for n in range(3):
        make_article(question=f"Hoàn thuế nhập khẩu lần {n}", topic="thue", by=world.coordinator)
    assert len(world.get(URL, {"text": TYPED, "limit": 2}).json()["results"]) == 2
    assert len(world.get(URL, {"text": TYPED}).json()["results"]) == 4


@pytest.mark.parametrize("text", ["", "   ", "ko", "thì sao được không"])
def test_a_text_with_nothing_to_search_gives_no_results(world, articles, text):
    r = world.get(URL, {"text": text})
    assert r.status_code == 200 and r.json() == {"results": []}


@pytest.mark.parametrize("role", ["business", "officer", "coordinator"])
def test_it_is_public_and_the_same_for_everyone(world, articles, role):
    assert world.get(URL, {"text": TYPED}, as_=getattr(world, role)).json() == world.get(URL, {"text": TYPED}).json()


@pytest.mark.parametrize("params, field", [
    ({"limit": 0}, "limit"), ({"limit": 21}, "limit"), ({"limit": "năm"}, "limit"), ({"text": "x" * 5001}, "text"),
])
def test_bad_parameters_are_refused_naming_them(world, params, field):
    error = assert_error(world.get(URL, {"text": TYPED, **params}), 422, "invalid")
    assert [d["field"] for d in error["details"]] == [field]


def test_it_rejects_post(world):
    assert_error(world.post(URL, {"text": TYPED}), 405, "method_not_allowed")
