import io
import re
import unicodedata
from datetime import date

import docx
import pypdf
import pytest

from ketnoi.lib.officialdoc import (
    Bullets,
    Document,
    Heading,
    Paragraph,
    Signature,
    Table,
    document_number,
    place_and_date,
    render_docx,
    render_html,
    render_pdf,
)

STACKED = "Nguyễn Thị Hường, Trưởng phòng Nghiệp vụ; thuế GTGT; đề nghị; ưu đãi"


def minutes(*, layout="state", extra_paragraphs=0, **changes) -> Document:
    blocks = [
        Heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN THAM DỰ"),
        Paragraph("Vào lúc 07 giờ 30 phút ngày 07 tháng 02 năm 2020, tại hội trường Chi cục, "
                  "buổi cà phê sáng cùng doanh nghiệp lần thứ hai năm 2020 được tổ chức."),
        Paragraph(f"Chủ trì: bà {STACKED}.", italic=True),
        Bullets(["Công ty TNHH Điện tử Quang Vinh Sài Gòn;",
                 "Công ty cổ phần Linh kiện Hưng Thịnh Phát."]),
        Heading("II. NỘI DUNG TRAO ĐỔI"),
        Table(["STT", "Vướng mắc, kiến nghị", "Trả lời"], [
            ["1", "Thủ tục hoàn thuế GTGT hàng xuất khẩu tại chỗ", "Trả lời tại buổi gặp."],
            ["2", "Đề nghị ưu đãi miễn thuế nguyên liệu", "Đội Nghiệp vụ trả lời trước 20/02."],
        ], widths=(1, 6, 6)),
    ]
    for number in range(1, extra_paragraphs + 1):
        blocks.append(Paragraph(
            f"Ý kiến thứ {number}: doanh nghiệp phản ánh vướng mắc về thuế giá trị gia tăng, đề "
            "nghị cơ quan hải quan hướng dẫn thủ tục hưởng ưu đãi; Chi cục ghi nhận, giao bộ phận "
            "nghiệp vụ nghiên cứu và trả lời đúng hạn theo quy định về thủ tục hải quan."))
    fields = dict(
        issuer_parent="Cục Hải quan TP. Hồ Chí Minh",
        issuer="Chi cục Hải quan khu công nghệ cao",
        number="12/BB-HQCNC",
        place="TP. Hồ Chí Minh",
        date=date(2020, 2, 7),
        kind="Biên bản",
        title="Buổi cà phê sáng cùng doanh nghiệp tháng 02 năm 2020",
        blocks=blocks,
        signer_position="Phó Chi cục trưởng",
        signer_name="Nguyễn Thị Hường",
        signer_authority="KT. Chi cục trưởng",
        recipients=["Như trên;", "Cục Hải quan TP. Hồ Chí Minh (để b/c);", "Lưu: VT, NV."],
        layout=layout,
    )
    if layout == "party":
        fields.update(issuer_parent="Đảng bộ Cục Hải quan TP. Hồ Chí Minh",
                      issuer="Đảng ủy Chi cục Hải quan khu công nghệ cao", number="05-BC/ĐU",
                      kind="Báo cáo", signer_authority="T/M Đảng ủy", signer_position="Bí thư")
    fields.update(changes)
    return Document(**fields)


# What must be found in both files of the state layout, in the order of the page (the header's
# left column, then its right column; "Nơi nhận" on the left, then the signature).
STATE_TEXTS = [
    "CỤC HẢI QUAN TP. HỒ CHÍ MINH",
    "CHI CỤC HẢI QUAN KHU CÔNG NGHỆ CAO",
    "Số: 12/BB-HQCNC",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TP. Hồ Chí Minh, ngày 07 tháng 02 năm 2020",
    "BIÊN BẢN",
    "Buổi cà phê sáng cùng doanh nghiệp tháng 02 năm 2020",
    "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN THAM DỰ",
    f"Chủ trì: bà {STACKED}.",
    "- Công ty TNHH Điện tử Quang Vinh Sài Gòn;",
    "Vướng mắc, kiến nghị",
    "Thủ tục hoàn thuế GTGT hàng xuất khẩu tại chỗ",
    "Đội Nghiệp vụ trả lời trước 20/02.",
    "Nơi nhận:",
    "- Như trên;",
    "- Cục Hải quan TP. Hồ Chí Minh (để b/c);",
    "- Lưu: VT, NV.",
    "KT. CHI CỤC TRƯỞNG",
    "PHÓ CHI CỤC TRƯỞNG",
    "Nguyễn Thị Hường",
]


