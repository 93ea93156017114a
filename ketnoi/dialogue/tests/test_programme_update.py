from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Registration, Session
from ketnoi.testing import at

from .service_helpers import audit, clock, counts, make_programme, w  # noqa: F401


def _days(programme):
    return [timezone.localtime(s.starts_at).date() for s in programme.sessions.order_by("starts_at")]


def _register(w, session):
    return services.registration_create(session=session, by=w.business, enterprise=w.enterprise,
                                        attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Kế toán trưởng"}])


def test_it_changes_the_name_topics_and_hosts(w):
    programme = make_programme(w)
    services.programme_update(programme=programme, by=w.deputy, name="Cà phê doanh nhân", topics=["xuat-xu"],
                              hosts=[w.officer2])
    programme.refresh_from_db()
    assert programme.name == "Cà phê doanh nhân"
    assert list(programme.topics.values_list("code", flat=True)) == ["xuat-xu"]
    assert list(programme.hosts.all()) == [w.officer2]
    event = audit("dialogue.programme_updated", programme)[0]
    assert event.before["name"] == "Cà phê sáng cùng doanh nghiệp" and event.after["topics"] == ["xuat-xu"]
    assert programme.sessions.count() == 6  # nothing of the schedule changed


def test_sessions_nobody_registered_for_follow_a_new_time_and_venue(w):
    programme = make_programme(w)
    services.programme_update(programme=programme, by=w.leader, start_time=time(7, 0), end_time=time(8, 30),
                              venue="Phòng họp số 1")
    session = programme.sessions.order_by("starts_at").first()
    assert session.starts_at == at(2026, 3, 6, 7) and session.ends_at == at(2026, 3, 6, 8, 30)
    assert session.venue == "Phòng họp số 1" and session.number == 1
    assert session.registration_closes_at == at(2026, 3, 5, 7)


def test_sessions_nobody_registered_for_follow_a_new_rule_and_the_others_stay(w):
    programme = make_programme(w)
    april = programme.sessions.get(number=2)
    _register(w, april)
    services.programme_update(programme=programme, by=w.leader, rrule="FREQ=MONTHLY;BYDAY=1SA")
    assert _days(programme) == [date(2026, 3, 7), date(2026, 4, 3), date(2026, 4, 4), date(2026, 5, 2),
                                date(2026, 6, 6), date(2026, 7, 4), date(2026, 8, 1)]
    assert Session.objects.get(pk=april.pk).starts_at == at(2026, 4, 3, 7, 30)  # its registrant is not surprised
    assert april.registrations.get().status == Registration.Status.CONFIRMED


def test_sessions_nobody_registered_for_follow_a_new_capacity(w):
    programme = make_programme(w)
    _register(w, programme.sessions.get(number=1))
    services.programme_update(programme=programme, by=w.leader, capacity=20)
    assert list(programme.sessions.order_by("number").values_list("capacity", flat=True)) == [3, 20, 20, 20, 20, 20]


def test_an_inactive_programme_drops_the_empty_sessions(w):
    programme = make_programme(w)
    _register(w, programme.sessions.get(number=2))
    services.programme_update(programme=programme, by=w.leader, active=False)
    assert list(programme.sessions.values_list("number", flat=True)) == [2]


def test_past_sessions_stay(w, clock):
    programme = make_programme(w)
    clock.set(2026, 4, 10, 9)
    services.programme_update(programme=programme, by=w.leader, venue="Phòng họp số 1")
    venues = dict(programme.sessions.values_list("number", "venue"))
    assert venues[1] == venues[2] == programme.sessions.get(number=1).venue != "Phòng họp số 1"
    assert venues[3] == "Phòng họp số 1"


@pytest.mark.parametrize("user", ["officer", "other_leader", "business", "admin", "nobody"])
def test_it_refuses_anyone_but_the_units_leaders_and_coordinators(w, user):
    programme = make_programme(w)
    before = counts()
    with pytest.raises(PermissionDenied):
        services.programme_update(programme=programme, by=getattr(w, user), name="Khác")
    assert counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(rrule="FREQ=SECONDLY"), "rrule"), (dict(end_time=time(7)), "end_time"), (dict(capacity=0), "capacity"),
    (dict(name=""), "name"), (dict(ends_on=date(2025, 1, 1)), "ends_on"),
])
def test_it_refuses_bad_input_and_changes_nothing(w, fields, field):
    programme = make_programme(w)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        services.programme_update(programme=programme, by=w.leader, **fields)
    assert field in raised.value.message_dict
    assert counts() == before
    programme.refresh_from_db()
    assert programme.rrule == "FREQ=MONTHLY;BYDAY=1FR" and programme.capacity == 3


def test_it_refuses_an_unknown_field(w):
    programme = make_programme(w)
    with pytest.raises(TypeError):
        services.programme_update(programme=programme, by=w.leader, unit=w.other_branch)
