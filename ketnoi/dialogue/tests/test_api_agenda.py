"""GET /api/v1/dialogue/sessions/{id}/agenda: the questions in order with their cases, for the
staff who run the session."""

import pytest

from ketnoi.dialogue import services

from .api_helpers import api, assert_error, first_session, make_programme  # noqa: F401
from .api_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def session(w):
    session = first_session(make_programme(w))
    services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thue", "subject": "Hoàn thuế nguyên liệu", "description": "Hồ sơ hoàn thuế gồm gì?"},
                   {"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành", "description": "Có phải kiểm tra không?"}])
    return session


@pytest.mark.parametrize("who", ["officer", "leader", "department_leader", "coordinator"])
def test_the_staff_who_run_it_read_the_agenda(api, w, session, who):
    assert api.get(f"/dialogue/sessions/{session.pk}/agenda", as_=getattr(w, who)).status_code == 200


def test_it_lists_the_questions_in_order_with_their_cases(api, w, session):
    body = api.get(f"/dialogue/sessions/{session.pk}/agenda", as_=w.officer).json()
    assert body["session"] == session.pk
    items = body["items"]
    assert [i["position"] for i in items] == [1, 2]
    assert {i["subject"] for i in items} == {"Hoàn thuế nguyên liệu", "Kiểm tra chuyên ngành"}
    first = items[0]
    assert first["case"].startswith("VM-2026-") and first["enterprise"]["name"] == "Công ty TNHH Điện tử Sao Việt"
    assert first["outcome"] == "pending" and first["answerer"] is None and first["case_status"] == "new"


@pytest.mark.parametrize("who", ["team_officer", "other_officer", "other_leader", "business", "operator", "party", "admin", "nobody"])
def test_others_are_refused(api, w, session, who):
    assert_error(api.get(f"/dialogue/sessions/{session.pk}/agenda", as_=getattr(w, who)), 403, "forbidden")


def test_without_a_token_it_is_a_401(api, w, session):
    assert_error(api.get(f"/dialogue/sessions/{session.pk}/agenda"), 401, "unauthenticated")


def test_an_unknown_session_is_a_404(api, w):
    assert_error(api.get("/dialogue/sessions/999999/agenda", as_=w.officer), 404, "not_found")
