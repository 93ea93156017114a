"""Commendations of a year: the candidates (in the year, five years running, the levels offered)
and the commendations recorded; recording one from a candidate's row."""

from datetime import date

import pytest

from ketnoi.party.models import Commendation, MemberRead, Rating

from .helpers import build_register
from .page_helpers import REFUSED, assert_refused, counts, error_summary, log_in, refused_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    r = build_register()
    r.star = r.high_tech_members[0]
    for year in range(2016, 2021):
        Rating.objects.create(year=year, member=r.star, level="xuat_sac" if year >= 2018 else "legacy_du_tu_cach_xuat_sac")
    Rating.objects.create(year=2020, member=r.cat_lai_members[0], level="xuat_sac")
    return r


def record(r, **extra):
    return {"subject": "member", "subject_id": r.star.pk, "five_years": "on", "form": "bang_khen",
            "issuer": "provincial_standing", "issuer_name": "Ban Thường vụ Thành uỷ TP. Hồ Chí Minh",
            "decision_number": "2150-QĐ/TU", "decided_on": "25/01/2021", **extra}


def test_it_lists_the_candidates_with_the_levels_offered(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/khen-thuong/2020/")
    assert response.status_code == 200
    page = text(response)
    assert "Certificate of merit (provincial level) — Standing committee of the city party committee" in page
    html = response.content.decode()
    assert html.count('class="party-candidate-five_years"') == 2 and html.count('class="party-candidate-year"') == 2
    assert "Nguyễn Văn Hùng" in page and "Đặng Minh Khôi" in page
    assert MemberRead.objects.get(user=r.office).detail == "commendation candidates 2020: 2"


def test_the_party_office_records_a_commendation_from_a_candidate(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/khen-thuong/2020/ghi/", record(r))
    assert response.status_code == 302
    found = Commendation.objects.get(member=r.star)
    assert (found.year, found.form, found.issuer, found.five_years, found.decided_on) == (
        2020, "bang_khen", "provincial_standing", True, date(2021, 1, 25))
    page = text(client.get("/dang-bo/khen-thuong/2020/"))
    assert "2150-QĐ/TU, 25/01/2021" in page


def test_a_decision_before_the_year_is_a_400_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/khen-thuong/2020/ghi/", record(r, decided_on="25/12/2019"))
    assert response.status_code == 400 and "A commendation for 2020 is decided in 2020 or later." in error_summary(response)
    assert counts() == before


def test_a_missing_decision_number_is_a_400(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/khen-thuong/2020/ghi/", record(r, decision_number=""))
    assert response.status_code == 400 and "Write the number of the decision." in error_summary(response)
    assert not Commendation.objects.exists()


def test_a_secretary_sees_their_candidates_and_cannot_record(client, r):
    log_in(client, r.cat_lai_secretary, "en")
    page = text(client.get("/dang-bo/khen-thuong/2020/"))
    assert "Nguyễn Văn Hùng" in page and r.star.full_name not in page
    assert client.post("/dang-bo/khen-thuong/2020/ghi/", record(r)).status_code == 403
    assert not Commendation.objects.exists()


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everyone_else(client, r, name):
    log_in(client, refused_user(name))
    assert_refused(client.get("/dang-bo/khen-thuong/2020/"), r.star.full_name)
    assert_refused(client.post("/dang-bo/khen-thuong/2020/ghi/", record(r)))
    assert not Commendation.objects.exists() and not MemberRead.objects.exists()
