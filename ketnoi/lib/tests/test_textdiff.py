import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.textdiff import ADDED, REMOVED, SAME, Paragraph, changed, diff, paragraphs

OPENING = "Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng Chính phủ về phòng, chống dịch COVID-19."
HOURS = "Các Chi cục bố trí cán bộ trực từ 07 giờ 30 đến 17 giờ 00 hằng ngày, kể cả thứ Bảy."
MASKS = "Cán bộ, công chức đeo khẩu trang khi tiếp xúc với người khai hải quan."
REPORT = "Thủ trưởng đơn vị báo cáo tình hình về Văn phòng Cục trước 16 giờ hằng ngày."
TEXT = "\n".join([OPENING, HOURS, MASKS, REPORT])


def statuses(result):
    return [paragraph.status for paragraph in result]


def text_of(paragraph: Paragraph, *kinds) -> str:
    return "".join(text for kind, text in paragraph.pieces if kind in kinds)


def words_of(paragraph: Paragraph, kind) -> list[str]:
    return " ".join(text for k, text in paragraph.pieces if k == kind).split()


def old_side(paragraph):
    return text_of(paragraph, SAME, REMOVED)


def new_side(paragraph):
    return text_of(paragraph, SAME, ADDED)


# --- unchanged text -------------------------------------------------------------------------

def test_it_shows_an_unchanged_text_as_the_same_paragraphs():
    result = diff(TEXT, TEXT)
    assert statuses(result) == ["same"] * 4
    assert [p.pieces for p in result] == [((SAME, p),) for p in (OPENING, HOURS, MASKS, REPORT)]
    assert not changed(result)


def test_empty_texts_have_no_paragraphs():
    assert diff("", "") == []
    assert diff("  \n\r\n\t ", "\n") == []
    assert not changed([])


def test_a_text_from_nothing_is_all_added():
    result = diff("", TEXT)
    assert statuses(result) == ["added"] * 4
    assert [p.pieces for p in result] == [((ADDED, p),) for p in (OPENING, HOURS, MASKS, REPORT)]
    assert changed(result)


def test_a_text_emptied_is_all_removed():
    result = diff(TEXT, "")
    assert statuses(result) == ["removed"] * 4
    assert result[1].pieces == ((REMOVED, HOURS),)


# --- words changed inside a paragraph --------------------------------------------------------

def test_a_time_changed_is_one_changed_paragraph_with_the_words_removed_and_added():
    new = TEXT.replace("từ 07 giờ 30", "từ 08 giờ 00")
    result = diff(TEXT, new)
    assert statuses(result) == ["same", "changed", "same", "same"]
    pieces = result[1].pieces
    assert pieces == (
        (SAME, "Các Chi cục bố trí cán bộ trực từ "), (REMOVED, "07"), (ADDED, "08"), (SAME, " giờ "),
        (REMOVED, "30"), (ADDED, "00"), (SAME, " đến 17 giờ 00 hằng ngày, kể cả thứ Bảy."),
    )
    assert old_side(result[1]) == HOURS and new_side(result[1]) == new.split("\n")[1]


def test_a_word_added_inside_a_paragraph_is_only_added():
    new = TEXT.replace("đeo khẩu trang", "đeo khẩu trang y tế")
    (paragraph,) = [p for p in diff(TEXT, new) if p.status != "same"]
    assert paragraph.status == "changed"
    assert text_of(paragraph, REMOVED) == ""
    assert text_of(paragraph, ADDED) == " y tế" or text_of(paragraph, ADDED) == "y tế "
    assert new_side(paragraph) == MASKS.replace("khẩu trang", "khẩu trang y tế")


def test_a_word_removed_inside_a_paragraph_is_only_removed():
    new = TEXT.replace("cán bộ trực từ", "cán bộ từ")
    (paragraph,) = [p for p in diff(TEXT, new) if p.status != "same"]
    assert paragraph.status == "changed"
    assert text_of(paragraph, ADDED) == ""
    assert text_of(paragraph, REMOVED).strip() == "trực"
    assert old_side(paragraph) == HOURS and new_side(paragraph) == HOURS.replace("cán bộ trực từ", "cán bộ từ")


def test_punctuation_stays_with_its_word():
    # Words are compared as written, their punctuation attached: "ngày," and "ngày." differ.
    new = TEXT.replace(", kể cả thứ Bảy", "")
    (paragraph,) = [p for p in diff(TEXT, new) if p.status != "same"]
    assert paragraph.status == "changed"
    assert text_of(paragraph, REMOVED) == "ngày, kể cả thứ Bảy."
    assert text_of(paragraph, ADDED) == "ngày."


def test_pieces_never_repeat_a_kind_nor_hold_empty_text():
    new = TEXT.replace("07 giờ 30", "08 giờ 00").replace("16 giờ", "15 giờ 30")
    for paragraph in diff(TEXT, new):
        kinds = [kind for kind, _text in paragraph.pieces]
        assert all(text for _kind, text in paragraph.pieces)
        assert all(a != b for a, b in zip(kinds, kinds[1:])), paragraph


def test_a_paragraph_rewritten_completely_is_removed_and_added_not_changed():
    rewritten = "Tạm dừng tiếp khách tại trụ sở; doanh nghiệp gửi hồ sơ qua dịch vụ công trực tuyến."
    result = diff(TEXT, TEXT.replace(MASKS, rewritten))
    assert statuses(result) == ["same", "same", "removed", "added", "same"]
    assert result[2].pieces == ((REMOVED, MASKS),) and result[3].pieces == ((ADDED, rewritten),)


