import pytest

from .api_helpers import answered, assert_error, file_case, garbage_references, refreshed, resolved, world  # noqa: F401


def url(case) -> str:
    return f"/cases/{case.reference}/rating"


@pytest.fixture
def case(world):
    return resolved(world, file_case(world))


def test_the_business_rates_the_answer(world, case):
    r = world.post(url(case), {"score": 5, "comment": "Trả lời nhanh, rõ ràng."}, as_=world.business)
    assert r.status_code == 200
    data = r.json()
    assert data["rating"] == 5 and data["rating_comment"] == "Trả lời nhanh, rõ ràng." and data["rated_at"]
    assert data["status"] == "resolved"
    assert case.events.get(kind="rated").data["score"] == 5


def test_the_comment_may_be_left_out(world, case):
    r = world.post(url(case), {"score": 4}, as_=world.business)
    assert r.status_code == 200 and r.json()["rating"] == 4 and r.json()["rating_comment"] == ""


@pytest.mark.parametrize("score", [1, 2])
def test_a_poor_rating_reopens_the_case_for_the_leaders_review(world, case, score):
    r = world.post(url(case), {"score": score, "comment": "Chưa giải quyết được."}, as_=world.business)
    assert r.status_code == 200
    assert r.json()["status"] == "in_progress" and r.json()["rating"] == score
    staff_view = world.get(f"/cases/{case.reference}", as_=world.leader).json()
    assert staff_view["needs_review"] is True


@pytest.mark.parametrize("score", [0, 6, -1, 100, 10**30])
def test_it_refuses_a_score_out_of_range(world, case, score):
    error = assert_error(world.post(url(case), {"score": score}, as_=world.business), 400, "invalid")
    assert list(error["details"]) == ["score"]
    assert "1" in error["message"] and "5" in error["message"]
    assert refreshed(case).rating is None


@pytest.mark.parametrize("payload", [{}, {"score": "năm"}, {"score": 4.5}, {"score": None}, {"score": [5]},
                                     {"score": 5, "comment": 3}])
def test_it_refuses_the_wrong_types(world, case, payload):
    assert_error(world.post(url(case), payload, as_=world.business), 422, "invalid")
    assert refreshed(case).rating is None


def test_a_case_is_rated_once(world, case):
    world.post(url(case), {"score": 4}, as_=world.business)
    error = assert_error(world.post(url(case), {"score": 1}, as_=world.business), 400, "invalid")
    assert "already rated" in error["message"]
    assert refreshed(case).rating == 4
    assert case.events.filter(kind="rated").count() == 1


def test_a_case_not_resolved_cannot_be_rated(world):
    case = answered(world, file_case(world))
    error = assert_error(world.post(url(case), {"score": 5}, as_=world.business), 400, "invalid")
    assert "resolved" in error["message"]


def test_a_long_comment_is_cut_not_refused(world, case):
    r = world.post(url(case), {"score": 3, "comment": "x" * 100_000}, as_=world.business)
    assert r.status_code == 200 and len(r.json()["rating_comment"]) == 5000


@pytest.mark.parametrize("user", ["officer", "leader", "coordinator"])
def test_customs_cannot_rate_its_own_answer(world, case, user):
    assert_error(world.post(url(case), {"score": 5}, as_=getattr(world, user)), 403, "forbidden")
    assert refreshed(case).rating is None


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.post(url(case), {"score": 1}, as_=getattr(world, user)), 404, "not_found")
    assert refreshed(case).rating is None


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.post(f"/cases/{reference}/rating", {"score": 5}, as_=world.business), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.post(url(case), {"score": 5}), 401, "unauthenticated")


def test_it_rejects_get(world, case):
    assert_error(world.get(url(case), as_=world.business), 405, "method_not_allowed")
