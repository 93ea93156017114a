"""Official documents in the Vietnamese administrative layout, rendered as DOCX and PDF.

A document is data (the frozen dataclasses below); `render_docx` and `render_pdf` lay it out
the same way from the same `Layout`, so the Word file a clerk edits and the PDF that is sent
look alike. Two layouts:

- ``state``: văn bản hành chính, Nghị định 30/2020/NĐ-CP về công tác văn thư, Phụ lục I
  ("Thể thức, kỹ thuật trình bày văn bản hành chính"), Phần I;
- ``party``: văn bản của Đảng, Hướng dẫn 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương
  Đảng về thể thức và kỹ thuật trình bày văn bản của Đảng.

The fixed words of the layout ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nơi nhận", "Số") are
prescribed in Vietnamese by those texts and are never translated: an official document is
issued in Vietnamese whatever language the person who prints it reads.

Pure: no Django. The PDF is HTML+CSS built here (every text through `html.escape`) and
rendered by WeasyPrint; the DOCX is built with python-docx.
"""

from __future__ import annotations

import html
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Literal, Union

# -- The document -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str  # a "\n" inside is a line break, not a new paragraph
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None  # relative weights of the columns, e.g. (1, 5, 3)

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        if self.widths is not None:
            object.__setattr__(self, "widths", tuple(self.widths))
        columns = len(self.headers)
        if columns == 0:
            raise ValueError("a table needs at least one column header")
        for row in self.rows:
            if len(row) != columns:
                raise ValueError(f"every row of the table needs {columns} cells: {row!r}")
        if self.widths is not None and (len(self.widths) != columns or min(self.widths) <= 0):
            raise ValueError(f"the table needs {columns} positive column widths")


Block = Union[Heading, Paragraph, Bullets, Table]


@dataclass(frozen=True)
class Signature:
    """Who signs: ``authority`` is the quyền hạn line ("KT. CHI CỤC TRƯỞNG", "TM. ĐẢNG ỦY"),
    written above the position when a deputy or a collective body signs."""

    position: str
    name: str
    authority: str = ""


@dataclass(frozen=True)
class Document:
    issuer_parent: str          # cơ quan chủ quản trực tiếp, "" when there is none
    issuer: str                 # cơ quan ban hành
    number: str                 # số và ký hiệu without "Số", e.g. "12/BB-HQCNC" (see document_number)
    place: str                  # địa danh, e.g. "TP. Hồ Chí Minh"
    date: Date
    kind: str                   # tên loại, e.g. "Biên bản" (written upper-case)
    title: str                  # trích yếu
    blocks: Sequence[Block]
    signer_position: str
    signer_name: str
    recipients: Sequence[str]   # each line as it is printed: "Như trên;", "Lưu: VT." (the dash is added)
    layout: Literal["state", "party"] = "state"
    signer_authority: str = ""
    # A second signature on the left, level with the first: the secretary (thư ký) of minutes,
    # whose template puts "THƯ KÝ" left and "CHỦ TRÌ" right (Nghị định 30/2020, Phụ lục III).
    countersigner: Signature | None = None

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {sorted(LAYOUTS)}, not {self.layout!r}")
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "recipients", tuple(self.recipients))

    @property
    def signer(self) -> Signature:
        return Signature(self.signer_position, self.signer_name, self.signer_authority)


# -- The layouts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedLine:
    """A line of the national motto or party heading, printed the same on every document."""

    text: str
    pt: float
    ruled: bool = False  # a rule as long as the text itself is drawn under it
    # Width of the text in em, measured once with fontTools on Tinos Bold (metrics identical to
    # Times New Roman Bold): python-docx cannot measure text, and the rule must match it.
    width_em: float = 0.0


@dataclass(frozen=True)
class Layout:
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    columns_mm: tuple[float, float]  # issuer side, motto side of the header and signature tables
    body_pt: float
    issuer_parent_pt: float
    issuer_pt: float
    issuer_mark: Literal["rule", "star"]  # what separates the issuer from the number
    number_prefix: str
    number_pt: float
    motto: tuple[FixedLine, ...]
    date_pt: float
    kind_pt: float
    title_pt: float
    title_mark: Literal["rule", "dashes"]  # what is under the trích yếu
    signer_pt: float
    recipients_label_pt: float
    recipients_label_style: frozenset[str]  # of "bold", "italic", "underline"
    recipients_pt: float
    table_pt: float  # the decree sets no size for tables; 12–13 pt is usual
    page_number_pt: float


# Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần I:
#   I.1 A4; I.3 margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (the smallest are
#   used: the most room for text); I.4 Times New Roman; I.7 page numbers 13–14 pt, centred in
#   the top margin, not shown on the first page;
#   II.1 Quốc hiệu upper-case bold 12–13 pt (12: it fits the column on one line), Tiêu ngữ bold
#   13–14 pt with a rule as long as itself under it; II.2 cơ quan chủ quản upper-case regular
#   12–13 pt, cơ quan ban hành upper-case bold 12–13 pt, a rule of 1/3–1/2 of the line under it;
#   II.3 "Số:" 13 pt; II.4 place and date italic 13–14 pt; II.5 tên loại upper-case bold 13–14 pt,
#   trích yếu bold 13–14 pt with a rule of 1/3–1/2 of the line under it; II.6 body 13–14 pt;
#   II.7 quyền hạn, chức vụ upper-case bold 13–14 pt, name bold 13–14 pt;
#   II.9 "Nơi nhận:" bold italic 12 pt, the list 11 pt.
STATE = Layout(
    margins_mm=(20, 15, 20, 30),
    columns_mm=(65, 100),
    body_pt=14,
    issuer_parent_pt=12,
    issuer_pt=12,
    issuer_mark="rule",
    number_prefix="Số: ",
    number_pt=13,
    motto=(
        FixedLine("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, width_em=20.86),
        FixedLine("Độc lập - Tự do - Hạnh phúc", 13, ruled=True, width_em=12.24),
    ),
    date_pt=14,
    kind_pt=14,
    title_pt=14,
    title_mark="rule",
    signer_pt=14,
    recipients_label_pt=12,
    recipients_label_style=frozenset({"bold", "italic"}),
    recipients_pt=11,
    table_pt=12,
    page_number_pt=13,
)

# Hướng dẫn 36-HD/VPTW (2018), mục II and III: same paper and margins; tiêu đề "ĐẢNG CỘNG SẢN
# VIỆT NAM" upper-case bold 15 pt with a rule as long as itself; cấp trên upper-case regular
# 14 pt, cơ quan ban hành upper-case bold 14 pt, a star (*) under it; "Số 05-BC/ĐU" 14 pt, no
# colon; place and date italic 14 pt; tên loại upper-case bold 16 pt, trích yếu bold 14 pt with
# a row of dashes under it; body 14 pt; "Nơi nhận:" 14 pt underlined, the list 12 pt.
PARTY = Layout(
    margins_mm=(20, 15, 20, 30),
    columns_mm=(70, 95),
    body_pt=14,
    issuer_parent_pt=14,
    issuer_pt=14,
    issuer_mark="star",
    number_prefix="Số ",
    number_pt=14,
    motto=(FixedLine("ĐẢNG CỘNG SẢN VIỆT NAM", 15, ruled=True, width_em=13.78),),
    date_pt=14,
    kind_pt=16,
    title_pt=14,
    title_mark="dashes",
    signer_pt=14,
    recipients_label_pt=14,
    recipients_label_style=frozenset({"underline"}),
    recipients_pt=12,
    table_pt=13,
    page_number_pt=14,
)

LAYOUTS: dict[str, Layout] = {"state": STATE, "party": PARTY}

# Nghị định 30/2020, Phụ lục I, II.6: first-line indent 1–1.27 cm, at least 6 pt between
# paragraphs, line spacing from single to 1.5 lines.
FIRST_LINE_INDENT_MM = 12.7
PARAGRAPH_SPACING_PT = 6
LINE_SPACING = 1.15  # Word's "multiple"; CSS line-height is this times Times' own 1.15 em line
SIGNATURE_SPACE_MM = 22  # room for the handwritten signature and the seal
RULE_FRACTION = 0.4  # "từ 1/3 đến 1/2 độ dài của dòng chữ"
RULE_PT = 0.75
FONT_FAMILY_CSS = '"Times New Roman", "Liberation Serif", Tinos, serif'
FONT_FAMILY_DOCX = "Times New Roman"

# Average advance of a character, in em, of Times New Roman bold capitals and of bold mixed
# case (measured on Vietnamese unit names and titles); used only to size the 1/3–1/2 rules.
_CAPS_EM = 0.64
_MIXED_EM = 0.5

# Chữ viết tắt tên loại văn bản, Nghị định 30/2020/NĐ-CP, Phụ lục III (the kinds ketnoi issues).
KIND_CODES: dict[str, str] = {
    "Biên bản": "BB",
    "Báo cáo": "BC",
    "Kế hoạch": "KH",
    "Thông báo": "TB",
    "Giấy mời": "GM",
}


# -- Pure helpers -------------------------------------------------------------------------------


def place_and_date(place: str, day: Date) -> str:
    """The place and date line: "TP. Hồ Chí Minh, ngày 07 tháng 02 năm 2020".

    Nghị định 30/2020/NĐ-CP, Phụ lục I, II.4 (and HD 36-HD/VPTW for party documents): days
    below 10 and the months 1 and 2 are written with a leading 0, so that no digit can be
    added in front of them afterwards; months 3 to 12 are written as they are.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{_nfc(place).strip()}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(sequence: int, kind_code: str, issuer_code: str, *,
                    layout: Literal["state", "party"] = "state") -> str:
    """Số và ký hiệu, without the word "Số": "12/BB-HQCNC" (state) or "05-BC/ĐU" (party).

    Nghị định 30/2020, Phụ lục I, II.3: a number below 10 takes a leading 0; the number and the
    codes are separated by "/" and the codes by "-". HD 36-HD/VPTW writes the kind code after
    the number ("05-BC") and the issuer after a "/".
    """
    if sequence < 1:
        raise ValueError("a document number starts at 1")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {sorted(LAYOUTS)}, not {layout!r}")
    number = f"{sequence:02d}"
    kind_code, issuer_code = _nfc(kind_code).strip(), _nfc(issuer_code).strip()
    if layout == "party":
        return f"{number}-{kind_code}/{issuer_code}"
    return f"{number}/{kind_code}-{issuer_code}" if kind_code else f"{number}/{issuer_code}"


def _nfc(text: str) -> str:
    # Text pasted from other programs may carry combining marks (NFD); fonts and PDF text
    # extraction handle the precomposed letters best.
    return unicodedata.normalize("NFC", text)


def _upper(text: str) -> str:
    return _nfc(text).upper()


def _rule_mm(text: str, pt: float, *, caps: bool, line_mm: float) -> float:
    """Length of a rule of 1/3–1/2 of the line of ``text`` (which wraps at ``line_mm``)."""
    text_mm = len(_nfc(text)) * pt * (_CAPS_EM if caps else _MIXED_EM) * 25.4 / 72
    return round(RULE_FRACTION * min(text_mm, line_mm), 1)


def _text_width_mm(layout: Layout) -> float:
    _top, right, _bottom, left = layout.margins_mm
    return 210 - left - right


def _recipient_line(text: str) -> str:
    text = _nfc(text).strip()
    return text if text.startswith("-") else f"- {text}"


# -- DOCX ---------------------------------------------------------------------------------------


def render_docx(doc: Document) -> bytes:
    """The document as a Word file (python-docx), A4, Times New Roman."""
    # python-docx and WeasyPrint are imported where they are used (0.2 s and 0.9 s): a module
    # that only builds documents, or a process that never renders one, does not pay for them.
    from docx import Document as new_docx
    from docx.shared import Mm, Pt

    layout = LAYOUTS[doc.layout]
    word = new_docx()
    _docx_defaults(word, layout)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, right, bottom, left = layout.margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = Mm(10)
    _docx_page_numbers(section, layout)

    core = word.core_properties
    core.title = f"{_upper(doc.kind)} {_nfc(doc.number)}: {_nfc(doc.title)}".strip()
    core.author = _nfc(doc.issuer)
    core.language = "vi-VN"

    _docx_header(word, doc, layout)

    kind = _docx_paragraph(word, _upper(doc.kind), pt=layout.kind_pt, bold=True, align="center")
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.keep_with_next = True
    if doc.title:
        title = _docx_paragraph(word, _nfc(doc.title), pt=layout.title_pt, bold=True,
                                align="center")
        title.paragraph_format.keep_with_next = True
    if layout.title_mark == "dashes":
        _docx_paragraph(word, "-----", pt=layout.title_pt, align="center")
    elif doc.title:
        _docx_rule(word, _rule_mm(doc.title, layout.title_pt, caps=False,
                                  line_mm=_text_width_mm(layout)), _text_width_mm(layout))
    spacer = _docx_paragraph(word, "", pt=layout.body_pt)
    spacer.paragraph_format.space_after = Pt(PARAGRAPH_SPACING_PT)

    for block in doc.blocks:
        _docx_block(word, block, layout)

    _docx_signatures(word, doc, layout)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_defaults(word, layout: Layout) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = word.styles["Normal"]
    normal.font.name = FONT_FAMILY_DOCX
    normal.font.size = Pt(layout.body_pt)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_FAMILY_DOCX)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")  # Word checks the spelling in Vietnamese
    normal.element.get_or_add_rPr().insert_element_before(
        lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _docx_page_numbers(section, layout: Layout) -> None:
    """Page number centred in the top margin from page 2 (Nghị định 30/2020, Phụ lục I, I.7)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True  # the first page's header stays empty
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("2")  # shown until the field is updated
    run.font.size = Pt(layout.page_number_pt)
    run._r.addprevious(field_)
    field_.append(run._r)


_ALIGN = {"center": 1, "left": 0, "right": 2, "justify": 3}


def _docx_paragraph(container, text: str, *, pt: float, bold: bool = False,
                    italic: bool = False, underline: bool = False, align: str = "justify"):
    """A paragraph of one run; in a fresh table cell, fills its empty first paragraph."""
    from docx.shared import Pt
    from docx.table import _Cell

    if isinstance(container, _Cell) and len(container.paragraphs) == 1 \
            and not container.paragraphs[0].runs:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    run = paragraph.add_run(text)
    run.font.size = Pt(pt)
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    return paragraph


# The elements that follow <w:pBdr> in a <w:pPr> (ECMA-376 CT_PPr), which Word reads in order.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _docx_rule(container, width_mm: float, container_mm: float) -> None:
    """A centred horizontal rule ``width_mm`` long: an empty paragraph with a bottom border,
    indented so that the border has that length (Word has no "line under the text" otherwise
    than an underline, which would run through the descenders and be as long as the text)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = _docx_paragraph(container, "", pt=2, align="center")
    indent = max(0.0, (container_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(indent)
    paragraph.paragraph_format.right_indent = Mm(indent)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(int(RULE_PT * 8)))  # eighths of a point
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _docx_layout_table(word, widths_mm: Sequence[float], rows: int = 1):
    """A borderless table with fixed columns and no cell padding, for the header and signatures."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = word.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Word refuses a file whose elements are out of the schema's order.
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")
    _docx_widths(table, widths_mm)
    return table


def _docx_widths(table, widths_mm: Sequence[float]) -> None:
    from docx.shared import Mm

    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)  # the grid, which LibreOffice reads
        for cell in table.columns[index].cells:
            cell.width = Mm(width)  # each cell, which Word reads


