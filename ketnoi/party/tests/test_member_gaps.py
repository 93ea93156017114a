from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.party import services

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_adds_a_gap_and_marks_the_member(r):
    member = r.high_tech_members[1]
    gap = services.gap_add(member=member, start=date(2012, 3, 1), end=date(2012, 9, 1), reason="lost_contact",
                           by=r.office)
    member.refresh_from_db()
    assert member.has_gaps and gap.member == member
    assert AuditEvent.objects.get(action="party.member.gap_added").after["gap"] == gap.pk


def test_it_unmarks_the_member_when_the_last_gap_is_removed(r):
    member = r.high_tech_members[1]
    gap = services.gap_add(member=member, start=date(2012, 3, 1), reason="transfer", by=r.office)
    services.gap_remove(gap=gap, by=r.office)
    member.refresh_from_db()
    assert not member.has_gaps


def test_it_ends_a_gap_as_a_rehabilitation(r):
    member = r.high_tech_members[1]
    gap = services.gap_add(member=member, start=date(2012, 3, 1), reason="expelled", by=r.office)
    services.gap_end(gap=gap, end=date(2014, 3, 1), rehabilitated=True, by=r.office)
    gap.refresh_from_db()
    assert gap.end == date(2014, 3, 1) and gap.rehabilitated


def test_it_refuses_to_rehabilitate_a_loss_of_contact(r):
    gap = services.gap_add(member=r.high_tech_members[1], start=date(2012, 3, 1), reason="lost_contact", by=r.office)
    with pytest.raises(ValidationError) as error:
        services.gap_end(gap=gap, end=date(2013, 1, 1), rehabilitated=True, by=r.office)
    assert "rehabilitated" in error.value.message_dict


def test_it_refuses_a_gap_before_the_admission_or_ending_before_it_starts(r):
    member = r.high_tech_members[1]  # admitted 26/03/2005
    with pytest.raises(ValidationError) as error:
        services.gap_add(member=member, start=date(2004, 1, 1), reason="removed", by=r.office)
    assert "start" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.gap_add(member=member, start=date(2012, 1, 1), end=date(2011, 1, 1), reason="removed", by=r.office)
    assert "end" in error.value.message_dict


def test_it_refuses_a_second_open_gap(r):
    member = r.high_tech_members[1]
    services.gap_add(member=member, start=date(2012, 3, 1), reason="lost_contact", by=r.office)
    with pytest.raises(ValidationError):
        services.gap_add(member=member, start=date(2013, 3, 1), reason="removed", by=r.office)


def _delay(member):
    member.refresh_from_db()
    return member.badge_delay_months


def test_it_keeps_the_badge_delay_of_the_members_gaps(r):
    # Admitted 26/03/2005: 30 years would come on 26/03/2035, long after these periods began.
    member = r.high_tech_members[1]
    assert _delay(member) == 0
    short = services.gap_add(member=member, start=date(2012, 3, 1), end=date(2012, 9, 1), reason="lost_contact",
                             by=r.office)
    assert _delay(member) == 6
    still_out = services.gap_add(member=member, start=date(2016, 5, 10), reason="transfer", by=r.office)
    assert _delay(member) is None  # still outside: reckoned one by one
    services.gap_end(gap=still_out, end=date(2017, 5, 10), by=r.office)
    assert _delay(member) == 18
    services.gap_remove(gap=short, by=r.office)
    assert _delay(member) == 12


def test_a_new_admission_date_can_turn_a_delay_into_an_exact_reckoning(r):
    member = r.high_tech_members[1]
    services.gap_add(member=member, start=date(2012, 3, 1), end=date(2012, 9, 1), reason="lost_contact", by=r.office)
    # Admitted in 1980 instead, the period began after 30 years would have been reached: not a plain delay.
    # (Born well before, whatever birth date the factory drew: it depends on how many members came before.)
    services.member_update(member=member, born_on=date(1957, 8, 14), admission_decision_on=date(1980, 3, 26),
                           full_member_on=date(1981, 3, 26), by=r.office)
    assert _delay(member) is None


def test_leaving_and_coming_back_keeps_the_delay(r):
    member = r.high_tech_members[1]
    services.member_set_status(member=member, status="removed", on=date(2018, 1, 15), reason="removed", by=r.office)
    assert _delay(member) is None
    services.member_set_status(member=member, status="active", on=date(2019, 1, 15), by=r.office)
    assert _delay(member) == 12
