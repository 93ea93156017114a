"""The price-list workbook: the template an operator downloads and the reading of what it sends
back (every bad row named, nothing saved)."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import lazy
from openpyxl import Workbook, load_workbook

from ketnoi.prices import services, xlsx
from ketnoi.prices.models import PriceList, Service

from .service_helpers import PDF, TARIFF, clock, prices_of, w  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, name="bang-gia.xlsx") -> SimpleUploadedFile:
    """An upload of a workbook whose first sheet holds ``rows`` from A1."""
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX_TYPE)


def as_upload(content: bytes, name="bang-gia.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def problems(upload, language="en") -> list[str]:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        xlsx.read(upload)
    return caught.value.message_dict["file"]


HEADER = ["Service code", "Service", "Unit of charge", "Price (₫)"]


# --- the template and its round trip -------------------------------------------------------

@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_template_filled_in_and_sent_back_reads_as_its_prices(w, language):
    with translation.override(language):
        content = xlsx.template(w.port, TARIFF)
    assert xlsx.read(as_upload(content)) == TARIFF


def test_the_template_lists_the_catalogue_with_the_current_prices(w):
    Service.objects.filter(code="VS20").update(active=False)
    with translation.override("en"):
        content = xlsx.template(w.port, {"NH20": 1_050_000, "DO": 300_000})
    sheet = load_workbook(io.BytesIO(content)).active
    assert "Cảng Tân Thuận Đông – bãi container" in sheet["A1"].value and "Công ty Cổ phần Cảng" in sheet["A1"].value
    assert [c.value for c in sheet[xlsx.HEADER_ROW]] == HEADER
    rows = {row[0]: row for row in sheet.iter_rows(min_row=xlsx.HEADER_ROW + 1, values_only=True)}
    assert sorted(rows) == sorted(Service.objects.filter(active=True).values_list("code", flat=True))
    assert "VS20" not in rows
    assert rows["NH20"] == ("NH20", "Lift-on/lift-off, laden 20' container", "per 20' container", 1_050_000)
    assert rows["DO"][3] == 300_000 and rows["LB20"][3] is None


def test_the_template_filled_in_by_hand_reads_back(w):
    with translation.override("vi"):
        content = xlsx.template(w.port, {})
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    for row in sheet.iter_rows(min_row=xlsx.HEADER_ROW + 1):
        if row[0].value == "NH20":
            row[3].value = 1_100_000
        elif row[0].value == "LB20":
            row[3].value = "55.000"
        elif row[0].value == "DO":
            row[3].value = 300_000.0
    out = io.BytesIO()
    book.save(out)
    assert xlsx.read(as_upload(out.getvalue())) == {"NH20": 1_100_000, "LB20": 55_000, "DO": 300_000}


def test_the_template_s_headers_are_read_back_whatever_their_translation(w, monkeypatch):
    # When "Price (₫)" gets a Vietnamese translation the reader has never heard of, a template
    # downloaded in Vietnamese must still be read (by a reader running in English).
    def vietnamese(vi: str, en: str):
        return lazy(lambda: vi if translation.get_language() == "vi" else en, str)()

    monkeypatch.setitem(xlsx.HEADERS, "code", vietnamese("Mã số dịch vụ", "Service code"))
    monkeypatch.setitem(xlsx.HEADERS, "price", vietnamese("Giá dịch vụ (₫)", "Price (₫)"))
    with translation.override("vi"):
        content = xlsx.template(w.port, TARIFF)
    assert load_workbook(io.BytesIO(content)).active.cell(row=xlsx.HEADER_ROW, column=4).value == "Giá dịch vụ (₫)"
    with translation.override("en"):
        assert xlsx.read(as_upload(content)) == TARIFF


def test_what_is_read_is_what_the_service_files(w):
    prices = xlsx.read(as_upload(xlsx.template(w.port, TARIFF)))
    price_list, _ = services.price_list_file(facility=w.port, prices=prices, effective_from=date(2026, 3, 9),
                                             by=w.operator_user, source=PriceList.Source.XLSX)
    assert prices_of(price_list) == TARIFF and price_list.source == "xlsx"


# --- headers, in either language -----------------------------------------------------------

@pytest.mark.parametrize("code, price", [
    ("Mã dịch vụ", "Đơn giá (đồng)"), ("MÃ DỊCH VỤ", "ĐƠN GIÁ"), ("Mã", "Đơn giá"), ("Service code", "Price (₫)"),
    ("code", "price"), ("  Service   code ", "PRICE (₫)"),
])
def test_it_finds_the_header_in_vietnamese_or_english(db, code, price):
    assert xlsx.read(workbook([[code, "Tên", price], ["NH20", "Nâng hạ", 1_050_000]])) == {"NH20": 1_050_000}


def test_the_columns_may_be_in_any_order_below_a_title(db):
    rows = [["Bảng giá dịch vụ Cảng Tân Thuận Đông năm 2026"], [], ["Ghi chú", "Đơn giá (đồng)", "Mã dịch vụ"],
            [None, "1.050.000", "NH20"], ["mới", 55_000, "lb20"]]
    assert xlsx.read(workbook(rows)) == {"NH20": 1_050_000, "LB20": 55_000}


def test_the_header_must_be_in_the_first_20_rows(db):
    rows = [[f"Dòng {n}"] for n in range(1, 21)] + [HEADER, ["NH20", "", "", 1_050_000]]  # header on row 21
    assert problems(workbook(rows)) == [
        "No header row with “Service code” and “Price (₫)” was found: use the template."]
    assert xlsx.read(workbook(rows[1:])) == {"NH20": 1_050_000}


@pytest.mark.parametrize("rows", [
    [["NH20", 1_050_000]], [["Service code", "Service"], ["NH20", "Nâng hạ"]], [["Dịch vụ", "Giá"], ["NH20", 1]], [],
])
def test_a_sheet_without_the_header_is_refused(db, rows):
    assert problems(workbook(rows)) == [
        "No header row with “Service code” and “Price (₫)” was found: use the template."]


# --- rows --------------------------------------------------------------------------------

def test_empty_rows_and_services_left_empty_are_skipped(db):
    rows = [HEADER, ["NH20", "Nâng hạ", "", 1_050_000], [], [None, None, None, None], ["NH40", "Nâng hạ 40", "cont", None],
            ["LB20", "", "", ""], ["DO", "", "", "   "], ["XX99", "không có", "", None], ["", "", "", ""],
            ["LB40", "", "", "85.000 ₫"]]
    assert xlsx.read(workbook(rows)) == {"NH20": 1_050_000, "LB40": 85_000}


def test_prices_written_as_text_are_read_as_vietnamese_write_them(db):
    rows = [HEADER, ["NH20", "", "", "1.050.000"], ["NH40", "", "", "1 550 000"], ["LB20", "", "", "55,000"],
            ["DO", "", "", "300.000 ₫"], ["LB40", "", "", 85_000.0], ["NR20", "", "", "400000đ"]]
    assert xlsx.read(workbook(rows)) == {"NH20": 1_050_000, "NH40": 1_550_000, "LB20": 55_000, "DO": 300_000,
                                         "LB40": 85_000, "NR20": 400_000}


def test_every_bad_row_is_named_with_its_number(db):
    rows = [["Bảng giá"], HEADER,                            # rows 1–2
            ["NH20", "", "", 1_050_000],                      # 3: fine
            ["XX99", "", "", 100_000],                        # 4: unknown code
            ["NH40", "", "", "một triệu rưỡi"],                # 5: text
            ["LB20", "", "", 0],                              # 6: zero
            ["LB40", "", "", datetime(2026, 3, 1)],           # 7: a date typed in the price cell
            ["nh20", "", "", 1_100_000],                      # 8: priced a second time
            ["", "", "", 300_000],                            # 9: no code
            ["DO", "", "", -300_000],                         # 10: negative
            ["NR20", "", "", 400_000.5],                      # 11: a fraction of a đồng
            ["NR40", "", "", 10**13],                         # 12: far too large
            ["DR20", "", "", "1.250,000"]]                    # 13: 1250 with decimals
    assert problems(workbook(rows)) == [
        "Row 4: “XX99” is not a service code of the catalogue.",
        "Row 5: “một triệu rưỡi” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 6: “0” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 7: “2026-03-01 00:00:00” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 8: NH20 is priced a second time.",
        "Row 9: the service code is missing.",
        "Row 10: “-300000” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 11: “400000.5” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 12: “10000000000000” is not a price. Write a whole number of đồng, e.g. 1250000.",
        "Row 13: “1.250,000” is not a price. Write a whole number of đồng, e.g. 1250000.",
    ]


def test_a_date_cell_is_refused_even_in_the_template(w):
    book = load_workbook(io.BytesIO(xlsx.template(w.port, {})))
    sheet = book.active
    sheet.cell(row=xlsx.HEADER_ROW + 1, column=4).value = date(2026, 4, 1)
    out = io.BytesIO()
    book.save(out)
    (message,) = problems(as_upload(out.getvalue()))
    assert message.startswith(f"Row {xlsx.HEADER_ROW + 1}: “2026-04-01")


def test_a_service_out_of_the_catalogue_is_unknown(db):
    Service.objects.filter(code="VS20").update(active=False)
    assert problems(workbook([HEADER, ["VS20", "", "", 200_000]])) == [
        "Row 2: “VS20” is not a service code of the catalogue."]


def test_a_file_without_any_price_is_refused(w):
    assert problems(as_upload(xlsx.template(w.port, {}))) == [
        "The file has no price: write them in the “Price (₫)” column."]
    assert problems(workbook([HEADER])) == ["The file has no price: write them in the “Price (₫)” column."]


def test_more_rows_than_a_list_holds_are_refused(db, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    rows = [HEADER] + [[code, "", "", 1_000] for code in ("NH20", "NH40", "NH45", "NR20")]
    assert problems(workbook(rows)) == ["The file has more than 3 rows."]
    assert len(xlsx.read(workbook(rows[:4]))) == 3


# --- what is not a workbook ----------------------------------------------------------------

def _truncated_sheet() -> bytes:
    """A workbook whose sheet was cut in half (a download that broke off)."""
    source = zipfile.ZipFile(io.BytesIO(workbook([HEADER, ["NH20", "", "", 1_050_000]]).read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for name in source.namelist():
            data = source.read(name)
            broken.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bang-gia.txt", "NH20;1050000")
    return out.getvalue()


@pytest.mark.parametrize("content", [
    b"", b"Service code;Price\nNH20;1050000\n", PDF, b"PK\x03\x04 not really a zip", _zip_of_text(), _truncated_sheet(),
], ids=["empty", "csv", "pdf", "fake-zip", "zip-of-text", "truncated-sheet"])
def test_what_is_not_a_workbook_is_refused(db, content):
    assert problems(as_upload(content)) == [
        "This is not an XLSX workbook. Download the template, fill it in and send it back."]


def test_a_file_over_5_mb_is_refused_before_it_is_opened(db):
    upload = as_upload(b"\0" * (xlsx.MAX_BYTES + 1))
    assert problems(upload) == ["The file is larger than 5 MB: send the price list alone."]


def test_a_file_of_5_mb_is_opened(db):
    assert problems(as_upload(b"\0" * xlsx.MAX_BYTES)) == [
        "This is not an XLSX workbook. Download the template, fill it in and send it back."]


def test_no_file_is_refused(db):
    assert problems(None) == ["Choose the XLSX file of the price list."]


def test_reading_never_writes(w):
    before = (PriceList.objects.count(), Service.objects.count())
    xlsx.read(as_upload(xlsx.template(w.port, TARIFF)))
    problems(workbook([HEADER, ["XX99", "", "", 1]]))
    assert (PriceList.objects.count(), Service.objects.count()) == before


def test_messages_follow_the_language(db):
    (message,) = problems(workbook([HEADER, ["XX99", "", "", 1]]), language="vi")
    assert "XX99" in message and message.startswith(("Row 2", "Dòng 2", "Hàng 2"))
