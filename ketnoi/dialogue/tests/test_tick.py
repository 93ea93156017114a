"""dialogue_tick: sessions generated ahead, the day-before reminder (once, again after a move),
and `ketnoi tick` running it."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import resolve

from ketnoi.dialogue import documents, services
from ketnoi.dialogue.models import Registration
from ketnoi.jobs import JOBS
from ketnoi.testing import at, race

from .service_helpers import (  # noqa: F401
    build_world, clock, first_session, ics_of, mail_to, make_programme, qr_of, qr_text, register, w,
)


@pytest.fixture
def session(w):
    session = first_session(make_programme(w, capacity=1))
    register(w, session)
    register(w, session, enterprise=w.enterprise2)  # waiting: no reminder
    mail.outbox.clear()
    return session


def test_it_reminds_the_confirmed_business_the_day_before_once(w, session, clock):
    clock.set(2026, 3, 4, 9)
    assert services.dialogue_tick()["reminded"] == 0  # two days before
    clock.set(2026, 3, 5, 8)
    assert services.dialogue_tick()["reminded"] == 1
    [message] = mail_to(w.business)
    assert "06/03/2026" in message.body
    [event] = ics_of(message).walk("VEVENT")
    assert str(event["UID"]) == documents.session_uid(session)
    registration = session.registrations.get(enterprise=w.enterprise)
    # The token is signed with a timestamp (django.core.signing.dumps): made a second later it
    # differs, so check what the code opens, not its letters.
    address = qr_text(qr_of(message))
    assert address.startswith(documents.checkin_url("x")[:-2])
    match = resolve(urlsplit(address).path)
    assert match.url_name == "checkin_token"
    assert services.registration_for_checkin(match.kwargs["token"]) == registration
    assert mail_to(w.business2) == []
    clock.set(2026, 3, 5, 16)
    assert services.dialogue_tick()["reminded"] == 0
    assert len(mail_to(w.business)) == 1


def test_a_moved_session_is_reminded_of_again(w, session, clock):
    clock.set(2026, 3, 5, 8)
    services.dialogue_tick()
    services.session_move(session=session, by=w.leader, starts_at=at(2026, 3, 13, 7, 30), reason="Trùng lịch họp.")
    mail.outbox.clear()
    clock.set(2026, 3, 12, 8)
    assert services.dialogue_tick()["reminded"] == 1
    assert session.registrations.get(enterprise=w.enterprise).reminded_for == at(2026, 3, 13, 7, 30)


def test_a_cancelled_session_is_not_reminded_of(w, session, clock):
    services.session_cancel(session=session, by=w.leader, reason="Nghỉ đột xuất.")
    clock.set(2026, 3, 5, 8)
    assert services.dialogue_tick()["reminded"] == 0


def test_it_generates_sessions_ahead_as_time_passes(w, clock):
    make_programme(w)
    clock.set(2026, 5, 2, 9)
    assert services.dialogue_tick()["sessions_generated"] == 2  # 04/09 and 02/10/2026 (06/11 is past 02/11)
    assert services.dialogue_tick()["sessions_generated"] == 0


def test_ketnoi_tick_runs_it():
    assert ("dialogue.sessions_ahead_reminders" in [name for name, _job in JOBS])


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_send_one_reminder(monkeypatch):
    from ketnoi.testing import Clock

    clock = Clock(monkeypatch, at(2026, 3, 2, 9))
    w = build_world()
    session = first_session(make_programme(w))
    register(w, session)
    clock.set(2026, 3, 5, 8)
    mail.outbox.clear()
    results, errors = race(services.dialogue_tick, services.dialogue_tick)
    assert errors == [None, None]
    assert sum(r["reminded"] for r in results) == 1
    assert len(mail_to(w.business)) == 1
    assert Registration.objects.get().reminded_for == session.starts_at