def _docx_header(word, doc: Document, layout: Layout) -> None:
    from docx.shared import Pt

    left_mm, right_mm = layout.columns_mm
    table = _docx_layout_table(word, layout.columns_mm)
    left, right = table.rows[0].cells

    if doc.issuer_parent:
        _docx_paragraph(left, _upper(doc.issuer_parent), pt=layout.issuer_parent_pt,
                        align="center")
    _docx_paragraph(left, _upper(doc.issuer), pt=layout.issuer_pt, bold=True, align="center")
    if layout.issuer_mark == "star":
        _docx_paragraph(left, "*", pt=layout.issuer_pt, align="center")
    else:
        _docx_rule(left, _rule_mm(doc.issuer, layout.issuer_pt, caps=True, line_mm=left_mm),
                   left_mm)
    number = _docx_paragraph(left, f"{layout.number_prefix}{_nfc(doc.number)}",
                             pt=layout.number_pt, align="center")
    number.paragraph_format.space_before = Pt(6)

    for line in layout.motto:
        _docx_paragraph(right, line.text, pt=line.pt, bold=True, align="center")
        if line.ruled:
            _docx_rule(right, line.width_em * line.pt * 25.4 / 72, right_mm)
    dateline = _docx_paragraph(right, place_and_date(doc.place, doc.date), pt=layout.date_pt,
                               italic=True, align="center")
    dateline.paragraph_format.space_before = Pt(6)


