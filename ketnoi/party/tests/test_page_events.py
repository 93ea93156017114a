"""Ceremonies and conferences (awards presented, contributions) and creative models (their links
to a dialogue programme and price commitments, with the live figures): list, detail, create."""

from datetime import date, time

import pytest

from ketnoi.dialogue.models import Programme
from ketnoi.party.models import BadgeAward, Contribution, Event, Initiative
from ketnoi.testing import make_unit

from .helpers import build_register
from .page_helpers import REFUSED, assert_refused, counts, error_summary, log_in, refused_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    r = build_register()
    r.conference = Event.objects.create(kind=Event.Kind.CONFERENCE, held_on=date(2021, 1, 19), organisation=r.committee,
                                        name="Hội nghị tổng kết công tác xây dựng Đảng năm 2020 và kỷ niệm 91 năm thành lập Đảng")
    return r


def test_the_party_office_records_an_event_and_opens_it(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/su-kien/", {"kind": "ceremony", "name": "Lễ trao Huy hiệu Đảng đợt 3/2/2021",
                                                 "held_on": "03/02/2021", "organisation": r.cat_lai.pk,
                                                 "place": "Hội trường Chi cục Hải quan cửa khẩu cảng Cát Lái"})
    created = Event.objects.get(name="Lễ trao Huy hiệu Đảng đợt 3/2/2021")
    assert response.status_code == 302 and response["Location"] == f"/dang-bo/su-kien/{created.pk}/"
    BadgeAward.objects.create(member=r.cat_lai_members[0], threshold=30, decision_number="130-QĐ/ĐU",
                              decided_on=date(2021, 1, 28), occasion=date(2021, 2, 3), event=created, gift_amount=2_235_000)
    page = text(client.get(f"/dang-bo/su-kien/{created.pk}/"))
    assert "Nguyễn Văn Hùng" in page and "2.235.000 ₫" in page
    assert "Lễ trao Huy hiệu Đảng đợt 3/2/2021" in text(client.get("/dang-bo/su-kien/"))


def test_an_event_without_a_name_is_a_400_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/su-kien/", {"kind": "ceremony", "held_on": "03/02/2021", "organisation": r.cat_lai.pk})
    assert response.status_code == 400 and "Write the event's name." in error_summary(response)
    assert counts() == before


def test_the_party_office_adds_a_contribution_to_a_conference(client, r):
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/su-kien/{r.conference.pk}/tham-luan/", {
        "organisation": r.high_tech.pk, "title": "Mô hình “Cà phê sáng cùng doanh nghiệp” tại Khu công nghệ cao",
        "presenter": "Đoàn Thị Kim Oanh"})
    assert response.status_code == 302
    assert "Cà phê sáng cùng doanh nghiệp" in text(client.get(f"/dang-bo/su-kien/{r.conference.pk}/"))


def test_a_contribution_without_a_title_is_a_400(client, r):
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/su-kien/{r.conference.pk}/tham-luan/", {"organisation": r.high_tech.pk})
    assert response.status_code == 400 and "Write the contribution's title." in error_summary(response)
    assert not Contribution.objects.exists()


def test_the_party_office_records_a_creative_model_linked_to_a_programme(client, r):
    programme = Programme.objects.create(unit=make_unit(), name="Cà phê sáng cùng doanh nghiệp Khu công nghệ cao",
        rrule="FREQ=MONTHLY;BYDAY=1TU", starts_on=date(2020, 3, 3), start_time=time(7, 30), end_time=time(9, 0),
        venue="Chi cục Hải quan Khu công nghệ cao", capacity=20, created_by=r.office)
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/mo-hinh/", {"organisation": r.high_tech.pk, "name": "Cà phê sáng cùng doanh nghiệp",
                                                  "started_on": "03/03/2020", "status": "running",
                                                  "programme": programme.pk, "recognition": "Bằng khen của Thành uỷ"})
    created = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dang-bo/mo-hinh/{created.pk}/"
    page = text(client.get(f"/dang-bo/mo-hinh/{created.pk}/"))
    assert programme.name in page and "Sessions held: 0" in page and "Bằng khen của Thành uỷ" in page
    assert "Cà phê sáng cùng doanh nghiệp" in text(client.get("/dang-bo/mo-hinh/"))


