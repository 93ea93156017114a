import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.vntext import bigrams, fold, normalize, syllables

# Text that looks like what people type: Vietnamese letters in both forms, marks, spaces.
vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 ,.!-_\t\n")
        + list("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
        + ["\u00a0", "\u2003", "Ð", "ð"]
    )
)
any_text = st.text() | vietnamese_text


def test_it_folds_stacked_marks():
    assert fold("ự ế ặ ờ ỹ") == "u e a o y"
    assert fold("Ự Ế Ặ Ờ Ỹ") == "u e a o y"


def test_it_folds_d_with_stroke():
    assert fold("đ") == "d"
    assert fold("Đ") == "d"
    assert fold("Đường Đồng Khởi") == "duong dong khoi"


def test_it_folds_eth_typed_for_d_with_stroke():
    # Legacy-encoding converters sometimes emit Ð (U+00D0) for Đ.
    assert fold("\u00d0à Nẵng") == "da nang"


def test_it_folds_so_unaccented_queries_match():
    assert fold("hoàn thuế") == "hoan thue"
    assert fold("HOÀN THUẾ") == fold("hoan thue")


def test_it_folds_uppercase():
    assert fold("HẢI QUAN TP. HỒ CHÍ MINH") == "hai quan tp. ho chi minh"


def test_it_keeps_punctuation_and_spacing_when_folding():
    assert fold("Thuế GTGT (10%) — 2020!") == "thue gtgt (10%) — 2020!"
    assert fold("a  b") == "a  b"


def test_it_folds_decomposed_input_like_composed_input():
    composed = "Hải quan Việt Nam"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed)


def test_it_normalizes_decomposed_input_to_composed():
    composed = "Thuế xuất khẩu ưu đãi"
    decomposed = unicodedata.normalize("NFD", composed)
    assert normalize(decomposed) == composed


def test_it_normalizes_marks_typed_after_the_vowel():
    # "ế" typed as e + circumflex + acute by a combining-mark keyboard.
    assert normalize("thue\u0302\u0301") == "thuế"


def test_it_collapses_whitespace_when_normalizing():
    assert normalize("  Hoàn \t thuế\n\nGTGT\u00a0 ") == "Hoàn thuế GTGT"


def test_it_splits_syllables_on_anything_but_letters_and_digits():
    assert syllables("Hoàn thuế GTGT, 2020!") == ["hoan", "thue", "gtgt", "2020"]
    assert syllables("mã_số-thuế/C.O") == ["ma", "so", "thue", "c", "o"]
    assert syllables("  ,;  ") == []


def test_it_makes_bigrams_of_adjacent_syllables():
    assert bigrams(["hai", "quan", "viet", "nam"]) == ["hai quan", "quan viet", "viet nam"]
    assert bigrams(["hai"]) == []
    assert bigrams([]) == []


@given(any_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(any_text)
def test_fold_leaves_no_combining_mark_and_no_d_with_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.combining(char) for char in folded)
    assert "đ" not in folded and "Đ" not in folded


@given(vietnamese_text)
def test_fold_of_vietnamese_leaves_only_ascii_and_spaces(text):
    folded = fold(text)
    assert all(char.isascii() or char.isspace() for char in folded)
    assert folded == folded.lower()


@given(any_text)
def test_syllables_of_folded_text_equal_syllables_of_original(text):
    assert syllables(fold(text)) == syllables(text)


@given(any_text)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(vietnamese_text)
def test_normalize_makes_nfd_and_nfc_input_equal(text):
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(
        unicodedata.normalize("NFC", text)
    )
