"""commendation_candidates (set-based, equal to lib.commendation subject by subject) and
commendation_record."""

import random
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.lib import commendation as rules
from ketnoi.lib.party_org import Kind
from ketnoi.party.awards import commendation_candidates, commendation_record
from ketnoi.party.models import Commendation, Member, Rating
from ketnoi.testing import make_user

from .helpers import build_register, make_member, make_organisation, make_party_office

MEMBER_LEVELS = ["xuat_sac", "xuat_sac", "xuat_sac", "tot", "hoan_thanh"]
MEMBER_LEGACY = ["legacy_du_tu_cach_xuat_sac", "legacy_du_tu_cach_xuat_sac", "legacy_du_tu_cach_tot"]
ORG_LEVELS = ["xuat_sac_tieu_bieu", "xuat_sac_tieu_bieu", "xuat_sac", "tot"]
ORG_LEGACY = ["legacy_tsvm_tieu_bieu", "legacy_tsvm_tieu_bieu", "legacy_tsvm"]


def _record(year, *, member=None, organisation=None, five_years=True, by=None):
    return commendation_record(year=year, form="giay_khen", issuer="upper_grassroots_standing",
                               issuer_name="Ban Thường vụ Đảng uỷ Cục Hải quan TP. Hồ Chí Minh",
                               decision_number="45-QĐ/ĐU", decided_on=date(year + 1, 1, 10), by=by or make_party_office(),
                               member=member, organisation=organisation, five_years=five_years)


def _random_register(seed: int):
    """Ratings 2013-2022 (pre-2018 labels before 2018, some years missing), a few five-year
    commendations already received, a removed member."""
    rng = random.Random(seed)
    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    organisations = [make_organisation(parent=committee) for _ in range(8)]
    office = make_party_office()
    for organisation in organisations:
        for year in range(2013, 2023):
            if rng.random() < 0.9:
                level = rng.choice(ORG_LEGACY if year < 2018 else ORG_LEVELS)
                Rating.objects.create(year=year, organisation=organisation, level=level)
        if rng.random() < 0.3:
            _record(rng.randrange(2016, 2023), organisation=organisation, by=office)
    for n in range(60):
        member = make_member(organisation=rng.choice(organisations),
                             status=Member.Status.REMOVED if n == 7 else Member.Status.ACTIVE)
        for year in range(2013, 2023):
            if rng.random() < 0.93:
                level = rng.choice(MEMBER_LEGACY if year < 2018 else MEMBER_LEVELS)
                Rating.objects.create(year=year, member=member, level=level)
        if rng.random() < 0.2:
            _record(rng.randrange(2016, 2023), member=member, by=office, five_years=rng.random() < 0.8)
    return office


def _one_by_one(year: int) -> set[tuple]:
    expected = set()
    subjects = [(rules.Subject.MEMBER, m, rules.member_candidates, {"member": m})
                for m in Member.objects.exclude(status=Member.Status.REMOVED)]
    from ketnoi.party.models import Organisation
    subjects += [(rules.Subject.ORGANISATION, o, rules.organisation_candidates, {"organisation": o})
                 for o in Organisation.objects.all()]
    for subject, obj, candidates, key in subjects:
        ratings = dict(Rating.objects.filter(**key).values_list("year", "level"))
        awarded = [c.year for c in Commendation.objects.filter(**key, five_years=True, year__lte=year)]
        for c in candidates(ratings, year, five_year_awarded_in=max(awarded, default=None)):
            expected.add((str(subject), obj.pk, str(c.basis), str(c.form), str(c.issuer), c.first_year))
    return expected


@pytest.mark.parametrize("seed", [5, 6])
def test_it_equals_the_rule_applied_subject_by_subject(db, seed):
    office = _random_register(seed)
    p = principal_for(office)
    for year in (2017, 2019, 2020, 2022):
        found = {(c.subject, c.subject_id, c.basis, str(c.candidate.form), str(c.candidate.issuer),
                  c.candidate.first_year) for c in commendation_candidates(p, year=year)}
        assert found == _one_by_one(year), year
    assert any(c.basis == "five_years" for c in commendation_candidates(p, year=2022))


def test_it_proposes_five_years_running_across_the_2018_labels(db):
    cell = make_organisation()
    member = make_member(organisation=cell)
    for year, level in [(2016, "legacy_du_tu_cach_xuat_sac"), (2017, "legacy_du_tu_cach_xuat_sac"),
                        (2018, "xuat_sac"), (2019, "xuat_sac"), (2020, "xuat_sac")]:
        Rating.objects.create(year=year, member=member, level=level)
    found = commendation_candidates(principal_for(make_party_office()), year=2020)
    assert [(c.basis, str(c.candidate.form), c.candidate.first_year) for c in found] == [
        ("five_years", "giay_khen", 2016), ("five_years", "bang_khen", 2016), ("year", "giay_khen", 2020)]


def test_a_year_missing_breaks_the_run(db):
    member = make_member()
    for year in (2015, 2016, 2018, 2019, 2020):
        Rating.objects.create(year=year, member=member, level="xuat_sac" if year >= 2018 else "legacy_du_tu_cach_xuat_sac")
    found = commendation_candidates(principal_for(make_party_office()), year=2020)
    assert [c.basis for c in found] == ["year"]


def test_a_secretary_sees_their_members_only(db):
    r = build_register()
    for member in r.cat_lai_members + r.high_tech_members:
        Rating.objects.create(year=2020, member=member, level="xuat_sac")
    found = commendation_candidates(principal_for(r.high_tech_secretary), year=2020)
    assert {c.subject_id for c in found} == {m.pk for m in r.high_tech_members}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.ADMIN])
def test_it_refuses_everyone_else(db, role):
    with pytest.raises(PermissionDenied):
        commendation_candidates(principal_for(make_user(role)), year=2020)


def test_it_records_a_commendation(db):
    member = make_member()
    commendation = _record(2020, member=member)
    assert Commendation.objects.get() == commendation and commendation.five_years


def test_it_refuses_a_commendation_without_its_decision_or_subject(db):
    office = make_party_office()
    with pytest.raises(ValidationError) as error:
        commendation_record(year=2020, form="giay_khen", issuer="grassroots_committee", issuer_name="Đảng uỷ Chi cục",
                            decision_number=" ", decided_on=date(2021, 1, 10), by=office, member=make_member())
    assert "decision_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        commendation_record(year=2020, form="giay_khen", issuer="grassroots_committee", issuer_name="Đảng uỷ Chi cục",
                            decision_number="1-QĐ", decided_on=date(2021, 1, 10), by=office)
    assert "member" in error.value.message_dict
    assert not Commendation.objects.exists()
