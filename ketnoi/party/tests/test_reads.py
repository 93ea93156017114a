import pytest

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.audit.models import AppendOnlyError
from ketnoi.party import selectors
from ketnoi.party.models import MemberRead
from ketnoi.testing import make_user

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_shows_the_party_office_who_read_what(r):
    selectors.member_detail(principal_for(r.cat_lai_secretary), r.cat_lai_members[0], channel="page")
    selectors.member_detail(principal_for(r.office), r.high_tech_members[0], channel="api")
    selectors.members(principal_for(r.high_tech_secretary), channel="export")
    office = principal_for(r.office)
    assert selectors.member_reads(office).count() == 3
    assert [x.channel for x in selectors.member_reads(office, member=r.cat_lai_members[0])] == ["page"]
    assert [x.detail for x in selectors.member_reads(office, user=r.high_tech_secretary)] == ["members: 2"]


@pytest.mark.parametrize("who", ["secretary", "admin"])
def test_it_hides_the_log_from_everyone_else(r, who):
    selectors.member_detail(principal_for(r.office), r.high_tech_members[0], channel="page")
    user = r.high_tech_secretary if who == "secretary" else make_user(Role.ADMIN)
    assert not selectors.member_reads(principal_for(user)).exists()


def test_it_keeps_the_log_append_only(r):
    selectors.member_detail(principal_for(r.office), r.high_tech_members[0], channel="page")
    with pytest.raises(AppendOnlyError):
        MemberRead.objects.all().delete()


def test_it_refuses_an_unknown_channel(r):
    with pytest.raises(ValueError):
        selectors.member_detail(principal_for(r.office), r.high_tech_members[0], channel="gossip")
