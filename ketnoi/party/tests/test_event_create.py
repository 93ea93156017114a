"""Events: ceremonies with the awards presented, conferences with their contributions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.party.awards import badge_award, contribution_add, event_create, event_detail, event_present
from ketnoi.testing import make_user

from .helpers import build_register, make_member


def test_a_ceremony_shows_the_badges_presented_at_it(db):
    r = build_register()
    event = event_create(kind="ceremony", name="Hội nghị tổng kết năm 2020 và kỷ niệm 91 năm ngày thành lập Đảng",
                         held_on=date(2021, 1, 19), organisation=r.committee, by=r.office)
    veteran = make_member(organisation=r.cat_lai, admitted=date(1990, 9, 2))
    badge = badge_award(member=veteran, threshold=30, decision_number="12-QĐ/ĐU", decided_on=date(2021, 1, 5),
                        occasion=date(2021, 1, 19), by=r.office)
    event_present(event=event, badges=[badge], by=r.office)
    detail = event_detail(principal_for(r.office), event)
    assert detail.badges == [badge]
    assert event_detail(principal_for(r.high_tech_secretary), event).badges == []


def test_a_conference_takes_contributions(db):
    r = build_register()
    event = event_create(kind="conference", name="Hội nghị tổng kết công tác xây dựng Đảng năm 2020",
                         held_on=date(2021, 1, 19), organisation=r.committee, by=r.office)
    contribution_add(event=event, organisation=r.high_tech, presenter="Đoàn Thị Kim Oanh", by=r.office,
                     title="Mô hình “Cà phê sáng cùng doanh nghiệp” tại Khu công nghệ cao")
    assert [c.organisation for c in event_detail(principal_for(r.office), event).contributions] == [r.high_tech]
    ceremony = event_create(kind="ceremony", name="Lễ trao huy hiệu", held_on=date(2021, 2, 3),
                            organisation=r.committee, by=r.office)
    with pytest.raises(ValidationError):
        contribution_add(event=ceremony, organisation=r.high_tech, title="Tham luận", by=r.office)


def test_it_refuses_an_event_without_a_name(db):
    r = build_register()
    with pytest.raises(ValidationError) as error:
        event_create(kind="ceremony", name="  ", held_on=date(2021, 2, 3), organisation=r.committee, by=r.office)
    assert "name" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.ADMIN])
def test_it_refuses_anyone_but_the_party_office(db, role):
    r = build_register()
    with pytest.raises(PermissionDenied):
        event_create(kind="ceremony", name="Lễ trao huy hiệu", held_on=date(2021, 2, 3), organisation=r.committee,
                     by=make_user(role))
