import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.citations import KIND_NAMES, Citation, canonical, find, infer_kind, name, parse


def _found(text):
    return [(c.text, c.kind, c.number) for c in find(text)]


# --- canonical -----------------------------------------------------------------------------

@pytest.mark.parametrize("typed, official", [
    ("38/2015/TT-BTC", "38/2015/TT-BTC"),
    ("38/2015/tt-btc", "38/2015/TT-BTC"),
    ("08/2015/ND-CP", "08/2015/NĐ-CP"),
    ("08/2015/nđ-cp", "08/2015/NĐ-CP"),
    ("08/2015/NÐ-CP", "08/2015/NĐ-CP"),  # eth (U+00D0) from legacy-encoding converters
    ("18/2019/QD-TTg", "18/2019/QĐ-TTg"),
    ("18/2019/qd-ttg", "18/2019/QĐ-TTg"),
    ("18/2019/QĐ-TTG", "18/2019/QĐ-TTg"),
    ("1254/QD-BTC", "1254/QĐ-BTC"),
    ("16/ct-ttg", "16/CT-TTg"),
    ("54/2014/qh13", "54/2014/QH13"),
    ("12/2020/NQ-HDND", "12/2020/NQ-HĐND"),
    ("5170/tchq-gsql", "5170/TCHQ-GSQL"),
    (" 38 / 2015 / TT - BTC ", "38/2015/TT-BTC"),
    ("38/2015/TT\u2013BTC", "38/2015/TT-BTC"),  # en dash from a word processor
    ("57-nq/tw", "57-NQ/TW"),
    ("01-qd/du", "01-QĐ/ĐU"),
])
def test_it_gives_the_official_spelling(typed, official):
    assert canonical(typed) == official


def test_it_keeps_leading_zeros_as_written():
    assert canonical("08/2015/ND-CP") == "08/2015/NĐ-CP"
    assert canonical("8/2015/ND-CP") == "8/2015/NĐ-CP"


def test_it_does_not_put_d_with_stroke_into_other_codes():
    assert canonical("123/BTC-TCHQ") == "123/BTC-TCHQ"
    assert canonical("45/2021/TT-BNNPTNT") == "45/2021/TT-BNNPTNT"
    assert canonical("9/2020/TT-NHNN") == "9/2020/TT-NHNN"


@given(st.text(max_size=40))
def test_canonical_is_idempotent(text):
    once = canonical(text)
    assert canonical(once) == once


# --- find: what is a citation --------------------------------------------------------------

