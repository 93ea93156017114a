import pytest

from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent

from .api_helpers import (answered, assert_error, file_case, garbage_references, refreshed, resolved,  # noqa: F401
                          world)

BODY = {"body": "Đề nghị doanh nghiệp bổ sung bản sao hợp đồng nhập khẩu."}


def url(case) -> str:
    return f"/cases/{case.reference}/messages"


@pytest.fixture
def case(world):
    return file_case(world)


def messages(case) -> list[str]:
    return list(case.events.filter(kind__in=["message", "note", "business_replied"]).values_list("kind", flat=True))


# --- staff ---------------------------------------------------------------------------------

def test_an_officer_writes_to_the_business(world, case):
    r = world.post(url(case), BODY, as_=world.officer)
    assert r.status_code == 201
    event = r.json()
    assert event["kind"] == "message" and event["public"] is True
    assert event["body"] == BODY["body"] and event["actor"] == "Lê Văn Hùng"
    assert event["at"].endswith("+07:00")
    assert CaseEvent.objects.get(pk=event["id"]).case_id == case.pk
    assert refreshed(case).status == "in_progress"  # writing to the business acknowledges the case


def test_an_officer_writes_an_internal_note(world, case):
    r = world.post(url(case), {**BODY, "internal": True}, as_=world.officer)
    assert r.status_code == 201
    assert r.json()["kind"] == "note" and r.json()["public"] is False
    assert refreshed(case).status == "new"


@pytest.mark.parametrize("user", ["leader", "coordinator"])
def test_leaders_and_coordinators_write_too(world, case, user):
    assert world.post(url(case), BODY, as_=getattr(world, user)).status_code == 201


def test_a_shared_unit_may_add_a_note_but_not_write_to_the_business(world, case):
    services.case_share(case=case, unit=world.other_unit, by=world.officer)
    assert world.post(url(case), {**BODY, "internal": True}, as_=world.other_officer).status_code == 201
    assert_error(world.post(url(case), BODY, as_=world.other_officer), 403, "forbidden")
    assert messages(case) == ["note"]


def test_staff_cannot_write_to_the_business_on_a_closed_case(world, case):
    resolved(world, case)
    assert_error(world.post(url(case), BODY, as_=world.officer), 400, "invalid")
    assert messages(case) == []


# --- the business --------------------------------------------------------------------------

def test_the_business_replies(world, case):
    r = world.post(url(case), {"body": "Chúng tôi gửi bổ sung hợp đồng."}, as_=world.business)
    assert r.status_code == 201
    assert r.json()["kind"] == "business_replied" and r.json()["public"] is True
    assert r.json()["actor"] == "Nguyễn Thị Lan"


def test_a_reply_restarts_the_clock(world, case):
    services.case_request_info(case=case, body="Đề nghị gửi hợp đồng.", by=world.officer)
    assert refreshed(case).status == "waiting"
    assert world.post(url(case), {"body": "Đã gửi."}, as_=world.business).status_code == 201
    case = refreshed(case)
    assert case.status == "in_progress" and case.paused_at is None


def test_a_reply_reopens_an_answered_case(world, case):
    answered(world, case)
    assert world.post(url(case), {"body": "Câu trả lời chưa rõ."}, as_=world.business).status_code == 201
    assert refreshed(case).status == "in_progress"


def test_the_business_cannot_reply_to_a_resolved_case(world, case):
    resolved(world, case)
    error = assert_error(world.post(url(case), BODY, as_=world.business), 400, "invalid")
    assert "closed" in error["message"]


def test_the_business_cannot_write_an_internal_note(world, case):
    assert_error(world.post(url(case), {**BODY, "internal": True}, as_=world.business), 403, "forbidden")
    assert messages(case) == []


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["", "   \n "])
def test_it_refuses_an_empty_message(world, case, body):
    error = assert_error(world.post(url(case), {"body": body}, as_=world.officer), 400, "invalid")
    assert list(error["details"]) == ["body"]
    assert messages(case) == []


def test_it_refuses_a_message_too_long(world, case):
    error = assert_error(world.post(url(case), {"body": "x" * 20_001}, as_=world.business), 400, "invalid")
    assert list(error["details"]) == ["body"]
    assert len(world.post(url(case), {"body": "x" * 1_000_000}, as_=world.business).content) < 1000
    assert messages(case) == []


@pytest.mark.parametrize("payload", [{}, {"body": 42}, {"body": ["a"]}, {"body": "x", "internal": [1]}, {"message": "x"}])
def test_it_refuses_the_wrong_fields(world, case, payload):
    assert_error(world.post(url(case), payload, as_=world.officer), 422, "invalid")
    assert messages(case) == []


# --- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.post(url(case), BODY, as_=getattr(world, user)), 404, "not_found")
    assert_error(world.post(url(case), {**BODY, "internal": True}, as_=getattr(world, user)), 404, "not_found")
    assert messages(case) == []


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.post(f"/cases/{reference}/messages", BODY, as_=world.officer), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.post(url(case), BODY), 401, "unauthenticated")


def test_it_rejects_get(world, case):
    r = world.get(url(case), as_=world.officer)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "POST"