# --- paragraphs added, removed, moved ------------------------------------------------------

def test_a_paragraph_added_in_the_middle_is_added_in_its_place():
    extra = "Phòng Giám sát quản lý hướng dẫn thông quan nhanh khẩu trang, vật tư y tế."
    new = "\n".join([OPENING, HOURS, extra, MASKS, REPORT])
    result = diff(TEXT, new)
    assert statuses(result) == ["same", "same", "added", "same", "same"]
    assert result[2].pieces == ((ADDED, extra),)


def test_a_paragraph_added_at_the_end_is_added_last():
    extra = "Chỉ đạo này có hiệu lực đến khi có văn bản thay thế."
    result = diff(TEXT, TEXT + "\n" + extra)
    assert statuses(result) == ["same"] * 4 + ["added"]


def test_a_paragraph_removed_is_removed_in_its_place():
    new = "\n".join([OPENING, HOURS, REPORT])
    result = diff(TEXT, new)
    assert statuses(result) == ["same", "same", "removed", "same"]
    assert result[2].pieces == ((REMOVED, MASKS),)


def test_a_paragraph_moved_is_removed_from_its_old_place_and_added_at_its_new_one():
    new = "\n".join([OPENING, MASKS, REPORT, HOURS])
    result = diff(TEXT, new)
    assert "changed" not in statuses(result)
    assert [p for p in result if p.status == "removed"] == [Paragraph("removed", ((REMOVED, HOURS),))]
    assert [p for p in result if p.status == "added"] == [Paragraph("added", ((ADDED, HOURS),))]
    # Reading order: the old place before the paragraphs that stay, the new place after them.
    assert statuses(result) == ["same", "removed", "same", "same", "added"]


def test_reading_the_result_gives_back_both_texts():
    new = "\n".join([OPENING.replace("16/CT-TTg", "15/CT-TTg"), MASKS, "Một đoạn mới hoàn toàn khác hẳn.", REPORT])
    result = diff(TEXT, new)
    olds = [old_side(p) for p in result if p.status != "added"]
    news = [new_side(p) for p in result if p.status != "removed"]
    assert olds == paragraphs(TEXT) and news == paragraphs(new)


# --- what is not a difference ----------------------------------------------------------------

def test_crlf_and_lf_are_the_same_text():
    assert not changed(diff(TEXT, TEXT.replace("\n", "\r\n")))
    assert not changed(diff(TEXT.replace("\n", "\r\n"), TEXT))


def test_an_old_mac_line_break_splits_paragraphs_too():
    assert not changed(diff(TEXT, TEXT.replace("\n", "\r")))


def test_spaces_tabs_and_blank_lines_are_not_differences():
    spaced = "\n\n".join(f"  {p.replace(' ', '   ', 3)}\t " for p in (OPENING, HOURS, MASKS, REPORT)) + "\n\n\n"
    assert not changed(diff(TEXT, spaced))
    assert not changed(diff(TEXT, TEXT.replace(" ", "\u00a0")))  # non-breaking spaces pasted from Word


def test_the_paragraphs_shown_are_tidied():
    assert paragraphs("  Điều 1.\t Cán  bộ  trực \r\n\r\n Điều 2. ") == ["Điều 1. Cán bộ trực", "Điều 2."]


def test_a_text_typed_decomposed_is_the_same_as_the_text_composed():
    # The same words typed on a Mac (NFD) and on Windows (NFC) are not a change in the directive.
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    assert statuses(diff(decomposed, TEXT)) == ["same"] * 4
    assert statuses(diff(TEXT, decomposed)) == ["same"] * 4


def test_a_real_change_in_a_decomposed_text_shows_only_the_changed_word_composed():
    decomposed = unicodedata.normalize("NFD", TEXT)
    result = diff(decomposed, TEXT.replace("khẩu trang", "kính chắn giọt bắn"))
    (paragraph,) = [p for p in result if p.status != "same"]
    assert paragraph.status == "changed"
    assert words_of(paragraph, REMOVED) == ["khẩu", "trang"]
    assert words_of(paragraph, ADDED) == ["kính", "chắn", "giọt", "bắn"]
    assert new_side(paragraph) == MASKS.replace("khẩu trang", "kính chắn giọt bắn")
    assert all(unicodedata.is_normalized("NFC", text) for _kind, text in paragraph.pieces)


def test_a_change_of_diacritic_is_a_change():
    # "thuế" (tax) and "thuê" (rent) are different words.
    result = diff("Miễn thuế mặt bằng.", "Miễn thuê mặt bằng.")
    assert statuses(result) == ["changed"]
    assert text_of(result[0], REMOVED) == "thuế" and text_of(result[0], ADDED) == "thuê"


# --- properties ------------------------------------------------------------------------------

lines = st.lists(st.sampled_from([OPENING, HOURS, MASKS, REPORT, "Điều 1.", "Điều 2.", "", "  "]), max_size=8)


@given(lines, lines)
def test_both_texts_can_be_read_back_from_any_diff(a, b):
    old, new = "\n".join(a), "\n".join(b)
    result = diff(old, new)
    assert [old_side(p) for p in result if p.status != "added"] == paragraphs(old)
    assert [new_side(p) for p in result if p.status != "removed"] == paragraphs(new)
    assert changed(result) == (paragraphs(old) != paragraphs(new))


@given(st.text(max_size=300))
def test_a_text_against_itself_is_unchanged(text):
    assert not changed(diff(text, text))
