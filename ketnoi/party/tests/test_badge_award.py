"""badge_award: record the decision awarding a badge, refused when not due or already held."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.party.awards import badge_award, event_create
from ketnoi.party.models import BadgeAward, Member
from ketnoi.testing import make_user

from .helpers import make_member, make_organisation, make_party_office

OCCASION = date(2021, 2, 3)


def _award(member, threshold, *, by, occasion=OCCASION, **kwargs):
    return badge_award(member=member, threshold=threshold, decision_number="125-QĐ/ĐU", decided_on=date(2021, 1, 15),
                       occasion=occasion, by=by, **kwargs)


def test_it_records_a_badge_due_with_its_gift_and_audit(db):
    office = make_party_office()
    member = make_member(admitted=date(1991, 2, 3))
    event = event_create(kind="ceremony", name="Lễ trao Huy hiệu Đảng đợt 3/2/2021", held_on=OCCASION,
                         organisation=member.organisation, by=office)
    award = _award(member, 30, by=office, event=event)
    assert (award.threshold, award.gift_amount, award.event) == (30, 2_235_000, event)
    assert AuditEvent.objects.filter(action="party.badge_awarded", object_id=str(award.pk)).exists()


def test_it_refuses_a_badge_not_yet_due(db):
    member = make_member(admitted=date(1991, 2, 4))
    with pytest.raises(ValidationError) as error:
        _award(member, 30, by=make_party_office())
    assert "threshold" in error.value.message_dict
    assert not BadgeAward.objects.exists()


def test_it_refuses_a_duplicate_or_a_lower_badge(db):
    office = make_party_office()
    member = make_member(admitted=date(1981, 2, 3))
    _award(member, 40, by=office)
    for threshold in (40, 30):
        with pytest.raises(ValidationError) as error:
            _award(member, threshold, by=office)
        assert "threshold" in error.value.message_dict
    assert BadgeAward.objects.count() == 1


def test_it_awards_early_within_the_window_only(db):
    office = make_party_office()
    ill = make_member(admitted=date(1991, 8, 1), seriously_ill=True)
    with pytest.raises(ValidationError):
        _award(ill, 30, by=office)  # not due without the early ground
    award = _award(ill, 30, by=office, early_ground="ill")
    assert award.early_ground == "ill"
    far = make_member(admitted=date(1993, 2, 3), seriously_ill=True)
    with pytest.raises(ValidationError) as error:
        _award(far, 30, by=office, early_ground="ill")
    assert "early_ground" in error.value.message_dict


def test_it_awards_posthumously(db):
    died = make_member(admitted=date(1991, 8, 1), status=Member.Status.DECEASED, died_on=date(2020, 12, 1))
    assert _award(died, 30, by=make_party_office(), early_ground="posthumous").early_ground == "posthumous"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.ADMIN])
def test_it_refuses_anyone_but_the_party_office(db, role):
    member = make_member(admitted=date(1991, 2, 3))
    with pytest.raises(PermissionDenied):
        _award(member, 30, by=make_user(role))


def test_a_secretary_may_not_award(db):
    cell = make_organisation()
    member = make_member(organisation=cell, admitted=date(1991, 2, 3))
    secretary = make_user(Role.OFFICER)
    cell.secretaries.add(secretary)
    with pytest.raises(PermissionDenied):
        _award(member, 30, by=secretary)
