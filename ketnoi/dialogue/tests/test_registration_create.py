import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ketnoi.cases.models import Case, Channel, Status
from ketnoi.dialogue import documents, services
from ketnoi.dialogue.models import Question, Registration
from ketnoi.testing import make_enterprise, make_user, race

from .service_helpers import (  # noqa: F401
    ATTENDEES, QUESTIONS, audit, build_world, clock, counts, first_session, ics_of, mail_to, make_programme,
    qr_of, qr_text, register, w,
)


@pytest.fixture
def session(w):
    return first_session(make_programme(w))  # Friday 06/03/2026 07:30, 3 seats, closes Thursday 07:30


def test_it_confirms_while_seats_remain_and_files_each_question_as_a_case(w, session, commit):
    with commit():
        registration = register(w, session, attendees=ATTENDEES, questions=QUESTIONS)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.registered_by == w.business and registration.enterprise == w.enterprise
    assert [(a.name, a.position) for a in registration.attendees.all()] == [
        ("Ngô Thị Hồng Nhung", "Kế toán trưởng"), ("Phạm Quốc Bảo", "Trưởng phòng xuất nhập khẩu")]
    questions = list(Question.objects.filter(registration=registration).order_by("agenda_position"))
    assert [q.agenda_position for q in questions] == [1, 2]
    assert [q.case.subject for q in questions] == [q["subject"] for q in QUESTIONS]
    for question in questions:
        case = question.case
        assert case.channel == Channel.DIALOGUE and case.unit == w.branch and case.enterprise == w.enterprise
        assert case.status == Status.NEW and question.session == session
    assert questions[0].case.topic.code == "thue"
    [event] = audit("dialogue.registration_created", registration)
    assert event.after["cases"] == [q.case.reference for q in questions]


def test_the_confirmation_carries_the_calendar_file_and_the_qr_code(w, session, commit):
    with commit():
        registration = register(w, session, questions=QUESTIONS[:1])
    [message] = [m for m in mail_to(w.business) if "ics" in str([a[0] for a in m.attachments if isinstance(a, tuple)])]
    assert "Sao Việt" in message.body and "Hội trường tầng 2" in message.body and "06/03/2026" in message.body
    assert "cid:checkin-qr" in message.alternatives[0][0]
    calendar = ics_of(message)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == documents.session_uid(session)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == session.starts_at and event.decoded("DTEND") == session.ends_at
    assert "Hội trường tầng 2" in str(event["LOCATION"])
    png = qr_of(message)
    assert png.startswith(b"\x89PNG")
    url = qr_text(png)  # the code holds the check-in address, with the signed token
    # Checked by what the token opens, not letter for letter: it is signed with a timestamp, so
    # one made a second later (here, by the test) differs.
    assert url.startswith(documents.checkin_url("x")[:-2])
    assert services.registration_for_checkin(url.rstrip("/").rsplit("/", 1)[1]) == registration


def test_it_puts_the_business_on_the_waiting_list_when_full_and_says_its_place(w, session, commit):
    fourth = make_enterprise(name="Công ty TNHH Bao bì Hiệp Phú")
    fourth_user = make_user("business", enterprise=fourth, language="en")
    for enterprise in (w.enterprise, w.enterprise2, w.enterprise3):
        register(w, session, enterprise=enterprise)
    mail.outbox.clear()
    with commit():
        waiting = services.registration_create(session=session, by=fourth_user, enterprise=fourth, attendees=ATTENDEES)
    assert waiting.status == Registration.Status.WAITING
    [message] = mail_to(fourth_user)
    assert "number 1 on the waiting list" in message.body
    assert ics_of(message) is None and qr_of(message) is None
    assert session.registrations.filter(status="confirmed").count() == 3


def test_the_e_mail_goes_to_every_business_user_of_the_enterprise(w, session, commit):
    colleague = make_user("business", enterprise=w.enterprise)
    with commit():
        register(w, session)
    assert len(mail_to(w.business)) == len(mail_to(colleague)) == 1


