"""The survey by its signed link (/doi-thoai/khao-sat/<token>/), without logging in: 1–5 for
satisfaction and usefulness, a comment; a used, forged or expired link says so (400 or 404)."""

import pytest

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Registration, SurveyResponse

from .page_helpers import counts, english, error_summary, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def token(w, clock):
    session = first_session(make_programme(w))
    registration = services.registration_create(session=session, by=w.business, enterprise=w.enterprise,
                                                attendees=[{"name": "Ngô Thị Hồng Nhung"}])
    clock.set(2026, 3, 6, 7, 20)
    services.registration_check_in(registration=registration, by=w.officer)
    clock.set(2026, 3, 6, 9, 5)
    services.session_close(session=session, by=w.leader)
    return services.survey_token(registration)


def url(token) -> str:
    return f"/doi-thoai/khao-sat/{token}/"


def test_anyone_with_the_link_sees_the_survey(client, w, token):
    english(client)
    response = client.get(url(token))
    assert response.status_code == 200
    assert "Công ty TNHH Điện tử Sao Việt" in text(response)
    html = response.content.decode()
    for n in range(1, 6):
        assert f'name="satisfaction" value="{n}"' in html and f'name="usefulness" value="{n}"' in html


def test_it_records_the_answer_and_thanks(client, w, token):
    english(client)
    response = client.post(url(token), {"satisfaction": "5", "usefulness": "4", "comment": "Rất hữu ích."})
    assert response.status_code == 200 and "Thank you" in text(response)
    answer = SurveyResponse.objects.get()
    assert (answer.satisfaction, answer.usefulness, answer.comment) == (5, 4, "Rất hữu ích.")


def test_missing_scores_are_a_400_with_messages_and_nothing_written(client, w, token):
    english(client)
    before = counts()
    response = client.post(url(token), {"satisfaction": "9", "comment": "x"})
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Choose how satisfied you are, from 1 to 5." in summary and "Choose how useful it was, from 1 to 5." in summary
    assert counts() == before


def test_a_used_link_says_so(client, w, token):
    english(client)
    client.post(url(token), {"satisfaction": "5", "usefulness": "5"})
    again = client.get(url(token))
    assert again.status_code == 400 and "You have already answered" in text(again)
    twice = client.post(url(token), {"satisfaction": "1", "usefulness": "1"})
    assert twice.status_code == 400 and SurveyResponse.objects.get().satisfaction == 5


@pytest.mark.parametrize("bad", ["nope", "eyJyIjoxLCJzIjoxfQ:1w:forged"])
def test_a_forged_link_is_a_404_page(client, w, token, bad):
    english(client)
    response = client.get(url(bad))
    assert response.status_code == 404 and "This survey link is not valid" in text(response)
    assert client.post(url(bad), {"satisfaction": "5", "usefulness": "5"}).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_check_in_token_is_not_a_survey_link(client, w, token):
    registration = Registration.objects.get()
    assert client.get(url(services.checkin_token(registration))).status_code == 404