def _docx_block(word, block: Block, layout: Layout) -> None:
    from docx.shared import Mm, Pt

    def body(text: str, *, bold=False, italic=False):
        paragraph = _docx_paragraph(word, text, pt=layout.body_pt, bold=bold, italic=italic)
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
        fmt.space_after = Pt(PARAGRAPH_SPACING_PT)
        fmt.line_spacing = LINE_SPACING
        return paragraph

    if isinstance(block, Heading):
        body(_nfc(block.text), bold=True).paragraph_format.keep_with_next = True
    elif isinstance(block, Paragraph):
        body(_nfc(block.text), bold=block.bold, italic=block.italic)
    elif isinstance(block, Bullets):
        for item in block.items:
            body(f"- {_nfc(item)}")
    elif isinstance(block, Table):
        _docx_table(word, block, layout)
    else:
        raise TypeError(f"not a block of a document: {block!r}")


def _docx_table(word, block: Table, layout: Layout) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = word.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = word.styles["Table Grid"]
    table.autofit = False
    weights = block.widths or (1,) * len(block.headers)
    total = _text_width_mm(layout)
    _docx_widths(table, [total * weight / sum(weights) for weight in weights])
    for index, header in enumerate(block.headers):
        cell = table.rows[0].cells[index]
        _docx_paragraph(cell, _nfc(header), pt=layout.table_pt, bold=True, align="center")
    # The header row repeats at the top of every page the table runs onto.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row_index, row in enumerate(block.rows, start=1):
        for index, text in enumerate(row):
            _docx_paragraph(table.rows[row_index].cells[index], _nfc(text), pt=layout.table_pt,
                            align="left")
    after = _docx_paragraph(word, "", pt=layout.body_pt)
    after.paragraph_format.space_after = Pt(PARAGRAPH_SPACING_PT)


