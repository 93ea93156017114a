"""initiative_create and the live figures of what a creative model runs."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.models import Role
from ketnoi.dialogue.models import Programme, Question, Registration, Session
from ketnoi.party.awards import initiative_create, initiative_figures
from ketnoi.prices.models import Commitment
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user

from .helpers import build_register

START = datetime(2020, 3, 6, 0, 30, tzinfo=timezone.utc)


def _programme(unit, by):
    return Programme.objects.create(unit=unit, name="Cà phê sáng cùng doanh nghiệp Khu công nghệ cao",
                                    rrule="FREQ=MONTHLY;BYDAY=1FR", starts_on=date(2020, 3, 1), start_time=time(7, 30),
                                    end_time=time(9, 0), venue="Hội trường Chi cục", capacity=20, created_by=by)


def _session(programme, n, status):
    start = START + timedelta(days=28 * n)
    return Session.objects.create(programme=programme, occurrence=start, number=n + 1, starts_at=start,
                                  ends_at=start + timedelta(hours=1, minutes=30), venue=programme.venue, capacity=20,
                                  registration_closes_at=start - timedelta(days=1), status=status)


def test_it_counts_the_programmes_sessions_businesses_questions_and_commitments(db):
    r = build_register()
    unit = make_unit(code="02F3")
    leader = make_user(Role.LEADER, unit=unit)
    programme = _programme(unit, leader)
    held = [_session(programme, n, Session.Status.HELD) for n in range(3)]
    _session(programme, 3, Session.Status.SCHEDULED)
    enterprises = [make_enterprise() for _ in range(3)]
    for session, enterprise, checked in [(held[0], enterprises[0], True), (held[1], enterprises[0], True),
                                         (held[1], enterprises[1], True), (held[2], enterprises[2], False)]:
        registration = Registration.objects.create(session=session, enterprise=enterprise, registered_by=leader,
                                                   status=Registration.Status.CONFIRMED, created_at=START,
                                                   checked_in_at=START if checked else None)
        Question.objects.create(session=session, registration=registration, case=make_case(enterprise=enterprise))
    operator = make_enterprise()
    commitments = [Commitment.objects.create(operator=operator, period_from=date(2020, 3, 1), period_to=date(2020, 12, 31),
                                             signed_on=date(2020, 2, 20), status=status, created_by=leader)
                   for status in ("kept", "kept", "broken")]
    initiative = initiative_create(organisation=r.high_tech, name="Cà phê sáng cùng doanh nghiệp",
                                   started_on=date(2020, 3, 6), programme=programme, commitments=commitments,
                                   by=r.office)
    figures = initiative_figures(initiative)
    assert (figures.sessions_held, figures.businesses_attending, figures.questions) == (3, 2, 4)
    assert (figures.commitments_kept, figures.commitments_broken) == (2, 1)


def test_an_initiative_without_links_has_zero_figures(db):
    r = build_register()
    initiative = initiative_create(organisation=r.cat_lai, name="Tổ tư vấn thủ tục hải quan", started_on=date(2019, 5, 19),
                                   by=r.office)
    assert initiative_figures(initiative).sessions_held == 0


def test_it_refuses_an_initiative_without_a_name_or_from_anyone_else(db):
    r = build_register()
    with pytest.raises(ValidationError) as error:
        initiative_create(organisation=r.cat_lai, name="", started_on=date(2019, 5, 19), by=r.office)
    assert "name" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        initiative_create(organisation=r.cat_lai, name="Tổ tư vấn", started_on=date(2019, 5, 19),
                          by=make_user(Role.COORDINATOR))
