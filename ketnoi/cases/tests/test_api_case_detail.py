from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.cases import services

from .api_helpers import assert_error, file_case, garbage_references, resolved, world  # noqa: F401  (fixture)


def url(case) -> str:
    return f"/cases/{case.reference}"


@pytest.fixture
def case(world):
    return file_case(world, declaration_numbers=["104512345670"], hs_codes=["8471.30.20"])


def test_it_shows_the_case_to_its_business(world, case):
    r = world.get(url(case), as_=world.business)
    assert r.status_code == 200
    data = r.json()
    assert data["reference"] == case.reference
    assert data["status"] == "new" and data["status_label"] == "Received"
    assert data["topic"] == "thu-tuc" and data["unit"] == "02CI" and data["named_unit"] == "02CI"
    assert data["unit_name"] == "Customs Branch Area I"
    assert data["subject"] == case.subject and data["description"] == case.description
    assert data["declaration_numbers"] == ["104512345670"] and data["hs_codes"] == ["8471.30.20"]
    assert data["enterprise"] == "0314409058" and data["enterprise_name"] == "Công ty TNHH Ánh Dương"
    assert data["channel"] == "web" and data["priority"] is False
    assert data["received_at"].endswith("+07:00") and data["due_at"].endswith("+07:00")
    assert data["work_hours_left"] > 0 and data["overdue"] is False
    assert data["answered_at"] is None and data["rating"] is None


def test_it_hides_the_internal_fields_from_the_business(world, case):
    services.case_assign(case=case, assignee=world.officer, by=world.officer)
    data = world.get(url(case), as_=world.business).json()
    assert (data["assignee"], data["level"], data["escalation_step"], data["needs_review"]) == (None, None, None, None)


def test_it_shows_the_internal_fields_to_the_unit(world, case):
    services.case_assign(case=case, assignee=world.officer, by=world.officer)
    data = world.get(url(case), as_=world.colleague).json()
    assert (data["assignee"], data["level"], data["escalation_step"], data["needs_review"]) == ("hung", "unit", 0, False)
    assert data["status"] == "in_progress" and data["acknowledged_at"]


def test_it_shows_an_overdue_case(world):
    late = file_case(world, received_at=timezone.now() - timedelta(days=40))
    data = world.get(url(late), as_=world.officer).json()
    assert data["overdue"] is True and data["work_hours_left"] < 0


def test_it_shows_the_time_left_frozen_while_waiting(world, case):
    services.case_request_info(case=case, body="Đề nghị gửi bản sao tờ khai.", by=world.officer)
    first = world.get(url(case), as_=world.business).json()
    assert first["status"] == "waiting" and first["waiting_since"]
    assert first["overdue"] is False and first["work_hours_left"] > 0


def test_it_shows_the_answer_date_and_rating(world, case):
    services.case_rate(case=resolved(world, case), score=5, comment="Rất nhanh", by=world.business)
    data = world.get(url(case), as_=world.business).json()
    assert data["status"] == "resolved" and data["answered_at"] and data["resolved_at"]
    assert data["rating"] == 5 and data["rating_comment"] == "Rất nhanh" and data["rated_at"]
    assert data["work_hours_left"] is None and data["overdue"] is False


def test_it_finds_a_reference_in_lower_case(world, case):
    assert world.get(url(case).lower(), as_=world.business).status_code == 200


@pytest.mark.parametrize("user", ["officer", "colleague", "leader", "coordinator"])
def test_it_shows_the_case_to_the_staff_who_may_see_it(world, case, user):
    assert world.get(url(case), as_=getattr(world, user)).status_code == 200


def test_it_shows_a_shared_case_to_the_other_unit(world, case):
    services.case_share(case=case, unit=world.other_unit, by=world.officer)
    assert world.get(url(case), as_=world.other_officer).status_code == 200


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_it_answers_404_to_those_who_may_not_see_it(world, case, user):
    """The same answer as for a case that does not exist: references cannot be probed."""
    r = world.get(url(case), as_=getattr(world, user))
    assert assert_error(r, 404, "not_found") == assert_error(world.get("/cases/VM-2020-999999", as_=world.business),
                                                             404, "not_found")


@pytest.mark.parametrize("reference", garbage_references() + ["VM-2026-000001/..", "..", "%00"])
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.get(f"/cases/{reference}", as_=world.business), 404, "not_found")


def test_it_answers_404_to_a_path_going_up(world, case):
    assert_error(world.get("/cases/../x", as_=world.business), 404, "not_found")
    assert_error(world.get("/cases/../../me", as_=world.business), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.get(url(case)), 401, "unauthenticated")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_rejects_other_methods(world, case, method):
    r = world.call(method, url(case), as_=world.business)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"
