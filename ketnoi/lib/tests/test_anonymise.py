import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.anonymise import LABELS, Anonymised, Replacement, anonymise
from ketnoi.lib.taxcode import is_valid, make

# Fictional data: these companies and people do not exist. Tax codes are built to be valid
# (0312345673) or not (0312345678) by ketnoi.lib.taxcode.
VALID_TAX_CODE = make("031234567")
assert VALID_TAX_CODE == "0312345673"
assert not is_valid("0903123456") and not is_valid("0312345678")


def _kinds(result: Anonymised) -> list[tuple[str, str]]:
    return [(r.kind, r.original) for r in result.replacements]


def _assert_spans(result: Anonymised) -> None:
    for replacement in result.replacements:
        assert result.text[replacement.start:replacement.end] == replacement.label


# --- enterprises ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "Công ty TNHH Thương mại Dịch vụ Minh Phát",
    "Công ty Cổ phần Xuất nhập khẩu Hoàng Long",
    "Công ty cổ phần Đầu tư Sài Gòn Xanh",
    "Công ty CP Giao nhận Vận tải Phương Nam",
    "Cty TNHH MTV XNK Hoàng Long",
    "Công ty TNHH một thành viên Thực phẩm Bảo An",
    "DNTN Thanh Bình",
    "Doanh nghiệp tư nhân Thanh Bình",
    "Chi nhánh Công ty TNHH Điện tử Ánh Dương",
    "Công ty TNHH Samsung Electronics Việt Nam Thái Nguyên",
    "CÔNG TY TNHH THƯƠNG MẠI MINH PHÁT",
])
def test_it_replaces_an_enterprise_name_up_to_its_end(name):
    result = anonymise(f"{name} đã nộp hồ sơ.")
    assert result.text == "[doanh nghiệp] đã nộp hồ sơ."
    assert _kinds(result) == [("enterprise", name)]


def test_an_enterprise_name_stops_at_punctuation_and_lower_case_words():
    result = anonymise("Công ty TNHH Minh Phát, có trụ sở tại Công ty CP Hoàng Long tại Bình Dương.")
    assert result.text == "[doanh nghiệp], có trụ sở tại [doanh nghiệp] tại Bình Dương."


def test_a_business_line_after_the_name_is_not_part_of_it():
    result = anonymise("Công ty CP Minh Phát xuất khẩu lô hàng")
    assert result.text == "[doanh nghiệp] xuất khẩu lô hàng"


def test_it_does_not_take_company_without_a_name():
    for text in ["công ty em nhập khẩu máy móc", "Công ty TNHH được thành lập", "các công ty chế xuất"]:
        assert anonymise(text).text == text


def test_it_replaces_the_distinctive_name_again_where_it_stands_alone():
    result = anonymise("Công ty TNHH Thương mại Dịch vụ Minh Phát nhập khẩu. Sau đó Minh Phát khai bổ sung.")
    assert result.text == "[doanh nghiệp] nhập khẩu. Sau đó [doanh nghiệp] khai bổ sung."


# --- numbers -------------------------------------------------------------------------------

def test_it_replaces_a_valid_ten_digit_tax_code():
    result = anonymise(f"Mã doanh nghiệp {VALID_TAX_CODE} đã đăng ký.")
    assert result.text == "Mã doanh nghiệp [mã số thuế] đã đăng ký."
    assert _kinds(result) == [("tax_code", VALID_TAX_CODE)]


@pytest.mark.parametrize("written", [f"{VALID_TAX_CODE}-001", f"{VALID_TAX_CODE}-002", f"{VALID_TAX_CODE} 001"])
def test_it_replaces_a_branch_tax_code(written):
    result = anonymise(f"chi nhánh ({written}).")
    assert result.text == "chi nhánh ([mã số thuế])."
    assert _kinds(result) == [("tax_code", written)]


def test_an_invalid_ten_digit_number_is_a_tax_code_when_it_is_called_one():
    result = anonymise("MST: 0312345678")
    assert _kinds(result) == [("tax_code", "0312345678")]


def test_an_invalid_ten_digit_number_shaped_like_a_mobile_is_a_phone():
    result = anonymise("Liên hệ 0903123456 hoặc 0312345678")
    assert _kinds(result) == [("phone", "0903123456"), ("phone", "0312345678")]


