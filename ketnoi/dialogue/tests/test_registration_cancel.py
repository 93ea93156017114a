import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases.models import Case, Status
from ketnoi.dialogue import selectors, services
from ketnoi.dialogue.models import Question, Registration

from .service_helpers import (  # noqa: F401
    QUESTIONS, audit, clock, counts, first_session, fresh, ics_of, mail_to, make_programme, qr_of, qr_text, register,
    w,
)


@pytest.fixture
def session(w):
    return first_session(make_programme(w, capacity=1))


def test_it_cancels_and_keeps_the_questions_cases_open(w, session, commit):
    registration = register(w, session, questions=QUESTIONS)
    with commit():
        services.registration_cancel(registration=registration, by=w.business)
    registration = fresh(registration)
    assert registration.status == Registration.Status.CANCELLED and registration.cancelled_at is not None
    assert set(Case.objects.values_list("status", flat=True)) == {Status.NEW}
    assert set(Question.objects.values_list("outcome", flat=True)) == {Question.Outcome.WITHDRAWN}
    assert list(selectors.agenda(session)) == []
    assert len(audit("dialogue.registration_cancelled", registration)) == 1
    [message] = [m for m in mail_to(w.business) if "cancelled" in m.subject.lower() or "hủy" in m.subject.lower()]
    assert ics_of(message) is None


def test_the_first_waiting_business_takes_the_seat_and_gets_the_calendar_and_the_code(w, session, commit):
    first = register(w, session)
    second = register(w, session, enterprise=w.enterprise2)
    third = register(w, session, enterprise=w.enterprise3)
    assert [second.status, third.status] == ["waiting", "waiting"]
    assert selectors.waiting_position(fresh(third)) == 2
    mail.outbox.clear()
    with commit():
        services.registration_cancel(registration=first, by=w.business)
    second, third = fresh(second), fresh(third)
    assert second.status == Registration.Status.CONFIRMED and second.promoted_at is not None
    assert third.status == Registration.Status.WAITING and selectors.waiting_position(third) == 1
    [message] = mail_to(w.business2)
    assert ics_of(message) is not None
    token = qr_text(qr_of(message)).rstrip("/").rsplit("/", 1)[1]
    assert services.registration_for_checkin(token) == second
    assert not mail_to(w.business3)
    assert len(audit("dialogue.registration_promoted", second)) == 1


def test_cancelling_a_waiting_registration_promotes_nobody(w, session):
    register(w, session)
    second = register(w, session, enterprise=w.enterprise2)
    third = register(w, session, enterprise=w.enterprise3)
    services.registration_cancel(registration=second, by=w.business2)
    assert fresh(third).status == Registration.Status.WAITING


def test_staff_who_run_the_session_cancel_for_a_business(w, session):
    registration = register(w, session)
    services.registration_cancel(registration=registration, by=w.officer)
    assert fresh(registration).status == Registration.Status.CANCELLED


def test_a_second_cancel_changes_nothing(w, session):
    registration = register(w, session)
    services.registration_cancel(registration=registration, by=w.business)
    before = counts()
    services.registration_cancel(registration=registration, by=w.business)
    assert counts() == before


@pytest.mark.parametrize("user", ["business2", "other_officer", "operator", "admin", "nobody"])
def test_it_refuses_anyone_else(w, session, user):
    registration = register(w, session)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, by=getattr(w, user))
    assert counts() == before


def test_it_refuses_once_the_session_has_started(w, session, clock):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 45)
    before = counts()
    with pytest.raises(ValidationError):
        services.registration_cancel(registration=registration, by=w.business)
    assert counts() == before
