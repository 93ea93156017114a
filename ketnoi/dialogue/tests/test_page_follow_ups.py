"""The staff's follow-ups (/doi-thoai/theo-doi/): questions a session could not settle, with
their owner, due day and the case's status; late ones marked; closed ones on request."""

from datetime import date

import pytest

from ketnoi.cases import services as cases
from ketnoi.dialogue import services

from .page_helpers import as_user, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def question(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành linh kiện", "description": "Có phải kiểm tra?"}])
    clock.set(2026, 3, 6, 8)
    question = registration.questions.get()
    return services.question_follow_up(question=question, by=w.leader, owner=w.officer2, due=date(2026, 3, 13),
                                       note="Tra cứu quy định kiểm tra chất lượng.")


def test_the_units_staff_see_the_open_follow_ups(client, w, question):
    response = as_user(client, w.officer, "en").get("/doi-thoai/theo-doi/")
    assert response.status_code == 200
    page = text(response)
    assert question.case.reference in page and "Trần Thị Mỹ Dung" in page and "13/03/2026" in page
    assert "Công ty TNHH Điện tử Sao Việt" in page and "overdue" not in page


def test_a_late_one_is_marked(client, w, question, clock):
    clock.set(2026, 3, 17, 9)
    assert "overdue" in text(as_user(client, w.officer, "en").get("/doi-thoai/theo-doi/"))


def test_an_answered_one_leaves_the_list_but_shows_among_all(client, w, question, clock):
    clock.set(2026, 3, 10, 9)
    cases.case_answer(case=question.case, body="Linh kiện được kiểm tra sau thông quan.", by=w.officer2)
    as_user(client, w.officer, "en")
    assert question.case.reference not in text(client.get("/doi-thoai/theo-doi/"))
    assert question.case.reference in text(client.get("/doi-thoai/theo-doi/?tat-ca=1"))


def test_other_units_staff_do_not_see_them(client, w, question):
    page = text(as_user(client, w.other_officer, "en").get("/doi-thoai/theo-doi/"))
    assert question.case.reference not in page and "No follow-up is open." in page


@pytest.mark.parametrize("who", ["business", "operator", "party", "admin", "nobody"])
def test_it_is_for_staff_only(client, w, question, who):
    assert as_user(client, getattr(w, who)).get("/doi-thoai/theo-doi/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, w):
    response = client.get("/doi-thoai/theo-doi/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
