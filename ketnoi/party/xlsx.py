"""The member register as a workbook: the import template, the reading of a filled-in file
row by row, and the export of the members a user may see.

Reading never writes: it returns the rows as the services' arguments, or a ValidationError on
"file" naming every bad row ("Row 7: Ngày sinh: …"), so that ``services.members_import`` saves
the whole file or nothing. Columns are found by their header (in the template's order or any
other), with or without accents: "Ngày vào Đảng (quyết định)" and "ngay vao dang (quyet dinh)"
are the same column.
"""

import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ketnoi.cases import filetypes
from ketnoi.lib import vntext

from .models import Member, Organisation

HEADER_ROW = 4
HEADER_SEARCH = 20  # the header row is looked for in the first rows only
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000  # the department has about a thousand members
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Excel's day 0 (its serial dates count from 30/12/1899, the 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)

# The columns' English names; the reader accepts them in every language, and the Vietnamese names
# of COLUMNS, the first of which the template and the export write: the file's format is the
# party office's register, the same whatever the language of the page it was downloaded from.
HEADERS = {
    "full_name": gettext_lazy("Full name"),
    "gender": gettext_lazy("Gender"),
    "born_on": gettext_lazy("Date of birth"),
    "admission_decision_on": gettext_lazy("Admitted (decision)"),
    "card_admitted_on": gettext_lazy("Admitted (card)"),
    "full_member_on": gettext_lazy("Full member since"),
    "card_number": gettext_lazy("Party card number"),
    "organisation": gettext_lazy("Party organisation"),
    "position": gettext_lazy("Party position"),
}
COLUMNS = {
    "full_name": ("Họ và tên", "Họ tên"),
    "gender": ("Giới tính",),
    "born_on": ("Ngày sinh",),
    "admission_decision_on": ("Ngày vào Đảng (quyết định)", "Ngày vào Đảng"),
    "card_admitted_on": ("Ngày vào Đảng (thẻ)",),
    "full_member_on": ("Ngày chính thức",),
    "card_number": ("Số thẻ đảng", "Số thẻ đảng viên"),
    "organisation": ("Tổ chức đảng", "Chi bộ"),
    "position": ("Chức vụ", "Chức vụ đảng"),
}
REQUIRED = ("full_name", "gender", "born_on", "organisation")
DATES = ("born_on", "admission_decision_on", "card_admitted_on", "full_member_on")
GENDERS = {"nam": Member.Gender.MALE, "male": Member.Gender.MALE, "m": Member.Gender.MALE,
           "nu": Member.Gender.FEMALE, "female": Member.Gender.FEMALE, "f": Member.Gender.FEMALE}


@dataclass
class Row:
    number: int  # the spreadsheet's row number, for the messages
    values: dict  # member_create's arguments
    headers: dict  # field → the header as written in the file


def _fold(text) -> str:
    return vntext.fold(vntext.normalize(str(text or "")))


def _header_names() -> dict[str, set[str]]:
    names = {field: {_fold(name) for name in aliases} for field, aliases in COLUMNS.items()}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for field, header in HEADERS.items():
                names[field].add(_fold(header))
    return names


# --- the template -----------------------------------------------------------------------------

def template() -> bytes:
    """An empty register with the headers, an explanation, and the open organisations' names
    on a second sheet to copy from."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Dang vien"
    sheet["A1"] = _("Party members to import")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("One member a row from row 5. Dates as dd/mm/yyyy. Gender: Nam or Nữ. Give the admission "
                    "decision's date, or the date on the card when the decision is lost. The organisation is written "
                    "as on the “Organisations” sheet.")
    for column, field in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=COLUMNS[field][0])
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F4DADA")
        sheet.column_dimensions[cell.column_letter].width = 34 if field in ("full_name", "organisation") else 18
    genders = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    sheet.add_data_validation(genders)
    genders.add(f"B{HEADER_ROW + 1}:B{HEADER_ROW + MAX_ROWS}")
    for column in "CDEF":
        for row in range(HEADER_ROW + 1, HEADER_ROW + 201):
            sheet[f"{column}{row}"].number_format = "DD/MM/YYYY"
    names = book.create_sheet("To chuc")
    names["A1"] = _("Organisations")
    names["A1"].font = Font(bold=True)
    for row, name in enumerate(Organisation.objects.filter(dissolved_on__isnull=True).values_list("name", flat=True),
                               start=2):
        names.cell(row=row, column=1, value=name)
    names.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ----------------------------------------------------------------------------------

def _date(value):
    """A date from an Excel date, an Excel serial number or dd/mm/yyyy text; ValueError else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's last day is 31/12/9999
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


class _Organisations:
    """An organisation named by its full or short name, without regard to accents or case."""

    def __init__(self):
        self.by_name: dict[str, list[Organisation]] = {}
        for organisation in Organisation.objects.filter(dissolved_on__isnull=True):
            for name in {_fold(organisation.name), _fold(organisation.short_name)} - {""}:
                self.by_name.setdefault(name, []).append(organisation)

    def find(self, value) -> list[Organisation]:
        return self.by_name.get(_fold(value), [])


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a card number typed as a number
    return vntext.normalize(str(value)) if value is not None else ""


