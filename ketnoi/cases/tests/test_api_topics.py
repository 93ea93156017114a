from ketnoi.cases.models import Topic

from .api_helpers import assert_error, world  # noqa: F401  (fixture)


def test_it_lists_the_topics_in_order(world):
    r = world.get("/topics")
    assert r.status_code == 200
    topics = r.json()
    assert [t["code"] for t in topics] == list(Topic.objects.filter(active=True).values_list("code", flat=True))
    assert topics[0] == {"code": "thu-tuc", "name_vi": "Thủ tục hải quan", "name_en": "Customs procedures",
                         "requires_approval": False}
    assert {"code": "phan-loai-hs", "name_vi": "Phân loại hàng hóa, mã HS", "name_en": "HS classification",
            "requires_approval": True} in topics


def test_it_leaves_out_topics_no_longer_in_use(world):
    Topic.objects.filter(code="khac").update(active=False)
    codes = [t["code"] for t in world.get("/topics").json()]
    assert "khac" not in codes and "thu-tuc" in codes


def test_it_is_public(world):
    assert world.get("/topics").status_code == 200


def test_it_answers_a_signed_in_user_too(world):
    assert world.get("/topics", as_=world.business).status_code == 200


def test_it_rejects_post(world):
    r = world.post("/topics", {"code": "moi"}, as_=world.coordinator)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"
