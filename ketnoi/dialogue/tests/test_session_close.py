import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Session

from .service_helpers import (  # noqa: F401
    audit, clock, counts, fresh, mail_to, register, session_with_questions, w,
)


@pytest.fixture
def session(w, clock):
    session, morning = session_with_questions(w)
    clock.now = morning
    for enterprise in (w.enterprise, w.enterprise2):
        services.registration_check_in(registration=session.registrations.get(enterprise=enterprise), by=w.officer)
    return session


def test_it_closes_and_sends_the_survey_to_each_business_that_came(w, session, commit, clock):
    clock.set(2026, 3, 6, 9, 5)
    mail.outbox.clear()
    with commit():
        services.session_close(session=session, by=w.leader)
    assert fresh(session).status == Session.Status.HELD
    assert len(audit("dialogue.session_closed", session)) == 1
    [message] = mail_to(w.business)
    assert "/doi-thoai/khao-sat/" in message.body
    token = message.body.split("/doi-thoai/khao-sat/")[1].split("/")[0]
    assert services.registration_for_survey(token) == session.registrations.get(enterprise=w.enterprise)
    assert len(mail_to(w.business2)) == 1
    assert mail_to(w.business3) == []  # registered, but did not come


def test_it_closes_a_day_later_too(w, session, clock):
    clock.set(2026, 3, 9, 8)
    services.session_close(session=session, by=w.coordinator)
    assert fresh(session).status == Session.Status.HELD


def test_it_refuses_before_the_sessions_day(w, session, clock):
    clock.set(2026, 3, 5, 16)
    before = counts()
    with pytest.raises(ValidationError):
        services.session_close(session=session, by=w.leader)
    assert counts() == before


def test_it_refuses_twice_and_a_cancelled_session(w, session, clock):
    services.session_close(session=session, by=w.leader)
    with pytest.raises(ValidationError):
        services.session_close(session=session, by=w.leader)
    second = session.programme.sessions.get(number=2)
    services.session_cancel(session=second, by=w.leader, reason="Nghỉ lễ")
    clock.set(2026, 4, 3, 9)
    with pytest.raises(ValidationError):
        services.session_close(session=second, by=w.leader)


@pytest.mark.parametrize("user", ["officer", "department_leader", "business", "admin"])
def test_only_the_leaders_and_coordinators_close_it(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.session_close(session=session, by=getattr(w, user))
    assert counts() == before