def test_a_creative_model_without_a_start_is_a_400(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/mo-hinh/", {"organisation": r.high_tech.pk, "name": "Mô hình thử", "status": "running"})
    assert response.status_code == 400 and "This field is required." in error_summary(response)
    assert counts() == before


def test_a_secretary_reads_but_does_not_write(client, r):
    log_in(client, r.cat_lai_secretary)
    assert client.get("/dang-bo/su-kien/").status_code == 200
    assert client.get("/dang-bo/mo-hinh/").status_code == 200
    assert client.post("/dang-bo/su-kien/", {"kind": "ceremony", "name": "x", "held_on": "03/02/2021",
                                             "organisation": r.cat_lai.pk}).status_code == 403
    assert Event.objects.count() == 1


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everyone_else(client, r, name):
    log_in(client, refused_user(name))
    for url in ["/dang-bo/su-kien/", f"/dang-bo/su-kien/{r.conference.pk}/", "/dang-bo/mo-hinh/"]:
        assert_refused(client.get(url), r.conference.name)
    assert_refused(client.post("/dang-bo/su-kien/", {"kind": "ceremony", "name": "x", "held_on": "03/02/2021",
                                                     "organisation": r.cat_lai.pk}))
    assert_refused(client.post("/dang-bo/mo-hinh/", {"organisation": r.high_tech.pk, "name": "x", "started_on": "03/03/2020",
                                                     "status": "running"}))
    assert Event.objects.count() == 1 and not Initiative.objects.exists()


def _ceremony_with_decided_awards(r):
    ceremony = Event.objects.create(kind=Event.Kind.CEREMONY, held_on=date(2021, 2, 3), organisation=r.committee,
                                    name="Lễ trao Huy hiệu Đảng đợt 3/2/2021")
    due = BadgeAward.objects.create(member=r.cat_lai_members[0], threshold=30, decision_number="130-QĐ/ĐU",
                                    decided_on=date(2021, 1, 28), occasion=date(2021, 2, 3), gift_amount=2_235_000)
    old = BadgeAward.objects.create(member=r.cat_lai_members[1], threshold=30, decision_number="12-QĐ/ĐU",
                                    decided_on=date(2019, 1, 20), occasion=date(2019, 2, 3), gift_amount=2_085_000)
    return ceremony, due, old


def test_the_party_office_marks_decided_awards_as_presented_at_a_ceremony(client, r):
    ceremony, due, old = _ceremony_with_decided_awards(r)
    log_in(client, r.office, "en")
    page = client.get(f"/dang-bo/su-kien/{ceremony.pk}/").content.decode()
    assert f'name="badge" value="{due.pk}"' in page
    assert f'value="{old.pk}"' not in page  # decided two years before: not waiting for this ceremony
    response = client.post(f"/dang-bo/su-kien/{ceremony.pk}/trao/", {"badge": [str(due.pk), str(old.pk)]})
    assert response.status_code == 302
    due.refresh_from_db(), old.refresh_from_db()
    assert due.event == ceremony and old.event is None  # an id not offered is ignored
    assert "130-QĐ/ĐU" in text(client.get(f"/dang-bo/su-kien/{ceremony.pk}/"))


def test_presenting_nothing_is_a_400_that_says_what_to_do(client, r):
    ceremony, due, _old = _ceremony_with_decided_awards(r)
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/su-kien/{ceremony.pk}/trao/", {})
    assert response.status_code == 400 and "Tick the badges and commendations" in response.content.decode()
    due.refresh_from_db()
    assert due.event is None


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_party_office_presents_awards(client, r, role):
    ceremony, due, _old = _ceremony_with_decided_awards(r)
    user = refused_user(role)
    if user is not None:
        client.force_login(user)
    assert_refused(client.post(f"/dang-bo/su-kien/{ceremony.pk}/trao/", {"badge": [str(due.pk)]}), "130-QĐ/ĐU")
    due.refresh_from_db()
    assert due.event is None


def _programme(r):
    return Programme.objects.create(unit=make_unit(), name="Cà phê sáng cùng doanh nghiệp Khu công nghệ cao",
                                    rrule="FREQ=MONTHLY;BYDAY=1TU", starts_on=date(2020, 3, 3), start_time=time(7, 30),
                                    end_time=time(9, 0), venue="Chi cục Hải quan Khu công nghệ cao", capacity=20,
                                    created_by=r.office)


def test_the_party_office_links_a_creative_model_to_its_programme_later(client, r):
    model = Initiative.objects.create(organisation=r.high_tech, name="Cà phê sáng cùng doanh nghiệp",
                                      started_on=date(2020, 3, 3))
    programme = _programme(r)
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/mo-hinh/{model.pk}/lien-ket/", {"programme": programme.pk})
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.programme == programme
    assert "Sessions held: 0" in text(client.get(f"/dang-bo/mo-hinh/{model.pk}/"))


def test_linking_nothing_is_a_400_and_changes_nothing(client, r):
    model = Initiative.objects.create(organisation=r.high_tech, name="Cà phê sáng cùng doanh nghiệp",
                                      started_on=date(2020, 3, 3))
    log_in(client, r.office, "en")
    response = client.post(f"/dang-bo/mo-hinh/{model.pk}/lien-ket/", {})
    assert response.status_code == 400
    assert "Choose the dialogue programme or the price commitments to link." in error_summary(response)
    model.refresh_from_db()
    assert model.programme is None


@pytest.mark.parametrize("role", REFUSED + ["secretary"])
def test_only_the_party_office_links_a_creative_model(client, r, role):
    model = Initiative.objects.create(organisation=r.high_tech, name="Cà phê sáng cùng doanh nghiệp",
                                      started_on=date(2020, 3, 3))
    user = r.high_tech_secretary if role == "secretary" else refused_user(role)
    if user is not None:
        client.force_login(user)
    response = client.post(f"/dang-bo/mo-hinh/{model.pk}/lien-ket/", {"programme": _programme(r).pk})
    assert response.status_code in (302, 403) and (response.status_code == 403 or "/accounts/login/" in response["Location"])
    model.refresh_from_db()
    assert model.programme is None