def _docx_signature_into(cell, signature: Signature, layout: Layout) -> None:
    from docx.shared import Mm

    if signature.authority:
        _docx_paragraph(cell, _upper(signature.authority), pt=layout.signer_pt, bold=True,
                        align="center")
    _docx_paragraph(cell, _upper(signature.position), pt=layout.signer_pt, bold=True,
                    align="center")
    name = _docx_paragraph(cell, _nfc(signature.name), pt=layout.signer_pt, bold=True,
                           align="center")
    name.paragraph_format.space_before = Mm(SIGNATURE_SPACE_MM)


def _docx_recipients_into(cell, recipients: Sequence[str], layout: Layout) -> None:
    style = layout.recipients_label_style
    _docx_paragraph(cell, "Nơi nhận:", pt=layout.recipients_label_pt, bold="bold" in style,
                    italic="italic" in style, underline="underline" in style, align="left")
    for recipient in recipients:
        _docx_paragraph(cell, _recipient_line(recipient), pt=layout.recipients_pt, align="left")


def _docx_signatures(word, doc: Document, layout: Layout) -> None:
    """Signature on the right; on the left the countersignature and/or "Nơi nhận" (Nghị định
    30/2020, Phụ lục I, mục IV: ô 7 right, ô 9 left, level with each other)."""
    from docx.oxml import OxmlElement

    rows = 2 if doc.countersigner and doc.recipients else 1
    table = _docx_layout_table(word, _signature_columns(layout), rows=rows)
    for row in table.rows:  # a signature is never split from its name across pages
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant_split)
    left, right = table.rows[0].cells
    _docx_signature_into(right, doc.signer, layout)
    if doc.countersigner:
        _docx_signature_into(left, doc.countersigner, layout)
        if doc.recipients:
            cell = table.rows[1].cells[0]
            _docx_paragraph(cell, "", pt=layout.recipients_pt)
            _docx_recipients_into(cell, doc.recipients, layout)
    elif doc.recipients:
        _docx_recipients_into(left, doc.recipients, layout)


