import pytest

from ketnoi.cases import services

from .api_helpers import answered, assert_error, file_case, garbage_references, refreshed, world  # noqa: F401


def url(case) -> str:
    return f"/cases/{case.reference}/accept"


@pytest.fixture
def case(world):
    return answered(world, file_case(world))


def test_the_business_accepts_the_answer(world, case):
    r = world.post(url(case), as_=world.business)
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "resolved" and data["resolved_at"] and data["reference"] == case.reference
    assert list(case.events.filter(kind__in=["accepted", "resolved"]).values_list("kind", flat=True)) == \
        ["accepted", "resolved"]


def test_it_takes_no_body(world, case):
    r = world.post_raw(url(case), "", as_=world.business)
    assert r.status_code == 200


def test_an_accepted_case_cannot_be_accepted_again(world, case):
    world.post(url(case), as_=world.business)
    assert_error(world.post(url(case), as_=world.business), 400, "invalid")
    assert case.events.filter(kind="accepted").count() == 1


@pytest.mark.parametrize("status", ["new", "pending_approval"])
def test_only_an_answered_case_can_be_accepted(world, status):
    case = file_case(world, topic="phan-loai-hs")
    if status == "pending_approval":
        services.case_answer(case=case, body="Dự thảo", by=world.officer)
    error = assert_error(world.post(url(case), as_=world.business), 400, "invalid")
    assert "answered" in error["message"]
    assert refreshed(case).status == status


@pytest.mark.parametrize("user", ["officer", "leader", "coordinator"])
def test_customs_cannot_accept_for_the_business(world, case, user):
    assert_error(world.post(url(case), as_=getattr(world, user)), 403, "forbidden")
    assert refreshed(case).status == "answered"


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.post(url(case), as_=getattr(world, user)), 404, "not_found")
    assert refreshed(case).status == "answered"


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.post(f"/cases/{reference}/accept", as_=world.business), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.post(url(case)), 401, "unauthenticated")


def test_it_rejects_get(world, case):
    assert_error(world.get(url(case), as_=world.business), 405, "method_not_allowed")
