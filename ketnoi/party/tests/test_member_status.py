from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ketnoi.lib import party_age
from ketnoi.party import services
from ketnoi.party.models import Member

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_records_a_death(r):
    member = r.high_tech_members[0]
    services.member_set_status(member=member, status="deceased", on=date(2019, 4, 30), by=r.office)
    member.refresh_from_db()
    assert (member.status, member.died_on, member.status_on) == ("deceased", date(2019, 4, 30), date(2019, 4, 30))


def test_it_opens_a_gap_when_a_member_leaves_the_party(r):
    member = r.high_tech_members[1]  # admitted 26/03/2005
    services.member_set_status(member=member, status="removed", reason="removed", on=date(2015, 3, 26), by=r.office)
    member.refresh_from_db()
    assert member.status == Member.Status.REMOVED and member.has_gaps
    gap = member.gaps.get()
    assert (gap.start, gap.end, gap.reason) == (date(2015, 3, 26), None, "removed")
    # Party age stands still from the removal.
    assert party_age.party_age(member.admitted_on, date(2020, 1, 1), [gap.as_rule()]) == (10, 0)


def test_it_ends_the_gap_at_a_readmission(r):
    member = r.high_tech_members[1]
    services.member_set_status(member=member, status="removed", reason="expelled", on=date(2015, 3, 26), by=r.office)
    services.member_set_status(member=member, status="active", on=date(2017, 3, 26), by=r.office)
    member.refresh_from_db()
    gap = member.gaps.get()
    assert member.status == "active" and gap.end == date(2017, 3, 26)
    # First admission minus the two years outside (QĐ 24-QĐ/TW 4.5.2).
    assert party_age.party_age(member.admitted_on, date(2020, 3, 26), [gap.as_rule()]) == (13, 0)


def test_it_needs_a_reason_to_leave_the_party(r):
    with pytest.raises(ValidationError) as error:
        services.member_set_status(member=r.high_tech_members[1], status="removed", on=date(2015, 3, 26), by=r.office)
    assert "reason" in error.value.message_dict


def test_it_sends_a_transfer_out_to_member_transfer(r):
    with pytest.raises(ValidationError) as error:
        services.member_set_status(member=r.high_tech_members[1], status="transferred_out", on=date(2015, 3, 26),
                                   by=r.office)
    assert "status" in error.value.message_dict


def test_it_refuses_to_readmit_an_active_member(r):
    with pytest.raises(ValidationError):
        services.member_set_status(member=r.high_tech_members[1], status="active", on=date(2015, 3, 26), by=r.office)