@pytest.mark.parametrize("text, kind, number", [
    ("Thông tư 38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("Thông tư số 38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("TT 38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("thong tu 38/2015/tt-btc", "thong-tu", "38/2015/TT-BTC"),
    ("THÔNG TƯ SỐ 38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("Thông tư liên tịch số 64/2015/TTLT-BTC-BCT-BCA-BQP", "thong-tu", "64/2015/TTLT-BTC-BCT-BCA-BQP"),
    ("Nghị định 08/2015/NĐ-CP", "nghi-dinh", "08/2015/NĐ-CP"),
    ("NĐ 08/2015/ND-CP", "nghi-dinh", "08/2015/NĐ-CP"),
    ("nghi dinh so 59/2018/nd-cp", "nghi-dinh", "59/2018/NĐ-CP"),
    ("Nghị định số 59/2018/NĐ-CP", "nghi-dinh", "59/2018/NĐ-CP"),
    ("Luật Hải quan số 54/2014/QH13", "luat", "54/2014/QH13"),
    ("Luật số 107/2016/QH13", "luat", "107/2016/QH13"),
    ("Luật Quản lý thuế số 38/2019/QH14", "luat", "38/2019/QH14"),
    ("luat hai quan so 54/2014/qh13", "luat", "54/2014/QH13"),
    ("Quyết định 18/2019/QĐ-TTg", "quyet-dinh", "18/2019/QĐ-TTg"),
    ("QĐ 18/2019/QD-TTg", "quyet-dinh", "18/2019/QĐ-TTg"),
    ("Quyết định số 1254/QĐ-TCHQ", "quyet-dinh", "1254/QĐ-TCHQ"),
    ("Công văn 2361/HQHCM-GSQL", "cong-van", "2361/HQHCM-GSQL"),
    ("công văn số 5170/TCHQ-GSQL", "cong-van", "5170/TCHQ-GSQL"),
    ("CV 978/HQHCM-TXNK", "cong-van", "978/HQHCM-TXNK"),
    ("cv 978/hqhcm-txnk", "cong-van", "978/HQHCM-TXNK"),
    ("Nghị quyết 68/NQ-CP", "nghi-quyet", "68/NQ-CP"),
    ("Nghị quyết số 43/2022/QH15", "nghi-quyet", "43/2022/QH15"),  # the keyword wins over QH
    ("Chỉ thị 16/CT-TTg", "chi-thi", "16/CT-TTg"),
    ("Văn bản hợp nhất số 25/VBHN-BTC", "khac", "25/VBHN-BTC"),
    ("văn bản số 5170/TCHQ-GSQL", "cong-van", "5170/TCHQ-GSQL"),  # kind from the number
    ("Nghị quyết 57-NQ/TW", "nghi-quyet", "57-NQ/TW"),
])
def test_it_finds_a_citation_and_its_kind(text, kind, number):
    assert _found(text) == [(text, kind, number)]


@pytest.mark.parametrize("text, kind, number", [
    ("38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("39/2018/tt-btc", "thong-tu", "39/2018/TT-BTC"),
    ("08/2015/NĐ-CP", "nghi-dinh", "08/2015/NĐ-CP"),
    ("08/2015/ND-CP", "nghi-dinh", "08/2015/NĐ-CP"),
    ("18/2019/QD-TTg", "quyet-dinh", "18/2019/QĐ-TTg"),
    ("1254/QĐ-TCHQ", "quyet-dinh", "1254/QĐ-TCHQ"),
    ("54/2014/QH13", "luat", "54/2014/QH13"),
    ("68/NQ-CP", "nghi-quyet", "68/NQ-CP"),
    ("16/CT-TTg", "chi-thi", "16/CT-TTg"),
    ("5170/TCHQ-GSQL", "cong-van", "5170/TCHQ-GSQL"),
    ("2361/HQHCM-GSQL", "cong-van", "2361/HQHCM-GSQL"),
    ("1234/TTg-KTTH", "cong-van", "1234/TTg-KTTH"),
    ("1034/2015/UBTVQH13", "khac", "1034/2015/UBTVQH13"),
    ("05-CT/TW", "chi-thi", "05-CT/TW"),
])
def test_it_infers_the_kind_of_a_bare_number(text, kind, number):
    assert _found(text) == [(text, kind, number)]


def test_it_gives_spans_exact_on_the_original_text():
    text = "Căn cứ Điều 16 Thông tư số 38/2015/TT-BTC (sửa đổi bởi TT 39/2018/tt-btc), doanh nghiệp..."
    citations = find(text)
    assert [text[c.start:c.end] for c in citations] == ["Thông tư số 38/2015/TT-BTC", "TT 39/2018/tt-btc"]
    assert all(text[c.start:c.end] == c.text for c in citations)


def test_it_finds_several_citations_in_one_sentence_in_order():
    text = ("Theo Luật Hải quan số 54/2014/QH13, Nghị định 08/2015/NĐ-CP và 59/2018/NĐ-CP, "
            "Thông tư 38/2015/TT-BTC; Công văn 2361/HQHCM-GSQL.")
    assert [c.number for c in find(text)] == [
        "54/2014/QH13", "08/2015/NĐ-CP", "59/2018/NĐ-CP", "38/2015/TT-BTC", "2361/HQHCM-GSQL"]


@pytest.mark.parametrize("around", ["({})", "[{}]", "{}.", "{},", "{};", "“{}”", "\"{}\"", "{}:", "- {}", "{}?"])
def test_it_finds_citations_next_to_punctuation(around):
    text = around.format("Thông tư 38/2015/TT-BTC")
    citations = find(text)
    assert [c.text for c in citations] == ["Thông tư 38/2015/TT-BTC"]
    assert text[citations[0].start:citations[0].end] == "Thông tư 38/2015/TT-BTC"


def test_a_law_name_belongs_to_the_span():
    text = "quy định tại Luật Thuế xuất khẩu, thuế nhập khẩu số 107/2016/QH13 thì"
    assert _found(text) == [("Luật Thuế xuất khẩu, thuế nhập khẩu số 107/2016/QH13", "luat", "107/2016/QH13")]


def test_a_clause_after_luat_is_not_a_law_name():
    text = "theo luật thì công văn số 12/HQHCM-GSQL đã hướng dẫn"
    assert _found(text) == [("công văn số 12/HQHCM-GSQL", "cong-van", "12/HQHCM-GSQL")]


def test_it_finds_citations_typed_decomposed():
    text = unicodedata.normalize("NFD", "Xem Thông tư số 38/2015/TT-BTC và Nghị định 08/2015/NĐ-CP.")
    citations = find(text)
    assert [c.number for c in citations] == ["38/2015/TT-BTC", "08/2015/NĐ-CP"]
    assert all(text[c.start:c.end] == c.text for c in citations)
    assert citations[0].text.startswith("Tho")


def test_it_finds_a_citation_after_an_article_reference_without_taking_the_article():
    assert _found("Khoản 2 Điều 5 Nghị định số 08/2015/NĐ-CP") == [
        ("Nghị định số 08/2015/NĐ-CP", "nghi-dinh", "08/2015/NĐ-CP")]


@pytest.mark.parametrize("text", [
    "ngày 12/03/2020",
    "ngày 12/3/2020 và 1/1/2021",
    "tháng 3/2020",
    "mã HS 8471.30.20",
    "mã HS 84713020",
    "1/2 lô hàng",
    "3/4",
    "tờ khai số 104512345670",
    "tờ khai 104512345670/A11",
    "Điều 5",
    "Điều 5 khoản 2",
    "Thông tư này",
    "Thông tư 38",
    "24/7",
    "giá 100/USD",
    "5/km-h",
    "C/O form E",
    "https://thuvienphapluat.vn/2015/TT-BTC",
    "hải quan 12/HQHN",
    "MST 0312345678-001",
    "",
])
def test_it_finds_nothing_in_what_is_not_a_citation(text):
    assert find(text) == []


@given(st.text(max_size=200))
def test_every_span_is_the_text_it_reports(text):
    for citation in find(text):
        assert text[citation.start:citation.end] == citation.text
        assert citation.kind in KIND_NAMES
        assert canonical(citation.number) == citation.number


@given(st.lists(st.sampled_from(["12/03/2020", "8471.30.20", "1/2", "104512345670", "Điều 5", " ",
                                 ", ", "ngày", "tháng 3/2020", "1.250.000 đồng", "(", ")"]), max_size=20))
def test_dates_codes_and_fractions_never_make_a_citation(parts):
    assert find("".join(parts)) == []


def test_it_is_quick_on_a_long_text():
    text = "Theo luật hải quan và các văn bản quy định, luật thuế, Thông tư 38/2015/TT-BTC. " * 200
    assert len(find(text)) == 200


# --- parse ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reference, kind, number", [
    ("Thông tư 38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("38/2015/TT-BTC", "thong-tu", "38/2015/TT-BTC"),
    ("38/2015/tt-btc", "thong-tu", "38/2015/TT-BTC"),
    ("nd 08/2015/nd-cp", "nghi-dinh", "08/2015/NĐ-CP"),
    ("Luật Hải quan số 54/2014/QH13", "luat", "54/2014/QH13"),
    ("978/hqhcm-txnk", "cong-van", "978/HQHCM-TXNK"),  # lower case is fine when given alone
    ("12/HQHN", "khac", "12/HQHN"),
])
def test_it_parses_a_reference_given_alone(reference, kind, number):
    citation = parse(reference)
    assert citation is not None
    assert (citation.kind, citation.number) == (kind, number)
    assert citation.text == reference


def test_it_parses_with_surrounding_spaces_and_keeps_the_span_on_the_input():
    reference = "  Thông tư 38/2015/TT-BTC \n"
    citation = parse(reference)
    assert citation == Citation(start=2, end=25, kind="thong-tu", number="38/2015/TT-BTC",
                                text="Thông tư 38/2015/TT-BTC")
    assert reference[citation.start:citation.end] == citation.text


@pytest.mark.parametrize("reference", [
    "", "   ", "abc", "12/03/2020", "8471.30.20", "1/2", "Điều 5", "Thông tư",
    "Thông tư 38", "xem 38/2015/TT-BTC", "38/2015/TT-BTC ngày 25/3/2015",
    "38/2015/TT-BTC, 39/2018/TT-BTC", "104512345670",
])
def test_it_parses_nothing_that_is_not_one_document_number(reference):
    assert parse(reference) is None


# --- kind and name -------------------------------------------------------------------------

@pytest.mark.parametrize("number, kind", [
    ("38/2015/TT-BTC", "thong-tu"), ("08/2015/NĐ-CP", "nghi-dinh"), ("18/2019/QĐ-TTg", "quyet-dinh"),
    ("54/2014/QH13", "luat"), ("68/NQ-CP", "nghi-quyet"), ("16/CT-TTg", "chi-thi"),
    ("5170/TCHQ-GSQL", None), ("57-NQ/TW", "nghi-quyet"), ("12-KL/TW", "khac"),
])
def test_it_infers_the_kind_from_a_canonical_number(number, kind):
    assert infer_kind(number) == kind


@pytest.mark.parametrize("kind, number, expected", [
    ("thong-tu", "38/2015/TT-BTC", "Thông tư 38/2015/TT-BTC"),
    ("nghi-dinh", "08/2015/nd-cp", "Nghị định 08/2015/NĐ-CP"),
    ("luat", "54/2014/QH13", "Luật 54/2014/QH13"),
    ("cong-van", "5170/TCHQ-GSQL", "Công văn 5170/TCHQ-GSQL"),
    ("khac", "25/VBHN-BTC", "25/VBHN-BTC"),
])
def test_it_names_a_document(kind, number, expected):
    assert name(kind, number) == expected


def test_it_refuses_to_name_an_unknown_kind():
    with pytest.raises(ValueError):
        name("sach", "38/2015/TT-BTC")


def test_the_kinds_are_those_of_the_document_model():
    assert list(KIND_NAMES) == ["luat", "nghi-quyet", "nghi-dinh", "quyet-dinh", "thong-tu", "chi-thi",
                                "cong-van", "khac"]
