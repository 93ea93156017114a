from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from ketnoi.dialogue.models import Session
from ketnoi.testing import at

from .service_helpers import audit, clock, counts, make_programme, programme_fields, w  # noqa: F401


def test_it_creates_the_programme_with_six_months_of_sessions(w):
    programme = make_programme(w)
    assert programme.unit == w.branch and programme.created_by == w.leader
    assert sorted(programme.topics.values_list("code", flat=True)) == ["thu-tuc", "thue"]
    assert list(programme.hosts.all()) == [w.officer]
    sessions = list(programme.sessions.order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).date() for s in sessions] == [
        date(2026, 3, 6), date(2026, 4, 3), date(2026, 5, 1), date(2026, 6, 5), date(2026, 7, 3), date(2026, 8, 7)]
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6]
    first = sessions[0]
    assert first.starts_at == at(2026, 3, 6, 7, 30) and first.ends_at == at(2026, 3, 6, 9)
    assert first.occurrence == first.starts_at
    assert first.registration_closes_at == at(2026, 3, 5, 7, 30)
    assert first.capacity == 3 and first.venue == programme.venue and first.status == Session.Status.SCHEDULED
    assert len(audit("dialogue.programme_created", programme)) == 1
    assert len(audit("dialogue.sessions_generated", programme)) == 1


def test_it_lets_a_coordinator_create_a_programme_for_any_unit(w):
    programme = make_programme(w, by=w.coordinator, unit=w.other_branch, topics=[], hosts=[])
    assert programme.unit == w.other_branch


def test_it_stops_at_the_last_day(w):
    programme = make_programme(w, ends_on=date(2026, 5, 31))
    assert programme.sessions.count() == 3


def test_it_accepts_the_rule_with_its_rrule_prefix_and_in_lower_case(w):
    programme = make_programme(w, rrule="rrule:freq=weekly;byday=sa;interval=2")
    assert programme.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"  # the normal form
    first = programme.sessions.order_by("starts_at").first()
    # every other week counted from the week of 01/03 (a Sunday, in the week of Monday 23/02)
    assert timezone.localtime(first.starts_at).date() == date(2026, 3, 14)


@pytest.mark.parametrize("user", ["officer", "other_leader", "department_leader", "business", "operator", "party",
                                  "admin", "nobody"])
def test_it_refuses_anyone_but_the_units_leaders_and_coordinators(w, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        make_programme(w, by=getattr(w, user))
    assert counts() == before


@pytest.mark.parametrize("fields, field", [
    (dict(name="  "), "name"),
    (dict(rrule=""), "rrule"),
    (dict(rrule="FREQ=HOURLY"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;BYDAY=XX"), "rrule"),
    (dict(rrule="FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"), "rrule"),  # never happens
    (dict(rrule="every first friday"), "rrule"),
    (dict(venue=""), "venue"),
    (dict(capacity=0), "capacity"),
    (dict(capacity="mười"), "capacity"),
    (dict(capacity=2.5), "capacity"),
    (dict(capacity=True), "capacity"),
    (dict(max_attendees=0), "max_attendees"),
    (dict(registration_closes_hours=-1), "registration_closes_hours"),
    (dict(end_time=time(7, 0)), "end_time"),
    (dict(end_time=time(7, 30)), "end_time"),
    (dict(starts_on=None), "starts_on"),
    (dict(start_time="07:30"), "start_time"),
    (dict(ends_on=date(2026, 2, 1)), "ends_on"),
    (dict(ends_on=date(2026, 3, 5)), "rrule"),  # no first Friday between 01/03 and 05/03
    (dict(topics=["khong-co"]), "topics"),
])
def test_it_refuses_bad_input_and_writes_nothing(w, fields, field):
    before = counts()
    with pytest.raises(ValidationError) as raised:
        make_programme(w, **fields)
    assert field in raised.value.message_dict
    assert counts() == before


def test_it_names_every_wrong_field_at_once(w):
    with pytest.raises(ValidationError) as raised:
        make_programme(w, name="", venue="", capacity=0)
    assert {"name", "venue", "capacity"} <= set(raised.value.message_dict)


def test_it_refuses_a_host_who_is_not_staff(w):
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        make_programme(w, hosts=[w.business])
    assert "not a customs officer" in raised.value.message_dict["hosts"][0]
    assert counts() == before


def test_it_says_what_to_write_in_english(w):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        make_programme(w, rrule="FREQ=MINUTELY")
    assert raised.value.message_dict["rrule"] == ["The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."]


def test_a_rule_with_its_own_end_stops_there(w):
    programme = make_programme(w, rrule="FREQ=MONTHLY;BYDAY=1FR;COUNT=2")
    assert programme.sessions.count() == 2


def test_it_refuses_a_closed_unit(w):
    w.other_branch.valid_to = date(2025, 2, 28)
    w.other_branch.save()
    before = counts()
    with pytest.raises(ValidationError) as raised:
        make_programme(w, by=w.coordinator, unit=w.other_branch)
    assert "unit" in raised.value.message_dict
    assert counts() == before


def test_it_generates_from_the_given_moment_for_a_programme_of_the_past(w):
    programme = make_programme(w, by=w.coordinator, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31),
                               now=at(2019, 12, 20))
    assert programme.sessions.count() == 6  # January to June 2020: the rest as time passes
    assert timezone.localtime(programme.sessions.order_by("starts_at").first().starts_at).date() == date(2020, 1, 3)
    assert programme_fields(w)["capacity"] == 3  # the helper's default is untouched
