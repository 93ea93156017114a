"""Importing the register from a workbook: all rows or none, every problem named with its row."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ketnoi.audit.models import AuditEvent
from ketnoi.party import services, xlsx
from ketnoi.party.models import Member

from .helpers import build_register, make_member

HEADERS = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng (quyết định)", "Ngày vào Đảng (thẻ)",
           "Ngày chính thức", "Số thẻ đảng", "Tổ chức đảng", "Chức vụ"]


def workbook(rows, headers=HEADERS, title_rows=2) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Danh sách đảng viên Đảng bộ Cục Hải quan TP. Hồ Chí Minh"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("dang-vien.xlsx", out.getvalue())


@pytest.fixture
def r(db):
    return build_register()


def _rows(r):
    return [
        [1, "Lý Thị Mộng Cầm", "Nữ", "12/06/1985", "02/09/2010", None, "02/09/2011", "79.123456", r.high_tech.name,
         "Phó Bí thư"],
        [2, "Tạ Quang Vinh", "nam", datetime(1978, 3, 4), datetime(2001, 5, 19), None, "19-05-2002", 79123457,
         "chi bo chi cuc hai quan khu cong nghe cao", ""],
        [3, "Mạc Văn Toàn", "Nam", 28930, None, "15/09/2008", None, None, r.cat_lai_cell.name, None],
    ]


def test_it_imports_every_row(r):
    created = services.members_import(file=workbook(_rows(r)), by=r.office)
    assert len(created) == 3
    cam = Member.objects.get(full_name="Lý Thị Mộng Cầm")
    assert (cam.gender, cam.born_on, cam.admitted_on, cam.full_member_on, cam.card_number, cam.organisation,
            cam.position) == ("female", date(1985, 6, 12), date(2010, 9, 2), date(2011, 9, 2), "79.123456",
                              r.high_tech, "Phó Bí thư")
    vinh = Member.objects.get(full_name="Tạ Quang Vinh")
    assert (vinh.born_on, vinh.admitted_on, vinh.card_number, vinh.organisation) == (
        date(1978, 3, 4), date(2001, 5, 19), "79123457", r.high_tech)
    toan = Member.objects.get(full_name="Mạc Văn Toàn")
    # An Excel serial date (28930: 16/03/1979), and the card's date when the decision is lost.
    assert (toan.born_on, toan.admitted_on, toan.card_number) == (date(1979, 3, 16), date(2008, 9, 15), None)
    event = AuditEvent.objects.get(action="party.members.imported")
    assert len(event.after["members"]) == 3


def test_it_saves_nothing_and_names_every_bad_row(r):
    rows = _rows(r) + [
        [4, "Trịnh Công Lý", "Nam", "31/02/1980", "01/01/2005", None, None, None, r.high_tech.name, None],
        [5, "", "X", "01/01/1980", None, None, None, None, "Chi bộ không có", None],
    ]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.members_import(file=workbook(rows), by=r.office)
    problems = error.value.message_dict["file"]
    assert "Row 7: Ngày sinh: “31/02/1980” is not a date: write it as dd/mm/yyyy." in problems
    assert "Row 8: Họ và tên: the name is missing." in problems
    assert "Row 8: Giới tính: write Nam or Nữ." in problems
    assert "Row 8: Ngày vào Đảng (quyết định): give the admission decision's date, or the date on the card." in problems
    assert "Row 8: Tổ chức đảng: “Chi bộ không có” is not an open organisation of the register." in problems
    assert Member.objects.count() == 6


def test_it_saves_nothing_when_the_service_refuses_a_row(r):
    rows = _rows(r)
    rows[2][3] = "01/01/2010"  # born after the admission
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.members_import(file=workbook(rows), by=r.office)
    assert error.value.message_dict["file"] == [
        "Row 6: Ngày sinh: The date of birth must come before the admission."]
    assert not Member.objects.filter(full_name="Lý Thị Mộng Cầm").exists()
    assert not AuditEvent.objects.filter(action__startswith="party.member").exists()


def test_it_refuses_a_card_number_twice_in_the_file(r):
    rows = _rows(r)
    rows[1][7] = "79.123456"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.members_import(file=workbook(rows), by=r.office)
    assert error.value.message_dict["file"] == ["Row 5: Số thẻ đảng: 79.123456 is also on row 4."]


def test_it_refuses_a_card_number_already_in_the_register(r):
    make_member(card_number="79123457")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.members_import(file=workbook(_rows(r)), by=r.office)
    assert error.value.message_dict["file"] == ["Row 5: Số thẻ đảng: Another member has this party card number."]


def test_it_checks_everything_and_saves_nothing_on_a_dry_run(r):
    created = services.members_import(file=workbook(_rows(r)), by=r.office, dry_run=True)
    assert len(created) == 3
    assert Member.objects.count() == 6


def test_it_finds_the_columns_in_any_order_without_accents(r):
    headers = ["to chuc dang", "ho va ten", "ngay sinh", "gioi tinh", "ngay vao dang (quyet dinh)"]
    rows = [[r.high_tech.name, "Khổng Minh Nhật", "01/02/1990", "Nam", "03/02/2015"]]
    services.members_import(file=workbook(rows, headers=headers, title_rows=0), by=r.office)
    assert Member.objects.get(full_name="Khổng Minh Nhật").admitted_on == date(2015, 2, 3)


def test_it_refuses_a_file_without_the_headers(r):
    with pytest.raises(ValidationError) as error:
        services.members_import(file=workbook([["a", "b"]], headers=["Tên", "Ngày"]), by=r.office)
    assert "file" in error.value.message_dict


def test_it_refuses_what_is_not_a_workbook(r):
    with pytest.raises(ValidationError):
        services.members_import(file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really"), by=r.office)


def test_it_refuses_an_empty_register(r):
    with pytest.raises(ValidationError):
        services.members_import(file=workbook([]), by=r.office)


def test_it_refuses_a_secretary(r):
    with pytest.raises(PermissionDenied):
        services.members_import(file=workbook(_rows(r)), by=r.high_tech_secretary)


def test_it_imports_the_filled_in_template(r):
    book = load_workbook(io.BytesIO(xlsx.template()))
    sheet = book.active
    assert [c.value for c in sheet[xlsx.HEADER_ROW]][:3] == ["Họ và tên", "Giới tính", "Ngày sinh"]
    organisations = [row[0] for row in book["To chuc"].iter_rows(min_row=2, values_only=True)]
    assert r.high_tech.name in organisations
    sheet.append(["Lương Thị Hoài", "Nữ", "05/05/1992", "19/05/2016", None, "19/05/2017", "79000777",
                  r.high_tech.name, None])
    out = io.BytesIO()
    book.save(out)
    services.members_import(file=SimpleUploadedFile("mau.xlsx", out.getvalue()), by=r.office)
    assert Member.objects.get(card_number="79000777").full_name == "Lương Thị Hoài"
