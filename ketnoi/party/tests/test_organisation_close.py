from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.lib.party_org import Kind
from ketnoi.party import services
from ketnoi.party.models import Member, Organisation, Transfer

from .helpers import build_register, make_member, make_organisation


@pytest.fixture
def r(db):
    return build_register()


def test_it_merges_and_moves_the_active_members(r):
    gone = make_member(organisation=r.high_tech, status=Member.Status.DECEASED)
    services.organisation_close(organisation=r.high_tech, change=Organisation.Change.MERGED, successor=r.cat_lai,
                                on=date(2021, 1, 1), by=r.office)
    r.high_tech.refresh_from_db()
    assert (r.high_tech.dissolved_on, r.high_tech.change, r.high_tech.successor) == (date(2021, 1, 1), "merged", r.cat_lai)
    for member in r.high_tech_members:
        member.refresh_from_db()
        assert member.organisation == r.cat_lai
        transfer = Transfer.objects.get(member=member)
        assert (transfer.from_organisation, transfer.to_organisation, transfer.on) == (r.high_tech, r.cat_lai,
                                                                                      date(2021, 1, 1))
    gone.refresh_from_db()
    assert gone.organisation == r.high_tech and not Transfer.objects.filter(member=gone).exists()
    event = AuditEvent.objects.get(action="party.organisation.merged")
    assert sorted(event.after["moved_members"]) == sorted(m.pk for m in r.high_tech_members)


def test_it_refuses_to_dissolve_an_organisation_with_active_members(r):
    with pytest.raises(ValidationError) as error:
        services.organisation_close(organisation=r.high_tech, change="dissolved", on=date(2021, 1, 1), by=r.office)
    assert "change" in error.value.message_dict
    r.high_tech.refresh_from_db()
    assert r.high_tech.dissolved_on is None


def test_it_dissolves_an_empty_organisation(r):
    empty = make_organisation(parent=r.committee)
    services.organisation_close(organisation=empty, change="dissolved", on=date(2021, 1, 1), by=r.office)
    empty.refresh_from_db()
    assert empty.change == "dissolved" and empty.successor is None


def test_it_refuses_a_merger_without_an_open_successor(r):
    with pytest.raises(ValidationError) as error:
        services.organisation_close(organisation=r.high_tech, change="merged", on=date(2021, 1, 1), by=r.office)
    assert "successor" in error.value.message_dict
    closed = make_organisation(parent=r.committee, dissolved_on=date(2019, 1, 1), change="dissolved")
    with pytest.raises(ValidationError):
        services.organisation_close(organisation=r.high_tech, change="merged", successor=closed, on=date(2021, 1, 1),
                                    by=r.office)
    assert not Transfer.objects.exists()


def test_it_refuses_to_close_an_organisation_with_open_ones_under_it(r):
    with pytest.raises(ValidationError):
        services.organisation_close(organisation=r.cat_lai, change="merged", successor=r.high_tech,
                                    on=date(2021, 1, 1), by=r.office)


def test_it_refuses_to_close_twice(r):
    empty = make_organisation(kind=Kind.GRASSROOTS_CELL, parent=r.committee)
    services.organisation_close(organisation=empty, change="dissolved", on=date(2021, 1, 1), by=r.office)
    with pytest.raises(ValidationError):
        services.organisation_close(organisation=empty, change="dissolved", on=date(2021, 2, 1), by=r.office)


def test_it_refuses_a_secretary(r):
    with pytest.raises(PermissionDenied):
        services.organisation_close(organisation=r.high_tech, change="merged", successor=r.cat_lai,
                                    on=date(2021, 1, 1), by=r.high_tech_secretary)
