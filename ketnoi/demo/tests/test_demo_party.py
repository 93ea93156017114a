"""The demo's party committee: 24 grassroots organisations, 970 members, ratings of 2016–2020,
the commendations of 2020, four 30-year badges at the ceremony of 19/1/2021, the creative models
linked to what they run, added once."""

from datetime import date

import pytest
from django.db import transaction

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import User
from ketnoi.demo.generate import DemoBuilder
from ketnoi.demo.party import CEREMONY_DAY, PartyBuilder, member_specs
from ketnoi.dialogue.models import Programme
from ketnoi.lib import party_age
from ketnoi.lib import party_rating as rating_rules
from ketnoi.lib.party_org import GRASSROOTS_KINDS, Kind
from ketnoi.party import access, awards
from ketnoi.party.models import (
    BadgeAward, Commendation, Contribution, Event, Gap, Initiative, Member, Organisation, Rating, Transfer,
)

pytestmark = pytest.mark.django_db


def department():
    builder = DemoBuilder(seed=2020, officers=0, enterprises=0)
    builder.build_units()
    builder.build_logins(password=None)
    return builder


def counts():
    return tuple(model.objects.count() for model in (Organisation, Member, Gap, Transfer, BadgeAward, Rating,
                                                      Commendation, Event, Contribution, Initiative))


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """The party committee of the demo, built once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        department()
        yield PartyBuilder(seed=2020).build()
        transaction.set_rollback(True)


class TestThePartyCommitteeOfTheDemo:
    def test_it_has_24_grassroots_organisations_under_the_department_committee_and_one_merged(self, built):
        assert built.skipped == []
        root = Organisation.objects.get(parent__isnull=True)
        assert root.kind == Kind.UPPER_GRASSROOTS_COMMITTEE and root.name == "Đảng bộ Cục Hải quan TP. Hồ Chí Minh"
        grassroots = Organisation.objects.filter(kind__in=GRASSROOTS_KINDS)
        assert grassroots.filter(dissolved_on__isnull=True).count() == 24
        assert set(grassroots.values_list("parent", flat=True)) == {root.pk}
        [merged] = Organisation.objects.exclude(dissolved_on=None)
        assert merged.change == Organisation.Change.MERGED and merged.successor.dissolved_on is None
        assert Transfer.objects.filter(from_organisation=merged, to_organisation=merged.successor).exists()
        assert not merged.members.filter(status=Member.Status.ACTIVE).exists()
        # Linked to the demo's units; the big branches are committees of 30 or more with cells.
        assert not Organisation.objects.filter(unit__isnull=True).exists()
        for committee in grassroots.filter(kind=Kind.GRASSROOTS_COMMITTEE):
            assert committee.children.count() == 3
            assert Member.objects.filter(organisation__parent=committee, status="active").count() >= 30
        for cell in grassroots.filter(kind=Kind.GRASSROOTS_CELL, dissolved_on=None):
            assert 3 <= cell.members.filter(status="active").count() < 30

    def test_it_has_970_members_with_a_realistic_spread(self, built):
        active = Member.objects.filter(status=Member.Status.ACTIVE)
        assert active.count() == 970
        assert Member.objects.filter(status=Member.Status.TRANSFERRED_OUT).count() == 3
        assert Member.objects.filter(status=Member.Status.DECEASED).count() == 2
        years = [day.year for day in Member.objects.values_list("admitted_on", flat=True)]
        assert min(years) >= 1975 and max(years) <= 2020
        assert sum(1995 <= year <= 2015 for year in years) > 0.6 * len(years)
        assert all(date(1940, 1, 1) <= born <= date(1998, 12, 31) for born in Member.objects.values_list("born_on", flat=True))
        for member in Member.objects.all():
            assert member.full_member_on == party_age.add_months(member.admitted_on, 12)
            assert member.admitted_on.year - member.born_on.year >= 18
        assert set(Member.objects.values_list("gender", flat=True)) == {"male", "female"}
        assert set(Member.objects.values_list("position", flat=True)) == {"Bí thư", "Phó Bí thư", "Chi ủy viên",
                                                                         "Đảng viên"}
        assert Member.objects.filter(card_number__isnull=True).count() == 0

    def test_some_members_have_gaps_one_rehabilitated_and_one_lost_contact(self, built):
        assert Gap.objects.filter(reason="transfer").count() == 6
        [expelled] = Gap.objects.filter(reason="expelled")
        assert expelled.rehabilitated and expelled.end is not None
        assert Gap.objects.filter(reason="lost_contact").count() == 1
        assert Member.objects.filter(has_gaps=True).count() == 8

    def test_four_members_received_the_30_year_badge_at_the_ceremony_of_19_january_2021(self, built):
        ceremony = Event.objects.get(kind=Event.Kind.CEREMONY, held_on=CEREMONY_DAY)
        assert "91 năm" in ceremony.name
        badges = BadgeAward.objects.filter(event=ceremony)
        assert badges.count() == 4 and set(badges.values_list("threshold", flat=True)) == {30}
        assert set(badges.values_list("occasion", flat=True)) == {CEREMONY_DAY}
        # Nobody else was due a badge that day: the earlier ones were presented at their occasions.
        office = principal_for(User.objects.get(username="party"))
        assert awards.badge_eligibility(office, on=date(2020, 11, 7)) == []
        assert awards.badge_eligibility(office, on=CEREMONY_DAY) == []
        for badge in badges.select_related("member"):
            # 30 years reached after the occasion of 7/11/2020 and by the ceremony.
            assert party_age.party_age(badge.member.admitted_on, CEREMONY_DAY)[0] == 30
            assert party_age.party_age(badge.member.admitted_on, date(2020, 11, 7))[0] == 29

    def test_the_conference_has_three_contributions(self, built):
        conference = Event.objects.get(kind=Event.Kind.CONFERENCE, held_on=CEREMONY_DAY)
        assert conference.contributions.count() == 3

    def test_ratings_of_2016_to_2020_with_old_labels_before_2018_and_one_quota_broken_in_2020(self, built):
        years = set(Rating.objects.values_list("year", flat=True))
        assert years == {2016, 2017, 2018, 2019, 2020}
        legacy = set(rating_rules.LegacyMemberLabel) | set(rating_rules.LegacyOrgLabel)
        for year in years:
            levels = set(Rating.objects.filter(year=year).values_list("level", flat=True))
            assert (levels <= legacy) == (year <= 2017), year
            assert Rating.objects.filter(year=year, member__isnull=False).count() > 850
        broken = {year: [row for row in awards.quota_by_organisation(year).values() if row.result.broken]
                  for year in years}
        assert [len(broken[year]) for year in sorted(years)] == [0, 0, 0, 0, 1]
        assert len(built.warnings) == 1

    def test_commendations_of_2020_for_the_year_and_for_five_years(self, built):
        commendations = Commendation.objects.filter(year=2020)
        assert commendations.filter(member__isnull=False, five_years=False, form="giay_khen").count() > 20
        # the city's Bằng khen for two of the seven five-year candidates (the demo is seeded)
        assert commendations.filter(member__isnull=False, five_years=True, form="bang_khen").count() == 2
        assert commendations.filter(member__isnull=False, five_years=True, form="giay_khen").exists()
        for commendation in commendations.filter(member__isnull=False):
            assert commendation.member.ratings.get(year=2020).level == "xuat_sac"
        assert commendations.filter(organisation__isnull=False).exists()

    def test_the_secretary_login_sees_her_cell_only(self, built):
        secretary = principal_for(User.objects.get(username="secretary"))
        park = Organisation.objects.get(unit__code="02F3")
        assert park.members.filter(full_name="Trịnh Thị Mỹ Hạnh", position="Bí thư").exists()
        assert set(access.visible_members(secretary).values_list("organisation", flat=True)) == {park.pk}

    def test_the_creative_models_wait_for_what_they_run_and_a_second_run_links_them_and_adds_nothing_else(
            self, built):
        coffee = Initiative.objects.get(name="Cà phê sáng cùng doanh nghiệp")
        assert coffee.organisation.unit.code == "02F3" and coffee.programme is None  # no dialogue demo here
        assert Initiative.objects.count() == 2
        before = counts()
        programme = Programme.objects.create(
            unit=coffee.organisation.unit, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
            starts_on=date(2020, 1, 1), start_time="07:30", end_time="09:00", venue="Chi cục", capacity=12,
            created_by=User.objects.get(username="leader"))
        again = PartyBuilder(seed=2020).build()
        assert counts() == before
        assert (again.members, again.ratings, again.badges, again.commendations, again.linked) == (0, 0, 0, 0, 1)
        coffee.refresh_from_db()
        assert coffee.programme == programme


def test_the_plan_is_the_same_for_a_seed_and_differs_for_another():
    first, second, other = member_specs(2020), member_specs(2020), member_specs(7)
    assert [(s.full_name, s.card_number, s.admitted_on) for s in first] == \
        [(s.full_name, s.card_number, s.admitted_on) for s in second]
    assert [s.full_name for s in first] != [s.full_name for s in other]
    assert len({s.card_number for s in first}) == len(first) == 975
