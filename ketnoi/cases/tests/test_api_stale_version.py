"""Optimistic locking in the API: GET of a case gives its version as the ETag (and as `version`);
an action sent with `If-Match` naming an older version answers 412, with the `version` field 409,
a JSON error either way, and changes nothing; a current one goes through and answers the new ETag."""

import pytest

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Answer, CaseEvent, Status

from .api_helpers import API, answered, assert_error, file_case, refreshed, world  # noqa: F401

Kind = CaseEvent.Kind
BODY = "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, Công ty nộp công văn đề nghị hoàn thuế kèm bảng kê tờ khai."


@pytest.fixture
def case(world):
    return file_case(world)


def read(world, case, user):
    r = world.get(f"/cases/{case.reference}", as_=user)
    assert r.status_code == 200
    return r


def post(world, path, body, user, **headers):
    return world.client.post(API + path, body, content_type="application/json",
                             headers={**world.headers(user), **headers})


def a_colleague_notes(world, case):
    services.case_message(case=case, body="Chờ ý kiến Phòng Thuế.", by=world.leader, internal=True)


def test_get_gives_the_version_as_etag_and_field(world, case):
    r = read(world, case, world.officer)
    assert r["ETag"] == '"1"' and r.json()["version"] == 1
    a_colleague_notes(world, case)
    r = read(world, case, world.business)
    assert r["ETag"] == '"2"' and r.json()["version"] == 2


def test_an_answer_with_a_stale_if_match_is_412_and_changes_nothing(world, case):
    etag = read(world, case, world.officer)["ETag"]
    a_colleague_notes(world, case)
    audit = AuditEvent.objects.count()
    r = post(world, f"/cases/{case.reference}/answer", {"body": BODY}, world.officer, if_match=etag)
    error = assert_error(r, 412, "precondition_failed")
    assert "Someone else updated this case" in error["message"]
    assert not Answer.objects.filter(case=case).exists() and AuditEvent.objects.count() == audit
    assert refreshed(case).status == Status.NEW


def test_an_answer_with_a_stale_version_field_is_409(world, case):
    version = read(world, case, world.officer).json()["version"]
    a_colleague_notes(world, case)
    r = post(world, f"/cases/{case.reference}/answer", {"body": BODY, "version": version}, world.officer)
    assert_error(r, 409, "conflict")
    assert not refreshed(case).events.filter(kind=Kind.ANSWERED).exists()


def test_an_answer_with_the_current_etag_goes_through_and_answers_the_new_one(world, case):
    etag = read(world, case, world.officer)["ETag"]
    r = post(world, f"/cases/{case.reference}/answer", {"body": BODY}, world.officer, if_match=etag)
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert r["ETag"] == '"2"' == f'"{r.json()["version"]}"'


@pytest.mark.parametrize("header", ['W/"1"', "1", '"abc"', '"1", "2"', "x" * 300, '""'])
def test_a_weak_or_malformed_if_match_never_matches(world, case, header):
    r = post(world, f"/cases/{case.reference}/assign", {}, world.officer, if_match=header)
    assert_error(r, 412, "precondition_failed")
    assert refreshed(case).assignee is None


def test_if_match_star_asks_for_no_check(world, case):
    a_colleague_notes(world, case)
    r = post(world, f"/cases/{case.reference}/assign", {}, world.officer, if_match="*")
    assert r.status_code == 200 and refreshed(case).assignee == world.officer


def test_without_a_version_the_api_acts_as_before(world, case):
    a_colleague_notes(world, case)
    r = post(world, f"/cases/{case.reference}/assign", {}, world.officer)
    assert r.status_code == 200 and r["ETag"] == '"3"'


def test_two_officers_taking_the_case_from_the_same_read_one_wins_the_other_412(world, case):
    etag = read(world, case, world.officer)["ETag"]
    assert read(world, case, world.colleague)["ETag"] == etag
    first = post(world, f"/cases/{case.reference}/assign", {}, world.officer, if_match=etag)
    second = post(world, f"/cases/{case.reference}/assign", {}, world.colleague, if_match=etag)
    assert first.status_code == 200
    assert_error(second, 412, "precondition_failed")
    assert refreshed(case).assignee == world.officer
    assert refreshed(case).events.filter(kind=Kind.ASSIGNED).count() == 1


def test_a_message_with_a_stale_version_is_409_and_a_current_one_gives_the_new_etag(world, case):
    version = read(world, case, world.officer).json()["version"]
    a_colleague_notes(world, case)
    assert_error(post(world, f"/cases/{case.reference}/messages", {"body": "Đang xem xét.", "version": version},
                      world.officer), 409, "conflict")
    r = post(world, f"/cases/{case.reference}/messages", {"body": "Đang xem xét.", "version": version + 1},
             world.officer)
    assert r.status_code == 201 and r["ETag"] == f'"{version + 2}"'


def test_accept_and_rating_take_if_match_too(world, case):
    answered(world, case)
    etag = read(world, case, world.business)["ETag"]
    a_colleague_notes(world, case)
    assert_error(post(world, f"/cases/{case.reference}/accept", None, world.business, if_match=etag),
                 412, "precondition_failed")
    etag = read(world, case, world.business)["ETag"]
    r = post(world, f"/cases/{case.reference}/accept", None, world.business, if_match=etag)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert_error(post(world, f"/cases/{case.reference}/rating", {"score": 5, "version": 1}, world.business),
                 409, "conflict")


def test_a_case_the_caller_may_not_see_is_404_whatever_the_if_match(world, case):
    r = post(world, f"/cases/{case.reference}/answer", {"body": BODY}, world.other_officer, if_match='"99"')
    assert_error(r, 404, "not_found")


def test_the_schema_documents_the_version_and_its_errors(world):
    schema = world.get("/openapi.json").json()
    answer = schema["paths"]["/api/v1/cases/{reference}/answer"]["post"]
    assert {"409", "412"} <= set(answer["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in answer["parameters"])
