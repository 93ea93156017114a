"""“My registrations” (/doi-thoai/cua-toi/): a business's sessions, coming and past, with what
became of the questions it sent."""

import pytest

from ketnoi.dialogue import services

from .page_helpers import as_user, block, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def registration(w):
    session = first_session(make_programme(w))
    return services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thue", "subject": "Hoàn thuế nguyên liệu", "description": "Hỏi về hồ sơ hoàn thuế."}])


def test_a_business_sees_its_registrations_and_their_cases(client, w, registration):
    response = as_user(client, w.business, "en").get("/doi-thoai/cua-toi/")
    assert response.status_code == 200
    row = block(response, f"registration-{registration.pk}")
    case = registration.questions.get().case
    assert "Cà phê sáng cùng doanh nghiệp" in row and "06/03/2026" in row and "Confirmed" in row
    assert case.reference in row


def test_a_past_session_moves_to_past(client, w, registration, clock):
    clock.set(2026, 3, 10, 9)
    page = text(as_user(client, w.business, "en").get("/doi-thoai/cua-toi/"))
    assert page.index("Past") < page.index("Cà phê sáng cùng doanh nghiệp")


def test_another_business_sees_none_of_them(client, w, registration):
    response = as_user(client, w.business2, "en").get("/doi-thoai/cua-toi/")
    assert response.status_code == 200 and "Cà phê sáng" not in text(response)


@pytest.mark.parametrize("who", ["officer", "leader", "coordinator", "operator", "party", "admin", "nobody"])
def test_it_is_for_business_users_only(client, w, who):
    assert as_user(client, getattr(w, who)).get("/doi-thoai/cua-toi/").status_code == 403


def test_anonymous_is_sent_to_log_in(client, w):
    response = client.get("/doi-thoai/cua-toi/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