def read(upload) -> list[Row]:
    """Every filled-in row as member_create's arguments (organisation resolved), or a
    ValidationError on "file" listing every problem found in the cells, with its row number.
    Checks that need the whole record (dates in order, card numbers already in the register) are
    the service's."""
    if upload is None:
        raise ValidationError({"file": _("Choose the XLSX file of the members.")})
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if not filetypes.is_workbook(upload):  # from its bytes, before the XLSX reader opens it
        raise ValidationError({"file": _("This is not an XLSX workbook. Download the template, fill it in and "
                                         "send it back.")})
    book = None
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        rows = list(itertools.islice(book.worksheets[0].iter_rows(values_only=True), HEADER_SEARCH + MAX_ROWS + 1))
    except Exception:  # openpyxl raises many kinds for what is not a workbook
        raise ValidationError({"file": _("This is not an XLSX workbook. Download the template, fill it in and "
                                         "send it back.")}) from None
    finally:
        if book is not None:
            book.close()
    accepted = _header_names()
    columns, header_at, written = None, 0, {}
    for number, values in enumerate(rows[:HEADER_SEARCH], start=1):
        labels = [_fold(v) for v in values]
        found = {field: next((i for i, label in enumerate(labels) if label in names), None)
                 for field, names in accepted.items()}
        if all(found[field] is not None for field in REQUIRED) and (
                found["admission_decision_on"] is not None or found["card_admitted_on"] is not None):
            columns = {field: index for field, index in found.items() if index is not None}
            written = {field: vntext.normalize(str(values[index])) for field, index in columns.items()}
            header_at = number
            break
    if columns is None:
        raise ValidationError({"file": _("No header row with “Họ và tên”, “Giới tính”, “Ngày sinh”, “Ngày vào Đảng "
                                         "(quyết định)” and “Tổ chức đảng” was found: use the template.")})
    organisations = _Organisations()
    result, problems, cards = [], [], {}
    for number, values in enumerate(rows[header_at:], start=header_at + 1):
        if number > header_at + MAX_ROWS:
            problems.append(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
            break
        cells = {field: values[index] if index < len(values) else None for field, index in columns.items()}
        cells = {field: None if isinstance(v, str) and not v.strip() else v for field, v in cells.items()}
        if all(v is None for v in cells.values()):
            continue

        def problem(field, message):
            problems.append(_("Row %(row)d: %(column)s: %(message)s")
                            % {"row": number, "column": written.get(field, str(HEADERS[field])), "message": message})

        row = {}
        for field in ("full_name", "position", "card_number"):
            if field in cells:
                row[field] = _text(cells[field])
        if not row["full_name"]:
            problem("full_name", _("the name is missing."))
        gender = GENDERS.get(_fold(cells["gender"]))
        if gender is None:
            problem("gender", _("write Nam or Nữ."))
        row["gender"] = gender
        for field in DATES:
            if field not in cells or cells[field] is None:
                row[field] = None
                continue
            try:
                row[field] = _date(cells[field])
            except ValueError:
                row[field] = None
                problem(field, _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": cells[field]})
        if cells["born_on"] is None:
            problem("born_on", _("the date of birth is missing."))
        if cells.get("admission_decision_on") is None and cells.get("card_admitted_on") is None:
            problem("admission_decision_on" if "admission_decision_on" in columns else "card_admitted_on",
                    _("give the admission decision's date, or the date on the card."))
        card = row.get("card_number", "").replace(" ", "")
        if card:
            if card in cards:
                problem("card_number", _("%(card)s is also on row %(other)d.") % {"card": card, "other": cards[card]})
            else:
                cards[card] = number
        found = organisations.find(cells["organisation"]) if cells["organisation"] is not None else []
        if cells["organisation"] is None:
            problem("organisation", _("the organisation is missing."))
        elif not found:
            problem("organisation", _("“%(value)s” is not an open organisation of the register.")
                    % {"value": cells["organisation"]})
        elif len(found) > 1:
            problem("organisation", _("“%(value)s” names several organisations: write the full name.")
                    % {"value": cells["organisation"]})
        row["organisation"] = found[0] if len(found) == 1 else None
        result.append(Row(number, row, written))
    if problems:
        raise ValidationError({"file": problems})
    if not result:
        raise ValidationError({"file": _("The file has no member: write them from the row under the headers.")})
    return result


# --- the export -------------------------------------------------------------------------------

def write_members(members) -> bytes:
    """The members as a workbook in the template's columns (so it can be imported elsewhere),
    with their status."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dang vien")
    sheet.append([COLUMNS[field][0] for field in HEADERS] + ["Trạng thái", "Từ ngày"])
    genders = {Member.Gender.MALE: "Nam", Member.Gender.FEMALE: "Nữ"}
    for member in members:
        sheet.append([
            member.full_name, genders.get(member.gender, member.gender),
            *[_dd_mm_yyyy(getattr(member, field)) for field in DATES],
            member.card_number or "", member.organisation.name, member.position,
            member.get_status_display(), _dd_mm_yyyy(member.status_on),
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dd_mm_yyyy(day: date | None) -> str:
    # Text, not an Excel date: the file reads the same in every locale's Excel and re-imports as is.
    return f"{day:%d/%m/%Y}" if day else ""
