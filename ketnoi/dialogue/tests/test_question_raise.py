import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases.models import Channel
from ketnoi.dialogue import selectors, services

from .service_helpers import audit, clock, counts, register, session_with_questions, w  # noqa: F401

RAISED = dict(topic="kho-bai-cang", subject="Thời gian lưu container tại kho ngoại quan",
              description="Doanh nghiệp hỏi thời hạn lưu hàng tại kho ngoại quan trong khu công nghệ cao.")


@pytest.fixture
def session(w, clock):
    session, morning = session_with_questions(w)
    clock.now = morning
    return session


def test_staff_enter_a_question_raised_at_the_session_as_the_businesss_case(w, session):
    registration = session.registrations.get(enterprise=w.enterprise2)
    question = services.question_raise(session=session, by=w.officer, registration=registration, **RAISED)
    case = question.case
    assert case.enterprise == w.enterprise2 and case.filed_by == w.officer and case.channel == Channel.DIALOGUE
    assert case.unit == w.branch and case.topic.code == "kho-bai-cang"
    assert question.registration == registration and question.agenda_position == 5
    assert list(selectors.agenda(session))[-1] == question
    assert len(audit("dialogue.question_raised", question)) == 1


@pytest.mark.parametrize("user", ["business", "other_officer", "operator", "nobody"])
def test_it_refuses_anyone_who_does_not_run_the_session(w, session, user):
    registration = session.registrations.get(enterprise=w.enterprise)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.question_raise(session=session, by=getattr(w, user), registration=registration, **RAISED)
    assert counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(topic="khong-co"), "topic"), (dict(subject=""), "subject"), (dict(description=""), "description")])
def test_it_refuses_bad_input_and_files_nothing(w, session, fields, field):
    registration = session.registrations.get(enterprise=w.enterprise)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.question_raise(session=session, by=w.officer, registration=registration, **{**RAISED, **fields})
    assert field in raised.value.message_dict and counts() == before


def test_it_refuses_a_business_not_registered_for_the_session(w, session):
    elsewhere = register(w, session.programme.sessions.get(number=2))
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.question_raise(session=session, by=w.officer, registration=elsewhere, **RAISED)
    assert "registration" in raised.value.message_dict and counts() == before


def test_it_refuses_before_the_sessions_day(w, session, clock):
    clock.set(2026, 3, 5, 9)
    registration = session.registrations.get(enterprise=w.enterprise)
    with pytest.raises(ValidationError):
        services.question_raise(session=session, by=w.officer, registration=registration, **RAISED)