def test_phone_context_wins_over_a_valid_checksum():
    result = anonymise(f"ĐT: {VALID_TAX_CODE}")
    assert _kinds(result) == [("phone", VALID_TAX_CODE)]


def test_it_leaves_a_ten_digit_number_that_is_neither():
    assert anonymise("số lượng 1234567890 chiếc").replacements == []


def test_a_count_after_a_ten_digit_number_is_not_a_branch_suffix():
    result = anonymise("số 0903123456 100 chiếc")
    assert result.text == "số [số điện thoại] 100 chiếc"


@pytest.mark.parametrize("written", ["104512345670", "305123456789"])
def test_it_replaces_a_declaration_number(written):
    result = anonymise(f"Tờ khai số {written}/A11 ngày 12/03/2020 đã thông quan.")
    assert result.text == "Tờ khai số [số tờ khai]/A11 ngày 12/03/2020 đã thông quan."
    assert _kinds(result) == [("declaration", written)]


@pytest.mark.parametrize("written", ["TCLU 1234567", "MSKU1234565", "TGHU 123456-7", "CAXZ1234567", "SEGJ 1234567"])
def test_it_replaces_a_container_number(written):
    result = anonymise(f"Container {written} được soi chiếu.")
    assert result.text == "Container [số container] được soi chiếu."
    assert _kinds(result) == [("container", written)]


def test_it_does_not_take_other_letter_and_digit_codes_for_containers():
    for text in ["mã TCLX 1234567", "TCLU 123456", "tcLU 1234567", "ISO 9001:2015"]:
        assert anonymise(text).replacements == [], text


@pytest.mark.parametrize("written", [
    "0903 123 456", "0903.123.456", "0903-123-456", "090.312.3456", "0903123456",
    "028 3829 1234", "028.3829.1234", "(028) 3829 1234", "02838291234", "0283.829.1234",
    "+84 903 123 456", "+84903123456", "+84 28 3829 1234", "+84 (0) 903-123-456", "(+84) 903.123.456",
    "0084 903123456",
])
def test_it_replaces_a_vietnamese_phone_number(written):
    result = anonymise(f"Điện thoại: {written}, gọi giờ hành chính.")
    assert result.text == "Điện thoại: [số điện thoại], gọi giờ hành chính."
    assert _kinds(result) == [("phone", written)]


def test_a_closing_parenthesis_after_a_phone_stays():
    assert anonymise("(ĐT 0903 123 456)").text == "(ĐT [số điện thoại])"


@pytest.mark.parametrize("address", ["ha.tran@minhphat.com.vn", "ke_toan+hq@hoanglong.vn", "NVA@EXAMPLE.COM"])
def test_it_replaces_an_email_address(address):
    result = anonymise(f"Gửi về {address}.")
    assert result.text == "Gửi về [e-mail]."
    assert _kinds(result) == [("email", address)]


# --- people --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Ông Nguyễn Văn Hùng đề nghị", "Ông [họ tên] đề nghị"),
    ("ông Nguyễn Văn A đề nghị", "ông [họ tên] đề nghị"),
    ("bà Trần Thị Thu Hà đề nghị", "bà [họ tên] đề nghị"),
    ("anh Lê Minh đề nghị", "anh [họ tên] đề nghị"),
    ("chị Phạm Ngọc Lan đề nghị", "chị [họ tên] đề nghị"),
    ("Mr. Kim Min Jun đề nghị", "Mr. [họ tên] đề nghị"),
    ("Ms Sarah Lee đề nghị", "Ms [họ tên] đề nghị"),
    ("Giám đốc Võ Thành Nam đề nghị", "Giám đốc [họ tên] đề nghị"),
    ("Kế toán trưởng Đỗ Thị Mai đề nghị", "Kế toán trưởng [họ tên] đề nghị"),
    ("Phó Giám đốc Hồ Văn Tâm đề nghị", "Phó Giám đốc [họ tên] đề nghị"),
    ("ke toan truong Do Thi Mai de nghi", "ke toan truong [họ tên] de nghi"),
    ("ÔNG NGUYỄN VĂN HÙNG, GIÁM ĐỐC", "ÔNG [họ tên], GIÁM ĐỐC"),
    ("bà Tôn Nữ Thị Minh Châu đề nghị", "bà [họ tên] đề nghị"),
])
def test_it_replaces_a_name_after_a_title(text, expected):
    result = anonymise(text)
    assert result.text == expected
    assert [r.kind for r in result.replacements] == ["person"]


