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


def _held_and_next_key(member) -> tuple:
    return tuple(Member.objects.filter(pk=member.pk).values_list("badge_held", "next_badge_key").get())


def test_it_moves_the_member_on_to_the_next_badge(db):
    office = make_party_office()
    member = make_member(admitted=date(1981, 2, 3))
    key = Member.objects.get(pk=member.pk).badge_key
    assert _held_and_next_key(member) == (0, key + 32 * 12 * 30)
    _award(member, 40, by=office)
    assert _held_and_next_key(member) == (40, key + 32 * 12 * 45)


def test_a_member_read_before_an_award_and_saved_after_it_keeps_the_award(db):
    office = make_party_office()
    member = make_member(admitted=date(1981, 2, 3))
    stale = Member.objects.get(pk=member.pk)
    _award(member, 40, by=office)
    stale.position = "Bí thư chi bộ"
    stale.save()
    assert _held_and_next_key(member)[0] == 40
    stale.admission_decision_on = date(1981, 3, 3)  # the admission moves a month: so does the next badge
    stale.save()
    assert _held_and_next_key(member) == (40, Member.objects.get(pk=member.pk).badge_key + 32 * 12 * 45)


def test_a_badge_removed_gives_the_member_the_lower_one_back(db):
    office = make_party_office()
    member = make_member(admitted=date(1981, 2, 3))
    BadgeAward.objects.create(member=member, threshold=30, decision_number="12-QĐ/ĐU", decided_on=date(2011, 1, 15),
                              occasion=date(2011, 2, 3))
    wrong = _award(member, 40, by=office)
    wrong.delete()
    assert _held_and_next_key(member)[0] == 30


def test_members_reckoned_in_bulk_get_what_the_awards_keep(db):
    from ketnoi.party.services import members_reckon_badges

    office = make_party_office()
    members = [make_member(admitted=date(1981, 2, 3)), make_member(admitted=date(1961, 2, 3)),
               make_member(admitted=date(1951, 1, 1), gaps=[(date(1960, 1, 1), None, "lost_contact")])]
    _award(members[0], 40, by=office)
    _award(members[1], 60, by=office)
    kept = [_held_and_next_key(member) for member in members]
    Member.objects.update(badge_held=0, next_badge_key=None)
    members_reckon_badges(members=Member.objects.all())
    assert [_held_and_next_key(member) for member in members] == kept
    assert kept[2] == (0, None)  # a gap still open: reckoned one by one
