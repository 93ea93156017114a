"""The price-list workbook: the template an operator downloads (the catalogue with the facility's
current prices filled in) and the reading of the file it sends back, row by row.

Reading never writes: it returns the prices or a ValidationError naming every bad row ("Row 7:
…"), so that the service saves the whole file or nothing.
"""

import io
import itertools
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ketnoi.cases import filetypes
from ketnoi.lib import pricecheck

from . import selectors
from .models import Facility, Service

HEADER_ROW = 4
HEADER_SEARCH = 20  # the header row is looked for in the first rows only
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
# Header cells the reader accepts for each column, folded to lower case (either language).
COLUMNS = {"code": ("mã dịch vụ", "service code", "code", "mã"), "price": ("đơn giá (đồng)", "price (₫)", "price", "đơn giá")}
# The template's own headers, which the reader accepts in every language whatever their translation.
HEADERS = {"code": gettext_lazy("Service code"), "price": gettext_lazy("Price (₫)")}


def template(facility: Facility, current: dict[str, int]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bang gia"
    sheet["A1"] = _("Price list of %(facility)s (%(operator)s)") % {"facility": facility.name, "operator": facility.operator.name}
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("Write each price in whole đồng in column D; leave a service's row empty if you do not offer it. "
                    "Do not change the codes in column A.")
    headers = [str(HEADERS["code"]), _("Service"), _("Unit of charge"), str(HEADERS["price"])]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DBE9E3")
    whole = DataValidation(type="whole", operator="greaterThan", formula1="0", allow_blank=True,
                           error=_("Write a whole number of đồng."), showErrorMessage=True)
    sheet.add_data_validation(whole)
    for row, service in enumerate(selectors.catalogue(), start=HEADER_ROW + 1):
        sheet.cell(row=row, column=1, value=service.code)
        sheet.cell(row=row, column=2, value=service.name)
        sheet.cell(row=row, column=3, value=service.get_charge_unit_display())
        price = sheet.cell(row=row, column=4, value=current.get(service.code))
        price.number_format = "#,##0"
        whole.add(price)
    for column, width in zip("ABCD", (12, 52, 20, 16)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(upload) -> dict[str, int]:
    """{service code: whole đồng} from an uploaded workbook, or a ValidationError on "file"
    listing every problem with its row number."""
    if upload is None:
        raise ValidationError({"file": _("Choose the XLSX file of the price list.")})
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB: send the price list alone.")})
    if not filetypes.is_workbook(upload):  # from its bytes, before the XLSX reader opens it
        raise ValidationError({"file": _("This is not an XLSX workbook. Download the template, fill it in and send it back.")})
    book = None
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        # A read-only sheet is parsed as it is iterated: a damaged one raises here, not above.
        rows = iter(list(itertools.islice(book.worksheets[0].iter_rows(values_only=True), HEADER_SEARCH + MAX_ROWS + 1)))
    except Exception:  # openpyxl raises many kinds for what is not a workbook
        raise ValidationError({"file": _("This is not an XLSX workbook. Download the template, fill it in and send it back.")}) from None
    finally:
        if book is not None:
            book.close()
    accepted = _header_names()
    columns, header_at = None, 0
    for number, values in enumerate(rows, start=1):
        labels = [" ".join(str(v or "").split()).lower() for v in values]
        found = {key: next((i for i, label in enumerate(labels) if label in names), None) for key, names in accepted.items()}
        if all(index is not None for index in found.values()):
            columns, header_at = found, number
            break
        if number >= HEADER_SEARCH:
            break
    if columns is None:
        raise ValidationError({"file": _("No header row with “Service code” and “Price (₫)” was found: use the template.")})
    catalogue = set(Service.objects.filter(active=True).values_list("code", flat=True))
    prices, problems = {}, []
    for number, values in enumerate(rows, start=header_at + 1):
        if number > header_at + MAX_ROWS:
            problems.append(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
            break
        code = str(_cell(values, columns["code"]) or "").strip().upper()
        typed = _cell(values, columns["price"])
        if isinstance(typed, str) and not typed.strip():
            typed = None  # a cell cleared with the space bar
        if not code and typed in (None, ""):
            continue
        if typed in (None, ""):
            continue  # a service not offered
        if isinstance(typed, datetime | date):
            amount = None
        else:
            amount = pricecheck.parse_amount(typed)
        if not code:
            problems.append(_("Row %(row)d: the service code is missing.") % {"row": number})
        elif code not in catalogue:
            problems.append(_("Row %(row)d: “%(code)s” is not a service code of the catalogue.") % {"row": number, "code": code})
        elif code in prices:
            problems.append(_("Row %(row)d: %(code)s is priced a second time.") % {"row": number, "code": code})
        elif amount is None or amount == 0:
            problems.append(_("Row %(row)d: “%(value)s” is not a price. Write a whole number of đồng, e.g. 1250000.")
                            % {"row": number, "value": typed})
        else:
            prices[code] = amount
    if problems:
        raise ValidationError({"file": problems})
    if not prices:
        raise ValidationError({"file": _("The file has no price: write them in the “Price (₫)” column.")})
    return prices


def _header_names() -> dict[str, set[str]]:
    names = {key: set(labels) for key, labels in COLUMNS.items()}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, header in HEADERS.items():
                names[key].add(" ".join(str(header).split()).lower())
    return names


def _cell(values, index):
    return values[index] if index < len(values) else None