def _signature_columns(layout: Layout) -> tuple[float, float]:
    width = _text_width_mm(layout)
    return (width / 2, width / 2)


# -- PDF ----------------------------------------------------------------------------------------


def render_pdf(doc: Document) -> bytes:
    """The document as a PDF (WeasyPrint), A4, with the fonts embedded."""
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


def render_html(doc: Document) -> str:
    """The HTML page `render_pdf` prints: every text escaped, styles inline, no template."""
    layout = LAYOUTS[doc.layout]
    e = _escape
    left_mm, right_mm = layout.columns_mm

    issuer_lines = []
    if doc.issuer_parent:
        issuer_lines.append(
            f'<p style="font-size:{layout.issuer_parent_pt}pt">{e(_upper(doc.issuer_parent))}</p>')
    issuer_lines.append(
        f'<p class="b" style="font-size:{layout.issuer_pt}pt">{e(_upper(doc.issuer))}</p>')
    if layout.issuer_mark == "star":
        issuer_lines.append(f'<p style="font-size:{layout.issuer_pt}pt">*</p>')
    else:
        width = _rule_mm(doc.issuer, layout.issuer_pt, caps=True, line_mm=left_mm)
        issuer_lines.append(f'<div class="rule" style="width:{width}mm"></div>')
    issuer_lines.append(f'<p class="number" style="font-size:{layout.number_pt}pt">'
                        f'{e(layout.number_prefix + _nfc(doc.number))}</p>')

    motto_lines = []
    for line in layout.motto:
        text = f'<span class="ruled">{e(line.text)}</span>' if line.ruled else e(line.text)
        motto_lines.append(f'<p class="b" style="font-size:{line.pt}pt">{text}</p>')
    motto_lines.append(f'<p class="i dateline" style="font-size:{layout.date_pt}pt">'
                       f'{e(place_and_date(doc.place, doc.date))}</p>')

    title = ""
    if doc.title:
        title = f'<p class="b title" style="font-size:{layout.title_pt}pt">{e(_nfc(doc.title))}</p>'
    if layout.title_mark == "dashes":
        title += f'<p class="dashes" style="font-size:{layout.title_pt}pt">-----</p>'
    elif doc.title:
        width = _rule_mm(doc.title, layout.title_pt, caps=False, line_mm=_text_width_mm(layout))
        title += f'<div class="rule" style="width:{width}mm"></div>'

    body = "\n".join(_html_block(block, layout) for block in doc.blocks)

    signer = _html_signature(doc.signer, layout)
    recipients = _html_recipients(doc.recipients, layout) if doc.recipients else ""
    if doc.countersigner:
        left_cell = _html_signature(doc.countersigner, layout)
        rows = f"<tr><td>{left_cell}</td><td>{signer}</td></tr>"
        if recipients:
            rows += f'<tr><td class="recipients-after">{recipients}</td><td></td></tr>'
    else:
        rows = f"<tr><td>{recipients}</td><td>{signer}</td></tr>"
    half = _text_width_mm(layout) / 2

    doc_title = e(f"{_upper(doc.kind)} {_nfc(doc.number)}: {_nfc(doc.title)}".strip())
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{doc_title}</title>
<meta name="author" content="{e(_nfc(doc.issuer))}">
<style>{_css(layout)}</style>
</head>
<body>
<table class="layout header">
<colgroup><col style="width:{left_mm}mm"><col style="width:{right_mm}mm"></colgroup>
<tr><td>{"".join(issuer_lines)}</td><td>{"".join(motto_lines)}</td></tr>
</table>
<p class="b kind" style="font-size:{layout.kind_pt}pt">{e(_upper(doc.kind))}</p>
{title}
<div class="body">
{body}
</div>
<table class="layout signatures">
<colgroup><col style="width:{half}mm"><col style="width:{half}mm"></colgroup>
{rows}
</table>
</body>
</html>
"""


def _escape(text: str) -> str:
    return html.escape(_nfc(text), quote=True)


def _escape_lines(text: str) -> str:
    return "<br>".join(_escape(line) for line in _nfc(text).split("\n"))


def _html_block(block: Block, layout: Layout) -> str:
    if isinstance(block, Heading):
        return f'<p class="para heading">{_escape_lines(block.text)}</p>'
    if isinstance(block, Paragraph):
        classes = "para" + (" b" if block.bold else "") + (" i" if block.italic else "")
        return f'<p class="{classes}">{_escape_lines(block.text)}</p>'
    if isinstance(block, Bullets):
        return "\n".join(f'<p class="para">- {_escape_lines(item)}</p>' for item in block.items)
    if isinstance(block, Table):
        weights = block.widths or (1,) * len(block.headers)
        cols = "".join(f'<col style="width:{100 * w / sum(weights):.2f}%">' for w in weights)
        head = "".join(f"<th>{_escape_lines(header)}</th>" for header in block.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_escape_lines(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows)
        return (f'<table class="grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>")
    raise TypeError(f"not a block of a document: {block!r}")


def _html_signature(signature: Signature, layout: Layout) -> str:
    lines = []
    if signature.authority:
        lines.append(f'<p class="b">{_escape(_upper(signature.authority))}</p>')
    lines.append(f'<p class="b">{_escape(_upper(signature.position))}</p>')
    lines.append(f'<p class="b signer-name">{_escape(signature.name)}</p>')
    return f'<div class="signature" style="font-size:{layout.signer_pt}pt">{"".join(lines)}</div>'


def _html_recipients(recipients: Sequence[str], layout: Layout) -> str:
    style = layout.recipients_label_style
    label_css = ";".join(filter(None, [
        f"font-size:{layout.recipients_label_pt}pt",
        "font-weight:bold" if "bold" in style else "",
        "font-style:italic" if "italic" in style else "",
        "text-decoration:underline" if "underline" in style else "",
    ]))
    items = "".join(f"<p>{_escape(_recipient_line(r))}</p>" for r in recipients)
    return (f'<div class="recipients"><p style="{label_css}">Nơi nhận:</p>'
            f'<div style="font-size:{layout.recipients_pt}pt">{items}</div></div>')


def _css(layout: Layout) -> str:
    top, right, bottom, left = layout.margins_mm
    return f"""
