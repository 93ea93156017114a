"""/dang-bo/nhat-ky-truy-cap/: the access log of party members' data (Decree 13/2023/NĐ-CP), the
party office's only, filtered by member, reader and dates, and downloaded as XLSX."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ketnoi.accounts.access import principal_for
from ketnoi.party import selectors
from ketnoi.party.models import MemberRead

from .helpers import build_register
from .page_helpers import assert_refused, error_summary, log_in, refused_user, text

URL = reverse("party:read_log")
EXPORT = reverse("party:read_log_export")


@pytest.fixture
def r(db):
    r = build_register()
    selectors.member_detail(principal_for(r.cat_lai_secretary), r.cat_lai_members[0], channel="page")
    selectors.member_detail(principal_for(r.office), r.high_tech_members[0], channel="api")
    list(selectors.members(principal_for(r.high_tech_secretary), channel="export", q="khoi"))
    return r


def test_it_shows_the_party_office_who_read_what(client, r):
    response = log_in(client, r.office, "en").get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Access log of party members' data" in page
    assert "Phan Thanh Liêm" in page and "Nguyễn Văn Hùng" in page
    assert "Đặng Minh Khôi" in page and "API" in page
    assert "Đoàn Thị Kim Oanh" in page and "members (q=khoi): 1" in page
    assert "a list" in page


def test_it_filters_by_member_name_without_accents(client, r):
    page = text(log_in(client, r.office, "en").get(URL, {"member": "nguyen van hung"}))
    assert "Nguyễn Văn Hùng" in page
    assert "Đặng Minh Khôi" not in page


def test_it_filters_by_member_number(client, r):
    page = text(log_in(client, r.office, "en").get(URL, {"member": str(r.high_tech_members[0].pk)}))
    assert "Đặng Minh Khôi" in page
    assert "Nguyễn Văn Hùng" not in page


def test_it_filters_by_reader(client, r):
    page = text(log_in(client, r.office, "en").get(URL, {"reader": r.high_tech_secretary.username}))
    assert "members (q=khoi): 1" in page
    assert "Nguyễn Văn Hùng" not in page


def test_it_filters_by_dates(client, r):
    old = MemberRead.objects.get(member=r.cat_lai_members[0])  # moved 40 days back in SQL (append-only)
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MemberRead._meta.db_table} SET at = %s WHERE id = %s",
                       [timezone.now() - timedelta(days=40), old.pk])
    today = timezone.localdate()
    page = text(log_in(client, r.office, "en").get(URL, {"date_from": f"{today - timedelta(days=7):%d/%m/%Y}",
                                                         "date_to": f"{today:%d/%m/%Y}"}))
    assert "Nguyễn Văn Hùng" not in page
    assert "Đặng Minh Khôi" in page


def test_it_says_what_to_do_with_dates_the_wrong_way_round(client, r):
    response = log_in(client, r.office, "en").get(URL, {"date_from": "02/02/2026", "date_to": "01/02/2026"})
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in error_summary(response)


def test_a_member_written_with_other_digits_is_a_name_not_a_500(client, r):
    response = log_in(client, r.office, "en").get(URL, {"member": "²"})
    assert response.status_code == 200
    assert "No read matches." in text(response)


def test_it_rejects_a_date_it_cannot_read(client, r):
    response = log_in(client, r.office, "en").get(URL, {"date_from": "hôm qua"})
    assert response.status_code == 400


def test_reading_the_log_is_logged(client, r):
    log_in(client, r.office, "en").get(URL, {"reader": "oanh"})
    read = MemberRead.objects.order_by("-id").first()
    assert read.user == r.office
    assert read.detail.startswith("read log (reader=oanh)")


def test_it_exports_the_filtered_log_as_xlsx(client, r):
    response = log_in(client, r.office, "en").get(EXPORT, {"member": "hung"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Time", "Read by", "User name", "How", "Member")
    assert len(rows) == 2
    assert rows[1][1] == "Phan Thanh Liêm" and rows[1][4] == "Nguyễn Văn Hùng"
    assert rows[1][5] == r.cat_lai_members[0].pk
    assert MemberRead.objects.order_by("-id").first().channel == "export"


# Every role is in the access matrix (access_rules.py); these are the ones that matter most.
@pytest.mark.parametrize("who", ["secretary", "anonymous", "admin", "superuser"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_it_refuses_everyone_but_the_party_office(client, r, who, url):
    user = r.high_tech_secretary if who == "secretary" else refused_user(who)
    before = MemberRead.objects.count()
    assert_refused(log_in(client, user).get(url), "Nguyễn Văn Hùng")
    assert MemberRead.objects.count() == before


def test_it_rejects_a_post(client, r):
    assert log_in(client, r.office).post(URL).status_code == 405
