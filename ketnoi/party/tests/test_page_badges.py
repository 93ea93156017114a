"""Badges: the occasion picker, the list by threshold with party age, organisation and cash
gift, early awards flagged for decision, the printable list and the XLSX, recording an award."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from ketnoi.party.models import BadgeAward, Event, Member, MemberRead

from .helpers import build_register, make_member
from .page_helpers import REFUSED, assert_refused, counts, error_summary, log_in, refused_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    r = build_register()
    # 30 years on 19/01/2021 (the year-end conference), and one reaching 40 years that day.
    r.thirty = make_member(organisation=r.cat_lai_cell, full_name="Mai Xuân Thưởng", admitted=date(1991, 1, 19))
    r.forty = make_member(organisation=r.high_tech, full_name="Tôn Nữ Hoài An", admitted=date(1981, 1, 10))
    r.ill = make_member(organisation=r.high_tech, full_name="Quách Văn Tài", admitted=date(1991, 8, 2), seriously_ill=True)
    return r


def test_it_lists_the_members_by_threshold_with_party_age_and_gift(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/huy-hieu/?on=2021-01-19")
    assert response.status_code == 200
    html = response.content.decode()
    thirty = html[html.index('id="threshold-30"'):html.index("</table>", html.index('id="threshold-30"'))]
    assert "Mai Xuân Thưởng" in thirty and "Đặng Minh Khôi" in thirty and "Nguyễn Văn Hùng" not in thirty
    row = thirty[thirty.index(f'id="badge-{r.thirty.pk}-30"'):]
    row = row[:row.index("</tr>")]
    assert "30 years 0 months" in row and "2.235.000 ₫" in row and r.cat_lai_cell.name in row
    forty = html[html.index('id="threshold-40"'):]
    assert "Tôn Nữ Hoài An" in forty[:forty.index("</table>")] and "2.980.000 ₫" in forty[:forty.index("</table>")]
    read = MemberRead.objects.get(user=r.office)
    assert read.detail.startswith("badge eligibility 19/01/2021")


def test_an_early_award_is_flagged_for_decision_with_its_ground(client, r):
    log_in(client, r.office, "en")
    html = client.get("/dang-bo/huy-hieu/?on=2021-02-03").content.decode()
    row = html[html.index(f'id="badge-{r.ill.pk}-30"'):]
    row = row[:row.index("</tr>")]
    assert 'class="party-early"' in row and "for decision" in row and "Seriously ill, early award" in row


def test_it_offers_the_next_four_occasions_and_narrows_to_an_organisation(client, r):
    log_in(client, r.office, "en")
    response = client.get(f"/dang-bo/huy-hieu/?on=2021-01-19&organisation={r.cat_lai.pk}")
    page = text(response)
    assert "Mai Xuân Thưởng" in page and "Đặng Minh Khôi" not in page
    html = response.content.decode()
    occasions = html[html.index('class="party-occasions"'):html.index("</div>", html.index('class="party-occasions"'))]
    assert sorted(day[5:] for day in re.findall(r"on=(\d{4}-\d\d-\d\d)", occasions)) == [
        "02-03", "05-19", "09-02", "11-07"]


def test_a_bad_date_is_a_400_with_the_message(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/huy-hieu/?on=2021-02-30")
    assert response.status_code == 400 and "Write the date as dd/mm/yyyy" in error_summary(response)
    assert "Mai Xuân Thưởng" not in response.content.decode()


def test_the_printable_list_has_signature_lines_and_no_navigation(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/huy-hieu/in/?on=2021-01-19")
    html = response.content.decode()
    assert response.status_code == 200 and "Mai Xuân Thưởng" in html
    assert 'class="site-nav"' not in html and "party-tabs" not in html
    # Khôi, Thưởng and the ill Tài (early, within 12 months) for 30 years; An for 40.
    assert html.count('class="party-signature"') == 4 and "party-sign-line" in html


def test_the_list_downloads_as_xlsx(client, r):
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/huy-hieu/danh-sach.xlsx?on=2021-01-19")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Badge" and {(row[0], row[1]) for row in rows[1:]} >= {(30, "Mai Xuân Thưởng"), (40, "Tôn Nữ Hoài An")}


def test_the_party_office_records_an_award_from_a_row(client, r):
    ceremony = Event.objects.create(kind=Event.Kind.CEREMONY, name="Hội nghị tổng kết năm 2020", held_on=date(2021, 1, 19),
                                    organisation=r.committee)
    log_in(client, r.office, "en")
    form = client.get(f"/dang-bo/huy-hieu/trao/?member={r.thirty.pk}&threshold=30&on=2021-01-19")
    assert form.status_code == 200 and "30-year badge for Mai Xuân Thưởng" in text(form)
    response = client.post("/dang-bo/huy-hieu/trao/", {
        "member": r.thirty.pk, "threshold": 30, "occasion": "19/01/2021", "decision_number": "125-QĐ/ĐU",
        "decided_on": "12/01/2021", "event": ceremony.pk})
    assert response.status_code == 302 and response["Location"] == "/dang-bo/huy-hieu/?on=2021-01-19"
    award = BadgeAward.objects.get(member=r.thirty)
    assert (award.threshold, award.decision_number, award.event, award.gift_amount) == (30, "125-QĐ/ĐU", ceremony, 2_235_000)
    assert f'id="badge-{r.thirty.pk}-30"' not in client.get("/dang-bo/huy-hieu/?on=2021-01-19").content.decode()


def test_a_badge_not_due_is_a_400_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/huy-hieu/trao/", {
        "member": r.cat_lai_members[1].pk, "threshold": 30, "occasion": "19/01/2021", "decision_number": "126-QĐ/ĐU",
        "decided_on": "12/01/2021"})
    assert response.status_code == 400 and "is not due to Trần Thị Ánh Tuyết" in error_summary(response)
    assert counts() == before


def test_a_missing_decision_number_is_a_400(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/huy-hieu/trao/", {
        "member": r.thirty.pk, "threshold": 30, "occasion": "19/01/2021", "decided_on": "12/01/2021"})
    assert response.status_code == 400 and "Write the number of the award decision." in error_summary(response)
    assert not BadgeAward.objects.exists()


def test_a_secretary_sees_their_members_only_and_cannot_record(client, r):
    log_in(client, r.cat_lai_secretary, "en")
    page = text(client.get("/dang-bo/huy-hieu/?on=2021-01-19"))
    assert "Mai Xuân Thưởng" in page and "Tôn Nữ Hoài An" not in page and "Record the award" not in page
    response = client.post("/dang-bo/huy-hieu/trao/", {
        "member": r.thirty.pk, "threshold": 30, "occasion": "19/01/2021", "decision_number": "1", "decided_on": "12/01/2021"})
    assert response.status_code == 403 and not BadgeAward.objects.exists()


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everyone_else(client, r, name):
    log_in(client, refused_user(name))
    for url in ["/dang-bo/huy-hieu/?on=2021-01-19", "/dang-bo/huy-hieu/in/?on=2021-01-19",
                "/dang-bo/huy-hieu/danh-sach.xlsx?on=2021-01-19", f"/dang-bo/huy-hieu/trao/?member={r.thirty.pk}&threshold=30"]:
        assert_refused(client.get(url), "Mai Xuân Thưởng")
    assert_refused(client.post("/dang-bo/huy-hieu/trao/", {
        "member": r.thirty.pk, "threshold": 30, "occasion": "19/01/2021", "decision_number": "1", "decided_on": "12/01/2021"}))
    assert not BadgeAward.objects.exists() and not MemberRead.objects.exists()
    assert Member.objects.count() == 9
