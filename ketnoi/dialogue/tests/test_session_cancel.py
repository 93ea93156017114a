import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases.models import Case, Status
from ketnoi.dialogue import documents, services
from ketnoi.dialogue.models import Session

from .service_helpers import (  # noqa: F401
    QUESTIONS, audit, clock, counts, first_session, fresh, ics_of, mail_to, make_programme, register, w,
)


@pytest.fixture
def session(w):
    return first_session(make_programme(w, capacity=1))


def test_it_cancels_and_removes_the_entry_from_the_registrants_calendars(w, session, commit):
    register(w, session, questions=QUESTIONS[:1])
    register(w, session, enterprise=w.enterprise2)
    mail.outbox.clear()
    with commit():
        services.session_cancel(session=session, by=w.deputy, reason="Trùng lịch làm việc với đoàn kiểm tra của Tổng cục.")
    session = fresh(session)
    assert session.status == Session.Status.CANCELLED and session.sequence == 1
    [message] = mail_to(w.business)
    calendar = ics_of(message)
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == documents.session_uid(session)
    assert int(event["SEQUENCE"]) == 1 and str(event["STATUS"]) == "CANCELLED"
    assert "đoàn kiểm tra" in message.body
    assert ics_of(mail_to(w.business2)[0]) is None
    assert Case.objects.get().status == Status.NEW  # the question is still the unit's to answer
    assert len(audit("dialogue.session_cancelled", session)) == 1


@pytest.mark.parametrize("user", ["officer", "other_leader", "business", "party", "nobody"])
def test_it_refuses_anyone_but_the_leaders(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, by=getattr(w, user), reason="Lý do")
    assert counts() == before


def test_it_refuses_without_a_reason(w, session):
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.session_cancel(session=session, by=w.leader, reason="  ")
    assert "reason" in raised.value.message_dict and counts() == before


def test_it_refuses_twice_and_after_the_session(w, session, clock):
    services.session_cancel(session=session, by=w.leader, reason="Nghỉ lễ")
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, by=w.leader, reason="Nghỉ lễ")
    second = session.programme.sessions.get(number=2)
    clock.set(2026, 4, 3, 10)
    before = counts()
    with pytest.raises(ValidationError):
        services.session_cancel(session=second, by=w.leader, reason="Quên")
    assert counts() == before
