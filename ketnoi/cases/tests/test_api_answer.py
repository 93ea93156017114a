import pytest

from ketnoi.cases import services
from ketnoi.cases.models import Answer

from .api_helpers import answered, assert_error, file_case, garbage_references, refreshed, world  # noqa: F401

BODY = {"body": "Theo Điều 19 Luật Thuế xuất khẩu, thuế nhập khẩu 2016, doanh nghiệp được hoàn thuế khi …"}


def url(case) -> str:
    return f"/cases/{case.reference}/answer"


@pytest.fixture
def case(world):
    """A topic whose answers need no approval."""
    return file_case(world, topic="thu-tuc")


@pytest.fixture
def hs_case(world):
    """HS classification: an officer's answer waits for a leader's approval."""
    return file_case(world, topic="phan-loai-hs")


def public_kinds(world, case) -> list[str]:
    return [e["kind"] for e in world.get(f"/cases/{case.reference}/timeline", as_=world.business).json()]


def test_an_officer_answers(world, case):
    r = world.post(url(case), BODY, as_=world.officer)
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "answered" and data["answered_at"] and data["reference"] == case.reference
    assert data["work_hours_left"] is None
    answer = Answer.objects.get(case=case)
    assert answer.state == "sent" and answer.author == world.officer and answer.body == BODY["body"]
    assert case.events.get(kind="answered").body == BODY["body"]
    assert "answered" in public_kinds(world, case)


def test_an_officers_answer_waits_for_approval_when_the_topic_needs_it(world, hs_case):
    r = world.post(url(hs_case), BODY, as_=world.officer)
    assert r.status_code == 200
    assert r.json()["status"] == "pending_approval" and r.json()["answered_at"] is None
    assert Answer.objects.get(case=hs_case).state == "submitted"
    assert "answered" not in public_kinds(world, hs_case)  # the business sees nothing yet


@pytest.mark.parametrize("user", ["leader", "coordinator"])
def test_a_leader_or_coordinator_answers_without_approval(world, hs_case, user):
    r = world.post(url(hs_case), BODY, as_=getattr(world, user))
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert Answer.objects.get(case=hs_case).state == "sent"


def test_the_leader_approves_the_pending_answer(world, hs_case):
    world.post(url(hs_case), BODY, as_=world.officer)
    services.answer_decide(case=hs_case, approve=True, by=world.leader)
    assert refreshed(hs_case).status == "answered"


def test_a_case_waiting_for_the_business_can_be_answered(world, case):
    services.case_request_info(case=case, body="Đề nghị gửi hợp đồng.", by=world.officer)
    assert world.post(url(case), BODY, as_=world.officer).json()["status"] == "answered"


def test_a_pending_answer_cannot_be_replaced(world, hs_case):
    world.post(url(hs_case), BODY, as_=world.officer)
    assert_error(world.post(url(hs_case), {"body": "Bản khác"}, as_=world.colleague), 400, "invalid")
    assert Answer.objects.get(case=hs_case).body == BODY["body"]


def test_an_answered_case_cannot_be_answered_again(world, case):
    answered(world, case)
    error = assert_error(world.post(url(case), BODY, as_=world.officer), 400, "invalid")
    assert "answered" in error["message"]
    assert Answer.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("body", ["", "  "])
def test_it_refuses_an_empty_answer(world, case, body):
    error = assert_error(world.post(url(case), {"body": body}, as_=world.officer), 400, "invalid")
    assert list(error["details"]) == ["body"]
    assert refreshed(case).status == "new"


def test_it_refuses_an_answer_too_long(world, case):
    assert_error(world.post(url(case), {"body": "x" * 50_001}, as_=world.officer), 400, "invalid")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"body": None}, {"body": 1}, {"text": "…"}])
def test_it_refuses_the_wrong_fields(world, case, payload):
    assert_error(world.post(url(case), payload, as_=world.officer), 422, "invalid")


def test_the_business_cannot_answer(world, case):
    assert_error(world.post(url(case), BODY, as_=world.business), 403, "forbidden")
    assert refreshed(case).status == "new"


def test_a_unit_the_case_is_shared_with_cannot_answer(world, case):
    services.case_share(case=case, unit=world.other_unit, by=world.officer)
    assert_error(world.post(url(case), BODY, as_=world.other_officer), 403, "forbidden")


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.post(url(case), BODY, as_=getattr(world, user)), 404, "not_found")
    assert refreshed(case).status == "new"


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.post(f"/cases/{reference}/answer", BODY, as_=world.leader), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.post(url(case), BODY), 401, "unauthenticated")


def test_it_rejects_get(world, case):
    assert_error(world.get(url(case), as_=world.officer), 405, "method_not_allowed")
