from ketnoi.lib.highlight import segments, snippet


def test_it_marks_words_whatever_their_diacritics():
    assert segments("Hoàn thuế nhập khẩu", {"hoan", "thue"}) == [("Hoàn thuế", True), (" nhập khẩu", False)]


def test_it_folds_d_with_stroke():
    assert segments("Đăng ký tờ khai", {"dang"}) == [("Đăng", True), (" ký tờ khai", False)]


def test_it_keeps_separate_matches_apart():
    assert segments("thuế và phí, thuế", {"thue"}) == [
        ("thuế", True), (" và phí, ", False), ("thuế", True)]


def test_it_does_not_join_matches_across_punctuation():
    assert segments("thuế, thuế", {"thue"}) == [("thuế", True), (", ", False), ("thuế", True)]


def test_it_returns_the_whole_text_when_nothing_matches():
    assert segments("Thủ tục hải quan", {"xyz"}) == [("Thủ tục hải quan", False)]


def test_a_snippet_of_a_short_text_is_the_whole_text():
    assert "".join(piece for piece, _ in snippet("Hoàn thuế", {"hoan"})) == "Hoàn thuế"


def test_a_snippet_centres_on_the_densest_matches():
    text = "mở đầu " * 60 + "hoàn thuế nhập khẩu nguyên liệu " + "kết thúc " * 60
    pieces = snippet(text, {"hoan", "thue"}, width=120)
    joined = "".join(piece for piece, _ in pieces)
    assert "hoàn thuế" in joined
    assert joined.startswith("…") and joined.endswith("…")
    assert len(joined) <= 124


def test_a_snippet_cuts_at_word_boundaries():
    text = "một hai ba " * 50
    joined = "".join(piece for piece, _ in snippet(text, {"hai"}, width=50))
    words = joined.strip("…").split()
    assert all(word in {"một", "hai", "ba"} for word in words)