def test_a_name_stops_before_the_next_title():
    assert anonymise("ông Nguyễn Văn Hùng Giám đốc công ty").text == "ông [họ tên] Giám đốc công ty"


@pytest.mark.parametrize("text", [
    "chị Lan đề nghị",                      # one syllable: not enough to be sure
    "Giám đốc Chi cục Hải quan Khu chế xuất Tân Thuận",
    "Giám đốc Công ty đề nghị",
    "tỉnh Bà Rịa Vũng Tàu",
    "cầu Ông Lãnh",
    "tiếng Anh Thương Mại",
    "ba Container",
    "ông ấy đã nộp",
])
def test_it_does_not_take_these_for_names(text):
    assert anonymise(text).text == text


def test_a_name_found_after_a_title_is_replaced_everywhere():
    text = "Ông Nguyễn Văn Hùng gọi điện. Sau đó Nguyễn Văn Hùng gửi văn bản; anh Hùng xác nhận."
    result = anonymise(text)
    assert result.text == "Ông [họ tên] gọi điện. Sau đó [họ tên] gửi văn bản; anh [họ tên] xác nhận."


def test_it_replaces_known_names_with_or_without_diacritics_in_any_case():
    text = "Nguyễn Thị Lan, nguyen thi lan và NGUYỄN THỊ LAN là một người."
    result = anonymise(text, known_names=["Nguyen Thi Lan"])
    assert result.text == "[họ tên], [họ tên] và [họ tên] là một người."
    assert [r.original for r in result.replacements] == ["Nguyễn Thị Lan", "nguyen thi lan", "NGUYỄN THỊ LAN"]


def test_it_replaces_known_enterprises_and_their_short_name():
    text = "Cty Hoang Long Logistics đề nghị; sau đó hoàng long logistics bổ sung hồ sơ."
    result = anonymise(text, known_enterprises=["Công ty TNHH Hoàng Long Logistics"])
    assert result.text == "[doanh nghiệp] đề nghị; sau đó [doanh nghiệp] bổ sung hồ sơ."


def test_known_names_match_whole_words_only():
    assert anonymise("Lan can cầu cảng", known_names=["Lan"]).text == "[họ tên] can cầu cảng"
    assert anonymise("Thailand", known_names=["Lan"]).text == "Thailand"


def test_empty_known_strings_are_ignored():
    assert anonymise("nội dung", known_names=["", "  "], known_enterprises=["-"]).text == "nội dung"


# --- what is kept --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Theo Thông tư 38/2015/TT-BTC và Nghị định 08/2015/NĐ-CP.",
    "Công văn 5170/TCHQ-GSQL ngày 12/03/2020.",
    "Mã HS 8471.30.20 hoặc 0101.21.00.",
    "ngày 12/3/2020, 01.03.2020, 01-03-2020, tháng 3/2020",
    "trị giá 1.250.000.000 đồng, 15 triệu đồng, 2.000 USD, 1250000000 VNĐ, 500.000đ, 1,5 tỷ",
    "Chi cục Hải quan Khu chế xuất Tân Thuận",
    "Cục Hải quan TP. Hồ Chí Minh và Tổng cục Hải quan",
    "Điều 5 Thông tư 38/2015/TT-BTC",
])
def test_it_keeps_what_the_reader_needs(text):
    result = anonymise(text)
    assert result.text == text
    assert result.replacements == []


def test_a_known_name_inside_a_customs_unit_is_kept():
    text = "Chi cục Hải quan Khu chế xuất Tân Thuận trả lời; Tân Thuận Logistics hỏi."
    result = anonymise(text, known_enterprises=["Tân Thuận Logistics", "Tân Thuận"])
    assert result.text == "Chi cục Hải quan Khu chế xuất Tân Thuận trả lời; [doanh nghiệp] hỏi."


def test_an_enterprise_after_a_customs_unit_is_still_replaced():
    result = anonymise("Hải quan Tân Thuận Công ty TNHH Minh Phát")
    assert result.text == "Hải quan Tân Thuận [doanh nghiệp]"


# --- labels, spans and consistency ---------------------------------------------------------

