"""The party API: badge eligibility, commendation candidates, a member's record; the party
office only, every list and record read logged."""

from datetime import date

import pytest

from ketnoi.accounts.models import Role
from ketnoi.cases.tests.api_helpers import World, assert_error
from ketnoi.party.models import MemberRead, Rating
from ketnoi.testing import make_user

from .helpers import build_register, make_member


@pytest.fixture
def pw(db):
    world = World()
    world.r = build_register()
    return world


def test_it_lists_the_badges_due_on_an_occasion(pw):
    r = pw.get("/party/badge-eligibility", {"on": "2021-02-03"}, as_=pw.party)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["on"] == "2021-02-03" and data["count"] == 2
    by_id = {item["member_id"]: item for item in data["items"]}
    hung = by_id[pw.r.cat_lai_members[0].pk]
    assert (hung["full_name"], hung["threshold"], hung["reaches_on"], hung["gift_amount"], hung["early_ground"]) == (
        "Nguyễn Văn Hùng", 30, "2021-02-03", 2_235_000, "")
    read = MemberRead.objects.get(user=pw.party)
    assert (read.channel, read.member, read.detail) == ("api", None, "badge eligibility 03/02/2021: 2")


def test_it_narrows_to_an_organisation_and_those_below_it(pw):
    veteran = make_member(organisation=pw.r.cat_lai_cell, admitted=date(1980, 5, 19))
    r = pw.get("/party/badge-eligibility", {"on": "2021-02-03", "organisation": str(pw.r.cat_lai.pk)}, as_=pw.party)
    assert {item["member_id"] for item in r.json()["items"]} == {pw.r.cat_lai_members[0].pk, veteran.pk}
    assert_error(pw.get("/party/badge-eligibility", {"on": "2021-02-03", "organisation": "999999"}, as_=pw.party),
                 404, "not_found")


def test_it_defaults_to_the_next_occasion(pw):
    r = pw.get("/party/badge-eligibility", as_=pw.party)
    assert r.status_code == 200 and date.fromisoformat(r.json()["on"]).strftime("%d/%m") in {
        "03/02", "19/05", "02/09", "07/11"}


@pytest.mark.parametrize("value", ["03/02/2021", "2021-02-30", "2021-2-3", "tomorrow", "20210203"])
def test_a_bad_date_is_a_400_naming_the_field(pw, value):
    error = assert_error(pw.get("/party/badge-eligibility", {"on": value}, as_=pw.party), 400, "invalid")
    assert set(error["details"]) == {"on"}
    assert "YYYY-MM-DD" in error["message"]


def test_a_bad_organisation_is_a_400_naming_the_field(pw):
    error = assert_error(pw.get("/party/badge-eligibility", {"on": "2021-02-03", "organisation": "cat-lai"},
                                as_=pw.party), 400, "invalid")
    assert set(error["details"]) == {"organisation"}


def test_it_lists_the_commendation_candidates_of_a_year(pw):
    member = pw.r.high_tech_members[0]
    for year in range(2016, 2021):
        Rating.objects.create(year=year, member=member, level="xuat_sac" if year >= 2018 else "legacy_du_tu_cach_xuat_sac")
    Rating.objects.create(year=2020, organisation=pw.r.high_tech, level="xuat_sac_tieu_bieu")
    r = pw.get("/party/commendation-candidates", {"year": "2020"}, as_=pw.party)
    assert r.status_code == 200, r.content
    items = r.json()["items"]
    assert [(i["subject"], i["id"], i["basis"], i["form"], i["first_year"]) for i in items] == [
        ("member", member.pk, "five_years", "giay_khen", 2016), ("member", member.pk, "five_years", "bang_khen", 2016),
        ("member", member.pk, "year", "giay_khen", 2020),
        ("organisation", pw.r.high_tech.pk, "year", "giay_khen", 2020)]
    assert items[2]["label"] == "Certificate of merit — Grassroots party committee (in the year, 2020)"
    assert MemberRead.objects.filter(user=pw.party, channel="api").exists()


@pytest.mark.parametrize("value", [None, "", "năm 2020", "1800", "20.5"])
def test_a_bad_year_is_a_400_naming_the_field(pw, value):
    error = assert_error(pw.get("/party/commendation-candidates", {} if value is None else {"year": value},
                                as_=pw.party), 400, "invalid")
    assert set(error["details"]) == {"year"}


def test_it_shows_a_members_record_and_logs_the_read(pw):
    member = pw.r.cat_lai_members[0]
    Rating.objects.create(year=2020, member=member, level="tot")
    r = pw.get(f"/party/members/{member.pk}", as_=pw.party)
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["full_name"], data["admitted_on"], data["organisation"]["id"]) == (
        "Nguyễn Văn Hùng", "1991-02-03", pw.r.cat_lai.pk)
    assert data["ratings"] == [{"year": 2020, "level": "tot", "label": "Completed tasks well"}]
    read = MemberRead.objects.get(user=pw.party)
    assert (read.channel, read.member) == ("api", member)


def test_an_unknown_member_is_a_404(pw):
    assert_error(pw.get("/party/members/999999", as_=pw.party), 404, "not_found")


PATHS = ["/party/badge-eligibility?on=2021-02-03", "/party/badge-eligibility?on=not-a-date",
         "/party/commendation-candidates?year=2020", "/party/members/{id}"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["business", "operator", "officer", "leader", "coordinator", "admin", "secretary"])
def test_everyone_but_the_party_office_gets_403_and_reads_nothing(pw, path, who):
    user = pw.r.cat_lai_secretary if who == "secretary" else getattr(pw, who)
    r = pw.get(path.format(id=pw.r.cat_lai_members[0].pk), as_=user)
    assert_error(r, 403, "forbidden")
    assert not MemberRead.objects.exists()


@pytest.mark.parametrize("path", PATHS)
def test_it_asks_for_a_token(pw, path):
    assert_error(pw.get(path.format(id=pw.r.cat_lai_members[0].pk)), 401, "unauthenticated")


def test_a_superuser_without_the_party_role_gets_403(pw):
    root = make_user(Role.ADMIN, username="root")
    root.is_superuser = True
    root.save()
    assert_error(pw.get(f"/party/members/{pw.r.cat_lai_members[0].pk}", as_=root), 403, "forbidden")
