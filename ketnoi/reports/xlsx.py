"""The dashboard as a workbook: one sheet per section, holding the section's key figures and the
same tables as the page, numbers as numbers (shares as fractions shown as %), months and days
as dates, so that they add up and sort in a spreadsheet."""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .charts import COUNT, DATE, DAYS, MEAN, MONTH, SHARE, Section, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {COUNT: "#,##0", SHARE: "0%", MEAN: "0.0", DAYS: "0.0", MONTH: "mm/yyyy", DATE: "dd/mm/yyyy"}
HEADER_FILL = PatternFill("solid", fgColor="DBE9E3")
ALERT_FONT = Font(bold=True, color="B10E1E")


def _value(value, kind: str):
    if value is None:
        return None
    if kind in (SHARE, MEAN, DAYS):
        return round(float(value), 4)
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\ , unique in the workbook.
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_table(sheet, table: Table, row: int) -> int:
    """The table from `row` (its title, header and rows); returns the next free row."""
    sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
    row += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    row += 1
    if not table.rows:
        sheet.cell(row=row, column=1, value=_("Nothing in the period."))
        return row + 2
    for values in table.rows:
        for index, (value, column) in enumerate(zip(values, table.columns), start=1):
            cell = sheet.cell(row=row, column=index, value=_value(value, column.kind))
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
            if column.alert and isinstance(value, int) and value > 0:
                cell.font = ALERT_FONT
        row += 1
    return row + 1


def workbook(*, title: str, start: date, end: date, sections: list[Section]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        sheet["A1"] = title
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A2"] = _("Period of the figures")
        sheet["B2"], sheet["C2"] = start, end
        sheet["B2"].number_format = sheet["C2"].number_format = "dd/mm/yyyy"
        row = 4
        sheet.cell(row=row, column=1, value=section.title).font = Font(bold=True, size=12)
        row += 1
        for headline in section.headlines:
            sheet.cell(row=row, column=1, value=headline.label)
            cell = sheet.cell(row=row, column=2, value=_value(headline.value, headline.kind))
            cell.number_format = FORMATS.get(headline.kind, "General")
            if headline.alert:
                cell.font = ALERT_FONT
            if headline.extra:
                sheet.cell(row=row, column=3, value=headline.extra)
            row += 1
        if section.note:
            sheet.cell(row=row, column=1, value=section.note).font = Font(italic=True)
            row += 1
        row += 1
        for table in [chart.table for chart in section.charts] + section.tables:
            row = _write_table(sheet, table, row)
        sheet.column_dimensions["A"].width = 42
        for index in range(2, 12):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