def test_labels_can_be_overridden_per_kind():
    result = anonymise("Ông Nguyễn Văn Hùng, MST 0312345673", labels={"person": "[name]", "tax_code": "[tax code]"})
    assert result.text == "Ông [name], MST [tax code]"
    assert [r.label for r in result.replacements] == ["[name]", "[tax code]"]


def test_the_default_labels_cover_every_kind():
    assert set(LABELS) == {"enterprise", "tax_code", "declaration", "container", "phone", "email", "person"}


def test_overlaps_go_to_the_longest_span():
    result = anonymise("Công ty TNHH Minh Phát", known_names=["Minh Phát"])
    assert _kinds(result) == [("enterprise", "Công ty TNHH Minh Phát")]


def test_the_same_original_always_gets_the_same_kind_and_label():
    text = f"ĐT: {VALID_TAX_CODE}. Sau đó gửi {VALID_TAX_CODE} cho cơ quan thuế."
    result = anonymise(text)
    assert [(r.kind, r.label) for r in result.replacements] == [("phone", "[số điện thoại]")] * 2


def test_replacements_report_spans_in_the_new_text():
    text = "Ông Nguyễn Văn Hùng (0903 123 456, hung@minhphat.vn) của Công ty CP Minh Phát, tờ khai 104512345670."
    result = anonymise(text)
    _assert_spans(result)
    assert [r.kind for r in result.replacements] == ["person", "phone", "email", "enterprise", "declaration"]
    assert result.replacements[0] == Replacement(start=4, end=12, original="Nguyễn Văn Hùng", label="[họ tên]",
                                                 kind="person")


def test_it_returns_the_text_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Ông Nguyễn Văn Hùng đề nghị")
    result = anonymise(decomposed)
    assert result.text == "Ông [họ tên] đề nghị"


def test_a_realistic_paragraph():
    text = (
        "Kính gửi Chi cục Hải quan Khu chế xuất Tân Thuận.\n"
        "Công ty TNHH Thương mại Dịch vụ Minh Phát (MST 0312345673, ĐT 0903 123 456) nhập khẩu lô "
        "máy móc đã qua sử dụng theo tờ khai số 104512345670 ngày 12/03/2020, container TCLU 1234567 "
        "và MSKU1234565, mã HS 8471.30.20, trị giá 1.250.000.000 đồng. Ông Nguyễn Văn Hùng, Giám đốc, "
        "và Kế toán trưởng Trần Thị Thu Hà (email ha.tran@minhphat.com.vn, điện thoại +84 28 3829 1234) "
        "đề nghị hướng dẫn thủ tục theo Thông tư số 38/2015/TT-BTC và Nghị định 08/2015/NĐ-CP. "
        "Anh Hùng cho biết Minh Phát đã nộp đủ thuế."
    )
    result = anonymise(text)
    assert result.text == (
        "Kính gửi Chi cục Hải quan Khu chế xuất Tân Thuận.\n"
        "[doanh nghiệp] (MST [mã số thuế], ĐT [số điện thoại]) nhập khẩu lô "
        "máy móc đã qua sử dụng theo tờ khai số [số tờ khai] ngày 12/03/2020, container [số container] "
        "và [số container], mã HS 8471.30.20, trị giá 1.250.000.000 đồng. Ông [họ tên], Giám đốc, "
        "và Kế toán trưởng [họ tên] (email [e-mail], điện thoại [số điện thoại]) "
        "đề nghị hướng dẫn thủ tục theo Thông tư số 38/2015/TT-BTC và Nghị định 08/2015/NĐ-CP. "
        "Anh [họ tên] cho biết [doanh nghiệp] đã nộp đủ thuế."
    )
    _assert_spans(result)
    assert {r.kind for r in result.replacements} == set(LABELS)


@given(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=3))
def test_it_never_fails_and_its_spans_hold(text, names):
    result = anonymise(text, known_names=names)
    _assert_spans(result)
    assert all(r.kind in LABELS for r in result.replacements)
    starts = [r.start for r in result.replacements]
    assert starts == sorted(starts)


def test_a_name_after_lower_case_customs_is_not_a_unit_name():
    result = anonymise("cán bộ hải quan Nguyễn Văn An đã hướng dẫn", known_names=["Nguyễn Văn An"])
    assert result.text == "cán bộ hải quan [họ tên] đã hướng dẫn"
