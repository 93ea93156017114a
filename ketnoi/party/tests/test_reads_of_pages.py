"""Every page that shows a member's personal data leaves one row in the access log: the forms
that show a member's record, and an event's page with the awards of the members it names."""

from datetime import date

import pytest
from django.urls import reverse

from ketnoi.party.models import BadgeAward, Event, MemberRead

from .helpers import build_register
from .page_helpers import log_in


@pytest.fixture
def r(db):
    return build_register()


def last_read():
    return MemberRead.objects.order_by("-id").first()


def test_the_edit_form_of_a_member_is_logged(client, r):
    member = r.cat_lai_members[0]
    assert log_in(client, r.office).get(reverse("party:member_edit", args=[member.pk])).status_code == 200
    read = last_read()
    assert (read.user, read.member, read.channel, read.detail) == (r.office, member, "page", "edit form")


def test_the_badge_award_form_is_logged(client, r):
    member = r.high_tech_members[0]
    response = log_in(client, r.office).get(reverse("party:badge_award"), {"member": member.pk, "threshold": 30})
    assert response.status_code == 200
    assert (last_read().member, last_read().detail) == (member, "badge award form")


def test_an_events_page_is_logged_as_a_list_of_the_members_it_names(client, r):
    ceremony = Event.objects.create(kind=Event.Kind.CEREMONY, held_on=date(2021, 2, 3), organisation=r.committee,
                                    name="Lễ trao Huy hiệu Đảng đợt 3/2/2021")
    BadgeAward.objects.create(member=r.cat_lai_members[0], threshold=30, decision_number="130-QĐ/ĐU",
                              decided_on=date(2021, 1, 28), occasion=date(2021, 2, 3), gift_amount=2_235_000)
    before = MemberRead.objects.count()
    assert log_in(client, r.office).get(reverse("party:event", args=[ceremony.pk])).status_code == 200
    assert MemberRead.objects.count() == before + 1
    assert last_read().detail == f"event {ceremony.pk}: 1"
    assert last_read().member is None
