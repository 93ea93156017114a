"""Ratings of a year: counts by level and the Xuất sắc quota per grassroots organisation, entering
a member's or an organisation's rating, and the XLSX import (all or nothing, rows named)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ketnoi.party.models import Rating

from .helpers import build_register
from .page_helpers import REFUSED, assert_refused, counts, error_summary, log_in, refused_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def r():
    return build_register()


def ratings_file(*rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Số thẻ đảng", "Xếp loại"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("xep-loai.xlsx", out.getvalue())


def test_it_counts_by_level_and_warns_when_the_quota_is_broken(client, r):
    for member in r.cat_lai_members + r.cell_members[:1]:
        Rating.objects.create(year=2020, member=member, level="xuat_sac")
    Rating.objects.create(year=2020, member=r.cell_members[1], level="tot")
    Rating.objects.create(year=2020, member=r.high_tech_members[0], level="tot")
    log_in(client, r.office, "en")
    response = client.get("/dang-bo/xep-loai/2020/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'id="quota-{r.cat_lai.pk}"'):]
    row = row[:row.index("</tr>")]
    assert 'class="party-broken"' in row and "party-warning" in row
    # 3 Xuất sắc against a limit of 0 (20 % of 4): the message carries the numbers.
    assert "3 members rated Completed tasks excellently, over the limit of 0 (20% of 4" in text(response)
    high_tech = html[html.index(f'id="quota-{r.high_tech.pk}"'):]
    assert "party-broken" not in high_tech[:high_tech.index("</tr>")]


def test_the_party_office_rates_a_member_by_card_number_and_sees_the_quota_warning(client, r):
    Rating.objects.create(year=2020, member=r.cat_lai_members[1], level="tot")
    log_in(client, r.office, "en")
    member = r.cat_lai_members[0]
    response = client.post("/dang-bo/xep-loai/2020/dang-vien/", {"card_number": member.card_number, "level": "xuat_sac"},
                           follow=True)
    page = text(response)
    assert "The rating of Nguyễn Văn Hùng for 2020 was saved." in page and "over the limit of 0" in page
    assert Rating.objects.get(member=member, year=2020).level == "xuat_sac"


def test_a_legacy_label_after_2017_is_a_400_and_nothing_is_written(client, r):
    log_in(client, r.office, "en")
    before = counts()
    response = client.post("/dang-bo/xep-loai/2020/dang-vien/", {"card_number": r.cat_lai_members[0].card_number,
                                                                  "level": "legacy_du_tu_cach_tot"})
    assert response.status_code == 400 and "The labels used before 2018" in error_summary(response)
    assert counts() == before


def test_an_unknown_card_number_is_a_400(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/xep-loai/2020/dang-vien/", {"card_number": "00000000", "level": "tot"})
    assert response.status_code == 400 and "No member has this party card number." in error_summary(response)
    assert not Rating.objects.exists()


def test_the_party_office_rates_an_organisation(client, r):
    log_in(client, r.office, "en")
    response = client.post("/dang-bo/xep-loai/2020/to-chuc/", {"organisation": r.high_tech.pk, "level": "xuat_sac_tieu_bieu"})
    assert response.status_code == 302
    assert Rating.objects.get(organisation=r.high_tech, year=2020).level == "xuat_sac_tieu_bieu"
    assert "Completed tasks excellently" in text(client.get("/dang-bo/xep-loai/2020/"))


def test_an_import_with_a_bad_row_names_it_and_writes_nothing(client, r):
    log_in(client, r.office, "en")
    upload = ratings_file(["Nguyễn Văn Hùng", r.cat_lai_members[0].card_number, "Hoàn thành tốt nhiệm vụ"],
                          ["Lê Quốc Bảo", "99999999", "Hoàn thành nhiệm vụ"])
    response = client.post("/dang-bo/xep-loai/2020/nhap/", {"file": upload})
    assert response.status_code == 400
    assert "Row 2: no member has the party card number 99999999." in text(response)
    assert not Rating.objects.exists()


def test_a_valid_import_says_how_many(client, r):
    log_in(client, r.office, "en")
    upload = ratings_file(["Nguyễn Văn Hùng", r.cat_lai_members[0].card_number, "Hoàn thành tốt nhiệm vụ"],
                          ["Lê Quốc Bảo", r.cell_members[0].card_number, "hoan thanh nhiem vu"])
    response = client.post("/dang-bo/xep-loai/2020/nhap/", {"file": upload}, follow=True)
    assert "2 ratings were imported." in text(response)
    assert Rating.objects.filter(year=2020).count() == 2


def test_a_year_out_of_range_is_a_404(client, r):
    log_in(client, r.office)
    assert client.get("/dang-bo/xep-loai/1800/").status_code == 404


def test_a_secretary_sees_their_organisation_only_and_cannot_rate(client, r):
    Rating.objects.create(year=2020, member=r.high_tech_members[0], level="tot")
    Rating.objects.create(year=2020, member=r.cat_lai_members[0], level="tot")
    log_in(client, r.cat_lai_secretary, "en")
    html = client.get("/dang-bo/xep-loai/2020/").content.decode()
    assert f'id="quota-{r.cat_lai.pk}"' in html and f'id="quota-{r.high_tech.pk}"' not in html
    assert client.post("/dang-bo/xep-loai/2020/dang-vien/", {"card_number": r.cat_lai_members[1].card_number,
                                                              "level": "tot"}).status_code == 403
    assert Rating.objects.count() == 2


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everyone_else(client, r, name):
    Rating.objects.create(year=2020, member=r.cat_lai_members[0], level="tot")
    log_in(client, refused_user(name))
    assert_refused(client.get("/dang-bo/xep-loai/2020/"), r.cat_lai.name)
    assert_refused(client.post("/dang-bo/xep-loai/2020/dang-vien/", {"card_number": r.cat_lai_members[1].card_number,
                                                                      "level": "tot"}))
    assert_refused(client.post("/dang-bo/xep-loai/2020/to-chuc/", {"organisation": r.cat_lai.pk, "level": "tot"}))
    assert Rating.objects.count() == 1