def test_a_cancelled_registration_leaves_room_to_register_again(w, session):
    first = register(w, session)
    services.registration_cancel(registration=first, by=w.business)
    again = register(w, session)
    assert again.pk != first.pk and again.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("user", ["business2", "officer", "leader", "coordinator", "operator", "admin", "nobody"])
def test_it_refuses_anyone_but_the_enterprises_business_users(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        register(w, session, by=getattr(w, user))
    assert counts() == before


def _refused(w, session, field, **fields):
    before, sent = counts(), len(mail.outbox)
    with pytest.raises(ValidationError) as raised:
        register(w, session, **fields)
    assert field in raised.value.message_dict
    assert counts() == before and len(mail.outbox) == sent
    return raised.value.message_dict[field][0]


def test_it_refuses_after_registration_closes(w, session, clock):
    clock.set(2026, 3, 5, 7, 30)
    with translation.override("en"):
        assert _refused(w, session, "session") == (
            "Registration for this session closed at 07:30 05/03/2026. Choose a later session.")


def test_it_refuses_a_cancelled_session(w, session):
    services.session_cancel(session=session, by=w.leader, reason="Lãnh đạo Chi cục họp đột xuất với Tổng cục.")
    _refused(w, session, "session")


def test_it_refuses_a_session_that_has_taken_place(w, session, clock):
    clock.set(2026, 3, 6, 8)
    _refused(w, session, "session")


def test_it_refuses_without_attendees(w, session):
    _refused(w, session, "attendees", attendees=[])
    _refused(w, session, "attendees", attendees=[{"name": " ", "position": ""}])
    _refused(w, session, "attendees", attendees=[{"name": "", "position": "Giám đốc"}])


def test_it_refuses_more_people_than_the_programme_allows(w, session):
    with translation.override("en"):
        message = _refused(w, session, "attendees", attendees=[{"name": f"Người thứ {n}"} for n in range(4)])
    assert message == "A business may bring at most 3 people to this session."


def test_it_refuses_the_same_enterprise_twice(w, session):
    register(w, session)
    _refused(w, session, "enterprise")


@pytest.mark.parametrize("question", [
    {**QUESTIONS[0], "topic": "khong-co"}, {**QUESTIONS[0], "subject": ""}, {**QUESTIONS[0], "description": " "},
    {**QUESTIONS[0], "subject": "x" * 201},
])
def test_it_refuses_a_bad_question_and_files_nothing(w, session, question):
    _refused(w, session, "questions", questions=[QUESTIONS[1], question])
    assert not Case.objects.exists()


def test_it_refuses_more_than_five_questions(w, session):
    _refused(w, session, "questions", questions=QUESTIONS * 3)


def test_it_skips_empty_rows_of_the_form(w, session):
    registration = register(w, session, attendees=[*ATTENDEES[:1], {"name": "", "position": ""}],
                            questions=[{"topic": "", "subject": "", "description": ""}])
    assert registration.attendees.count() == 1 and not registration.questions.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_businesses_racing_for_the_last_seat_cannot_both_be_confirmed(attempt, monkeypatch):
    from ketnoi.testing import Clock, at

    Clock(monkeypatch, at(2026, 3, 2, 9))
    w = build_world()
    session = first_session(make_programme(w, capacity=1))
    results, errors = race(
        lambda: register(w, session, enterprise=w.enterprise, questions=QUESTIONS[:1]),
        lambda: register(w, session, enterprise=w.enterprise2, questions=QUESTIONS[1:]),
    )
    assert errors == [None, None]
    assert sorted(r.status for r in results) == ["confirmed", "waiting"]
    assert session.registrations.filter(status="confirmed").count() == 1
    assert Case.objects.count() == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_business_registering_twice_at_once_gets_one_registration(monkeypatch):
    from ketnoi.testing import Clock, at

    Clock(monkeypatch, at(2026, 3, 2, 9))
    w = build_world()
    session = first_session(make_programme(w))
    results, errors = race(lambda: register(w, session), lambda: register(w, session))
    assert sorted(type(e).__name__ for e in errors if e) == ["ValidationError"]
    assert session.registrations.count() == 1