def flat(text: str) -> str:
    """NFC with every run of whitespace (line ends of wrapped lines included) as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def docx_text(data: bytes) -> str:
    """The body's paragraphs and table cells, in the order of the document."""
    texts = []
    for item in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, docx.table.Table):
            texts.extend(cell.text for row in item.rows for cell in row.cells)
        else:
            texts.append(item.text)
    return flat("\n".join(texts))


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def state_docx() -> bytes:
    return render_docx(minutes())


@pytest.fixture(scope="module")
def state_pdf() -> bytes:
    return render_pdf(minutes())


@pytest.fixture(scope="module")
def party_files() -> tuple[bytes, bytes]:
    document = minutes(layout="party")
    return render_docx(document), render_pdf(document)


@pytest.mark.parametrize("day, expected", [
    (date(2020, 2, 7), "TP. Hồ Chí Minh, ngày 07 tháng 02 năm 2020"),
    (date(2020, 1, 1), "TP. Hồ Chí Minh, ngày 01 tháng 01 năm 2020"),
    (date(2020, 3, 6), "TP. Hồ Chí Minh, ngày 06 tháng 3 năm 2020"),
    (date(2020, 12, 31), "TP. Hồ Chí Minh, ngày 31 tháng 12 năm 2020"),
    (date(2021, 10, 10), "TP. Hồ Chí Minh, ngày 10 tháng 10 năm 2021"),
])
def test_it_writes_days_below_10_and_months_1_and_2_with_a_leading_zero(day, expected):
    assert place_and_date("TP. Hồ Chí Minh", day) == expected


def test_it_numbers_a_state_document_with_slash_and_hyphen_and_a_leading_zero():
    assert document_number(12, "BB", "HQCNC") == "12/BB-HQCNC"
    assert document_number(5, "BB", "HQCNC") == "05/BB-HQCNC"
    assert document_number(123, "", "HQCNC") == "123/HQCNC"


def test_it_numbers_a_party_document_with_the_kind_after_the_number():
    assert document_number(5, "BC", "ĐU", layout="party") == "05-BC/ĐU"


def test_it_refuses_a_number_below_one_and_an_unknown_layout():
    with pytest.raises(ValueError):
        document_number(0, "BB", "HQCNC")
    with pytest.raises(ValueError):
        minutes(layout="company")


def test_it_refuses_a_table_row_of_the_wrong_length():
    with pytest.raises(ValueError):
        Table(["STT", "Nội dung"], [["1", "Hoàn thuế", "thừa"]])


def test_the_docx_opens_again_and_holds_every_text_in_order(state_docx):
    text = docx_text(state_docx)
    position = 0
    for expected in STATE_TEXTS:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} not found after position {position}"
        position = found + len(expected)


def test_the_docx_is_a4_with_the_decree_margins_in_times_new_roman(state_docx):
    word = docx.Document(io.BytesIO(state_docx))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    top, bottom, left, right = (round(margin.mm, 1) for margin in (
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin))
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14


def test_the_docx_prints_the_motto_bold_and_the_date_italic(state_docx):
    word = docx.Document(io.BytesIO(state_docx))
    runs = {run.text: run for table in word.tables for row in table.rows for cell in row.cells
            for paragraph in cell.paragraphs for run in paragraph.runs}
    assert runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].bold
    assert runs["Độc lập - Tự do - Hạnh phúc"].bold
    assert runs["CHI CỤC HẢI QUAN KHU CÔNG NGHỆ CAO"].bold
    assert not runs["CỤC HẢI QUAN TP. HỒ CHÍ MINH"].bold
    assert runs["TP. Hồ Chí Minh, ngày 07 tháng 02 năm 2020"].italic
    label = runs["Nơi nhận:"]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert runs["- Như trên;"].font.size.pt == 11


def test_the_docx_numbers_pages_from_the_second_at_the_top(state_docx):
    section = docx.Document(io.BytesIO(state_docx)).sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_pdf_holds_every_text_with_its_diacritics_intact(state_pdf):
    text = flat("\n".join(pdf_pages(state_pdf)))
    for expected in STATE_TEXTS:
        assert expected in text, f"{expected!r} not found in the PDF's text"


