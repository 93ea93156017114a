from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.party import services
from ketnoi.party.models import Member, Transfer

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_transfers_a_member(r):
    member = r.high_tech_members[0]
    transfer = services.member_transfer(member=member, to=r.cat_lai_cell, on=date(2018, 7, 1), by=r.office)
    member.refresh_from_db()
    assert member.organisation == r.cat_lai_cell
    assert (transfer.from_organisation, transfer.to_organisation) == (r.high_tech, r.cat_lai_cell)


def test_it_transfers_a_member_out_and_back(r):
    member = r.high_tech_members[0]
    services.member_transfer(member=member, to=None, on=date(2018, 7, 1), by=r.office)
    member.refresh_from_db()
    assert (member.status, member.status_on, member.organisation) == (Member.Status.TRANSFERRED_OUT, date(2018, 7, 1),
                                                                      r.high_tech)
    services.member_transfer(member=member, to=r.cat_lai, on=date(2020, 1, 1), by=r.office)
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE and member.organisation == r.cat_lai
    assert [(t.from_organisation, t.to_organisation) for t in Transfer.objects.filter(member=member)] == [
        (r.high_tech, None), (None, r.cat_lai)]


def test_it_refuses_a_date_before_the_last_transfer(r):
    member = r.high_tech_members[0]
    services.member_transfer(member=member, to=r.cat_lai, on=date(2018, 7, 1), by=r.office)
    with pytest.raises(ValidationError) as error:
        services.member_transfer(member=member, to=r.high_tech, on=date(2017, 7, 1), by=r.office)
    assert "on" in error.value.message_dict


def test_it_refuses_the_same_or_a_closed_organisation(r):
    member = r.high_tech_members[0]
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to=r.high_tech, on=date(2018, 7, 1), by=r.office)
    r.cat_lai.dissolved_on = date(2019, 1, 1)
    r.cat_lai.save()
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to=r.cat_lai, on=date(2018, 7, 1), by=r.office)


def test_it_refuses_a_deceased_member(r):
    member = r.high_tech_members[0]
    services.member_set_status(member=member, status="deceased", on=date(2019, 4, 30), by=r.office)
    with pytest.raises(ValidationError):
        services.member_transfer(member=member, to=r.cat_lai, on=date(2020, 1, 1), by=r.office)


def test_it_refuses_a_secretary(r):
    with pytest.raises(PermissionDenied):
        services.member_transfer(member=r.high_tech_members[0], to=r.cat_lai, on=date(2018, 7, 1),
                                 by=r.high_tech_secretary)
