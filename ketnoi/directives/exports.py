"""The follow-up matrix as an XLSX workbook, so that no one copies it by hand into a report."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ketnoi.lib import directive_status as status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {
    status.OVERDUE: "F4C7C3", status.LATE: "FCE8B2", status.ON_TIME: "CCE5D3", status.PENDING: "FFFFFF",
}


def status_label(value: str) -> str:
    return {
        status.NOT_REQUIRED: _("not required"),
        status.PENDING: _("awaited"),
        status.OVERDUE: _("overdue"),
        status.ON_TIME: _("on time"),
        status.LATE: _("late"),
    }[value]


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    parts = []
    if cell.acknowledgement != status.NOT_REQUIRED:
        parts.append(_("Acknowledged: %(s)s") % {"s": status_label(cell.acknowledgement)}
                     if cell.recipient.acknowledged_at else _("Acknowledgement: %(s)s") % {"s": status_label(cell.acknowledgement)})
    if cell.report != status.NOT_REQUIRED:
        parts.append(_("Report: %(s)s") % {"s": status_label(cell.report)})
    return "\n".join(parts) or _("received")


def matrix_xlsx(matrix, *, day) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Follow-up")[:31]
    sheet.append([_("Directives in force on %(day)s: acknowledgement and implementation reports")
                  % {"day": f"{day:%d/%m/%Y}"}])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [_("Number"), _("Title"), _("Issued"), _("Late")] + [unit.short_name for unit in matrix.units]
    sheet.append([])
    sheet.append(header)
    for column in range(1, len(header) + 1):
        sheet.cell(row=3, column=column).font = Font(bold=True)
        sheet.cell(row=3, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    for directive in matrix.directives:
        row = matrix.row(directive)
        sheet.append([directive.number, directive.title,
                      timezone.localtime(directive.issued_at).strftime("%d/%m/%Y %H:%M"),
                      sum(1 for cell in row if cell and cell.late)] + [_cell_text(cell) for cell in row])
        for offset, cell in enumerate(row):
            target = sheet.cell(row=sheet.max_row, column=5 + offset)
            target.alignment = Alignment(wrap_text=True, vertical="top")
            worst = cell and (status.OVERDUE if status.OVERDUE in (cell.acknowledgement, cell.report)
                              else status.LATE if cell.late else cell.acknowledgement)
            if worst in FILLS:
                target.fill = PatternFill("solid", fgColor=FILLS[worst])
    widths = [16, 48, 17, 7] + [18] * len(matrix.units)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "E4"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-dao-theo-doi-{day:%Y-%m-%d}.xlsx"'
    return response