def test_the_pdf_embeds_only_a_times_metric_font(state_pdf):
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(state_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert names
    # A glyph missing from the font (Liberation Serif 1.x has no ư, ơ, ạ, ế...) would come
    # from a fallback font (Noto Serif, DejaVu) and show in this list.
    assert all(re.search("Liberation|Tinos|Times", name) for name in names), names


def test_the_pdf_is_a4(state_pdf):
    box = pypdf.PdfReader(io.BytesIO(state_pdf)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_the_pdf_numbers_pages_from_the_second_centred_in_the_top_margin():
    pdf = render_pdf(minutes(blocks=[Paragraph("Doanh nghiệp phản ánh vướng mắc về thuế GTGT. " * 8)]
                             * 20))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        placed = []  # each piece of text with where it is drawn, in points from the bottom left

        def visit(text, cm, tm, font, size, placed=placed):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            placed.append((text.strip(), x, y))

        page.extract_text(visitor_text=visit)
        in_top_margin = [(text, x) for text, x, y in placed
                         if text and y > float(page.mediabox.height) - 20 * 72 / 25.4]
        if number == 1:
            assert in_top_margin == []
        else:
            [(text, x)] = in_top_margin
            centre = (30 + 165 / 2) * 72 / 25.4  # of the text area, between the margins
            assert text == str(number) and abs(x - centre) < 8


def test_the_party_layout_has_its_own_header(party_files):
    party_docx, party_pdf = party_files
    for text in (docx_text(party_docx), flat("\n".join(pdf_pages(party_pdf)))):
        assert "ĐẢNG BỘ CỤC HẢI QUAN TP. HỒ CHÍ MINH" in text
        assert "ĐẢNG ỦY CHI CỤC HẢI QUAN KHU CÔNG NGHỆ CAO * Số 05-BC/ĐU" in text
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "TP. Hồ Chí Minh, ngày 07 tháng 02 năm 2020" in text
        assert "BÁO CÁO" in text and "T/M ĐẢNG ỦY" in text and "BÍ THƯ" in text
        assert "Số:" not in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


def test_the_party_layout_underlines_its_heading_and_the_recipients_label(party_files):
    word = docx.Document(io.BytesIO(party_files[0]))
    runs = {run.text: run for table in word.tables for row in table.rows for cell in row.cells
            for paragraph in cell.paragraphs for run in paragraph.runs}
    assert runs["Nơi nhận:"].underline and not runs["Nơi nhận:"].italic
    assert runs["ĐẢNG CỘNG SẢN VIỆT NAM"].bold and runs["ĐẢNG CỘNG SẢN VIỆT NAM"].font.size.pt == 15
    assert 'class="ruled">ĐẢNG CỘNG SẢN VIỆT NAM' in render_html(minutes(layout="party"))


def test_the_secretary_of_the_minutes_signs_on_the_left_of_the_chair():
    document = minutes(signer_authority="", signer_position="Chủ trì",
                       countersigner=Signature("Thư ký", "Trần Quốc Vượng"))
    word = docx.Document(io.BytesIO(render_docx(document)))
    signatures = word.tables[-1]
    left, right = (flat(cell.text) for cell in signatures.rows[0].cells)
    assert left.startswith("THƯ KÝ") and left.endswith("Trần Quốc Vượng")
    assert right.startswith("CHỦ TRÌ") and right.endswith("Nguyễn Thị Hường")
    assert "Nơi nhận: - Như trên;" in flat(signatures.rows[1].cells[0].text)


def test_it_prints_markup_in_texts_as_text():
    document = minutes(blocks=[Paragraph("<b>Phí</b> lưu kho & bãi </p><script>x</script>")])
    page = render_html(document)
    assert "<b>Phí</b>" not in page and "<script>" not in page
    assert "&lt;b&gt;Phí&lt;/b&gt; lưu kho &amp; bãi" in page
    text = flat("\n".join(pdf_pages(render_pdf(document))))
    assert "<b>Phí</b> lưu kho & bãi </p><script>x</script>" in text


def test_it_writes_text_typed_with_combining_marks_in_composed_form():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    assert decomposed != "Nguyễn Thị Hường"
    text = docx_text(render_docx(minutes(signer_name=decomposed)))
    assert "Nguyễn Thị Hường" in text and decomposed not in text