@page {{
  size: A4;
  margin: {top}mm {right}mm {bottom}mm {left}mm;
  @top-center {{
    content: counter(page);
    font-family: {FONT_FAMILY_CSS};
    font-size: {layout.page_number_pt}pt;
  }}
}}
@page :first {{ @top-center {{ content: none; }} }}
html {{ font-family: {FONT_FAMILY_CSS}; font-size: {layout.body_pt}pt; color: #000; }}
body {{ margin: 0; line-height: 1.15; }}
p {{ margin: 0; }}
.b {{ font-weight: bold; }}
.i {{ font-style: italic; }}
table.layout {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
table.layout td {{ padding: 0; vertical-align: top; text-align: center; }}
.header .number, .header .dateline {{ margin-top: 6pt; }}
.rule {{ margin: 3pt auto 0; border-top: {RULE_PT}pt solid #000; height: 0; }}
.ruled {{ display: inline-block; border-bottom: {RULE_PT}pt solid #000; padding-bottom: 1pt; }}
.kind {{ text-align: center; margin-top: 18pt; break-after: avoid; }}
.title {{ text-align: center; break-after: avoid; }}
.dashes {{ text-align: center; }}
.body {{ margin-top: {PARAGRAPH_SPACING_PT + 10}pt; }}
.para {{ text-align: justify; text-indent: {FIRST_LINE_INDENT_MM}mm;
         margin-bottom: {PARAGRAPH_SPACING_PT}pt; line-height: {LINE_SPACING * 1.15:.3f}; }}
.heading {{ font-weight: bold; break-after: avoid; }}
table.grid {{ width: 100%; border-collapse: collapse; table-layout: fixed;
              font-size: {layout.table_pt}pt; margin-bottom: {PARAGRAPH_SPACING_PT}pt; }}
table.grid th, table.grid td {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }}
table.grid th {{ text-align: center; }}
table.grid tr {{ break-inside: avoid; }}
table.signatures {{ margin-top: 12pt; }}
table.signatures tr {{ break-inside: avoid; }}
.signature {{ break-inside: avoid; }}
.signer-name {{ margin-top: {SIGNATURE_SPACE_MM}mm; }}
.recipients {{ text-align: left; }}
.recipients-after {{ padding-top: 12pt !important; }}
"""
