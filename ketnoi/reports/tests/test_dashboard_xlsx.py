"""The dashboard's workbook: one sheet per section holding the page's tables, with numbers as
numbers, shares as fractions shown as %, months and days as dates."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from .dashboard_helpers import YEAR_2020, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def workbook(client, user, url, query=YEAR_2020):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response, load_workbook(io.BytesIO(response.content))


def table(sheet, title: str) -> list[list]:
    """The rows of the table titled `title` (header first), up to the blank row after it."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == title)
    out = []
    for row in rows[start + 1:]:
        if all(value is None for value in row):
            break
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    return out


def test_it_has_a_sheet_per_section(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx")
    assert book.sheetnames == ["Difficulties raised by business", "Dialogue with businesses",
                               "Commitments not to raise prices", "Directives"]


def test_it_holds_the_month_figures_as_numbers_and_dates(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx")
    sheet = book.worksheets[0]
    header, *months = table(sheet, "Cases by month")
    assert header[:3] == ["Month", "Cases received", "Cases answered"]
    assert [row[0] for row in months] == [datetime(2020, m, 1) for m in range(1, 13)]
    march = months[2]
    assert march[1:4] == [7, 7, 6] and march[4] == pytest.approx(6 / 7, abs=1e-4)
    assert sum(row[1] for row in months) == 17
    cells = {cell.value: cell for cell in sheet["A"] if cell.value == datetime(2020, 3, 1)}
    assert cells[datetime(2020, 3, 1)].number_format == "mm/yyyy"


def test_it_holds_the_units_and_the_period(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx")
    sheet = book.worksheets[0]
    assert (sheet["B2"].value, sheet["C2"].value) == (datetime(2020, 1, 1), datetime(2020, 12, 31))
    header, *units = table(sheet, "Cases by unit")
    branch = next(row for row in units if row[0] == w.branch.name_en)
    assert branch[1:4] == [12, 9, pytest.approx(8 / 9, abs=1e-4)]
    assert branch[-2:] == [3, 1]
    directives = table(book["Directives"], "Acknowledgements and reports")
    assert directives[1] == ["Acknowledgement", 2, 1, 1, 0, 4]


def test_it_lists_the_breaches_with_their_day(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx")
    _header, breach = table(book["Commitments not to raise prices"], "Price increases found in the period")
    assert breach[:4] == [datetime(2020, 8, 20), "Cảng Phú Hữu", "Cảng Phú Hữu Thử", 1]


def test_a_unit_s_workbook_holds_its_figures_only(client, w):
    response, book = workbook(client, w.users["leader"], f"/bao-cao/don-vi/{w.branch.pk}/xlsx")
    assert f"bao-cao-don-vi-{w.branch.pk}-20200101-20201231.xlsx" in response["Content-Disposition"]
    assert book.worksheets[0]["A1"].value == f"Figures of {w.branch.name_en}"
    _header, *months = table(book.worksheets[0], "Cases by month")
    assert sum(row[1] for row in months) == 13


def test_the_unit_filter_is_the_workbook_s_too(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx", {**YEAR_2020, "unit": w.other.pk})
    _header, *months = table(book.worksheets[0], "Cases by month")
    assert sum(row[1] for row in months) == 3


def test_the_key_figures_are_numbers_too(client, w):
    _response, book = workbook(client, w.users["coordinator"], "/bao-cao/xlsx")
    sheet = book.worksheets[0]
    figures = {row[0]: row[1:3] for row in sheet.iter_rows(min_row=5, max_row=13, values_only=True)}
    assert figures["Cases received"][0] == 17
    assert figures["Answered on time"][0] == pytest.approx(11 / 12, abs=1e-4)
    assert figures["Satisfaction (1–5)"] == (4.2, "(5 ratings)")
