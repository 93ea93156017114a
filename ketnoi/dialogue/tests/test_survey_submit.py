import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from ketnoi.dialogue import services
from ketnoi.dialogue.models import SurveyResponse

from .service_helpers import audit, clock, counts, held_session, w  # noqa: F401


@pytest.fixture
def session(w, clock):
    return held_session(w, clock)


def _token(w, session, enterprise=None):
    return services.survey_token(session.registrations.get(enterprise=enterprise or w.enterprise))


def test_a_business_that_came_answers_the_survey_once(w, session):
    response = services.survey_submit(token=_token(w, session), satisfaction=5, usefulness="4",
                                      comment="  Được giải đáp tận tình, rõ ràng.  ")
    assert (response.satisfaction, response.usefulness, response.comment) == (5, 4, "Được giải đáp tận tình, rõ ràng.")
    assert response.session == session and response.registration.enterprise == w.enterprise
    assert len(audit("dialogue.survey_submitted", response)) == 1
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.survey_submit(token=_token(w, session), satisfaction=1, usefulness=1)
    assert raised.value.code == "already_answered" and counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(satisfaction=0), "satisfaction"), (dict(satisfaction=6), "satisfaction"), (dict(satisfaction="năm"), "satisfaction"),
    (dict(satisfaction=2.5), "satisfaction"), (dict(satisfaction=True), "satisfaction"), (dict(usefulness=None), "usefulness"),
    (dict(comment="x" * 5001), "comment"),
])
def test_it_refuses_bad_scores_and_writes_nothing(w, session, fields, field):
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.survey_submit(**{"token": _token(w, session), "satisfaction": 4, "usefulness": 4, **fields})
    assert field in raised.value.message_dict and counts() == before


@pytest.mark.parametrize("token", ["", "khong-hop-le", signing.dumps({"r": 1, "s": 1}, salt="ketnoi.dialogue.checkin")])
def test_a_bad_or_forged_link_is_refused(w, session, token):
    with pytest.raises(ValidationError):
        services.survey_submit(token=token, satisfaction=5, usefulness=5)
    assert not SurveyResponse.objects.exists()


def test_a_business_that_did_not_come_has_no_survey(w, session):
    with pytest.raises(ValidationError):
        services.survey_submit(token=_token(w, session, w.enterprise3), satisfaction=5, usefulness=5)


def test_the_link_expires_after_thirty_days(w, session, monkeypatch):
    import time

    token = _token(w, session)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 86400)  # signing reads the system clock
    with pytest.raises(ValidationError) as raised:
        services.survey_submit(token=token, satisfaction=5, usefulness=5)
    assert "expired" in str(raised.value) or "hết hạn" in str(raised.value)
