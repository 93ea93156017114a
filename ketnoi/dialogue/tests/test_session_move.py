import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.dialogue import documents, services
from ketnoi.testing import at

from .service_helpers import (  # noqa: F401
    audit, clock, counts, first_session, fresh, ics_of, mail_to, make_programme, qr_of, register, w,
)


@pytest.fixture
def session(w):
    return first_session(make_programme(w, capacity=1))


def test_it_moves_the_session_and_sends_the_updated_calendar_entry(w, session, commit):
    register(w, session)
    register(w, session, enterprise=w.enterprise2)  # waiting
    mail.outbox.clear()
    with commit():
        services.session_move(session=session, by=w.leader, starts_at=at(2026, 3, 13, 7, 30),
                              venue="Phòng họp số 1", reason="Lãnh đạo Chi cục dự hội nghị của Cục ngày 06/03.")
    session = fresh(session)
    assert session.starts_at == at(2026, 3, 13, 7, 30) and session.ends_at == at(2026, 3, 13, 9)
    assert session.registration_closes_at == at(2026, 3, 12, 7, 30)
    assert session.venue == "Phòng họp số 1" and session.sequence == 1
    assert session.occurrence == at(2026, 3, 6, 7, 30)  # still the rule's date
    [message] = mail_to(w.business)
    assert "06/03/2026 07:30" in message.body and "13/03/2026" in message.body
    assert "hội nghị của Cục" in message.body
    [event] = ics_of(message).walk("VEVENT")
    assert str(event["UID"]) == documents.session_uid(session) and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(2026, 3, 13, 7, 30)
    assert qr_of(message) is None  # the code has not changed
    [waiting] = mail_to(w.business2)
    assert ics_of(waiting) is None
    assert len(audit("dialogue.session_moved", session)) == 1
    assert services.sessions_generate(programme=session.programme) == 0  # no second session for 06/03


def test_a_coordinator_moves_a_session_with_its_own_end(w, session):
    services.session_move(session=session, by=w.coordinator, starts_at=at(2026, 3, 6, 14),
                          ends_at=at(2026, 3, 6, 16), reason="Chuyển sang buổi chiều.")
    assert fresh(session).ends_at == at(2026, 3, 6, 16)


@pytest.mark.parametrize("user", ["officer", "department_leader", "other_leader", "business", "admin"])
def test_it_refuses_anyone_but_the_leaders(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.session_move(session=session, by=getattr(w, user), starts_at=at(2026, 3, 13, 7, 30), reason="Lý do")
    assert counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(reason=" "), "reason"), (dict(starts_at=at(2026, 3, 1, 7, 30)), "starts_at"),
    (dict(starts_at=None), "starts_at"), (dict(ends_at=at(2026, 3, 13, 7)), "ends_at"), (dict(venue=""), "venue"),
])
def test_it_refuses_bad_input_and_changes_nothing(w, session, fields, field):
    register(w, session)
    before, sent = counts(), len(mail.outbox)
    with pytest.raises(ValidationError) as raised:
        services.session_move(**{"session": session, "by": w.leader, "starts_at": at(2026, 3, 13, 7, 30),
                                 "reason": "Trùng lịch", **fields})
    assert field in raised.value.message_dict
    assert counts() == before and len(mail.outbox) == sent


def test_it_refuses_a_cancelled_session(w, session):
    services.session_cancel(session=session, by=w.leader, reason="Nghỉ lễ")
    with pytest.raises(ValidationError):
        services.session_move(session=session, by=w.leader, starts_at=at(2026, 3, 13, 7, 30), reason="Trùng lịch")
