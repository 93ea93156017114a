from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.party import selectors, services
from ketnoi.party.models import BadgeAward, MemberRead, Rating
from ketnoi.testing import make_user

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_gives_the_record_with_party_age_and_logs_the_read(r):
    member = r.cat_lai_members[0]  # admitted 03/02/1991
    BadgeAward.objects.create(member=member, threshold=30, decision_number="125-QĐ/ĐU", decided_on=date(2021, 1, 15),
                              occasion=date(2021, 2, 3))
    Rating.objects.create(member=member, year=2020, level="xuat_sac")
    services.member_transfer(member=member, to=r.high_tech, on=date(2015, 6, 1), by=r.office)
    detail = selectors.member_detail(principal_for(r.office), member, channel="page", on=date(2021, 2, 3))
    assert detail.party_age == (30, 0) and detail.party_age_months == 360 and not detail.outside
    assert [b.threshold for b in detail.badges] == [30]
    assert [x.year for x in detail.ratings] == [2020]
    assert [t.to_organisation for t in detail.transfers] == [r.high_tech]
    read = MemberRead.objects.get()
    assert (read.user, read.member, read.channel) == (r.office, member, "page")


def test_it_subtracts_the_gaps(r):
    member = r.cat_lai_members[0]
    services.gap_add(member=member, start=date(2000, 1, 1), end=date(2001, 1, 1), reason="lost_contact", by=r.office)
    detail = selectors.member_detail(principal_for(r.office), member, channel="api", on=date(2021, 2, 3))
    assert detail.party_age == (29, 0)
    assert len(detail.gaps) == 1


def test_it_stops_party_age_at_death(r):
    member = r.cat_lai_members[0]
    services.member_set_status(member=member, status="deceased", on=date(2011, 2, 3), by=r.office)
    detail = selectors.member_detail(principal_for(r.office), member, channel="page")
    assert detail.on == date(2011, 2, 3) and detail.party_age == (20, 0)


def test_it_shows_a_secretary_their_member(r):
    detail = selectors.member_detail(principal_for(r.cat_lai_secretary), r.cell_members[1], channel="page")
    assert detail.member == r.cell_members[1]
    assert MemberRead.objects.get().user == r.cat_lai_secretary


def test_it_refuses_a_secretary_another_organisations_member(r):
    with pytest.raises(PermissionDenied):
        selectors.member_detail(principal_for(r.cat_lai_secretary), r.high_tech_members[0], channel="page")
    assert not MemberRead.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.OPERATOR])
def test_it_refuses_anyone_else(r, role):
    with pytest.raises(PermissionDenied):
        selectors.member_detail(principal_for(make_user(role)), r.high_tech_members[0], channel="api")
