import json
import math

from ketnoi.lib.topicmodel import STOP_SYLLABLES, explain, features, predict, train

# Every letter opens and closes the same way; only the middle says what it is about.
OPEN = "Công ty TNHH Sao Mai xin trình bày vướng mắc như sau: "
CLOSE = " Kính đề nghị Chi cục hướng dẫn. Trân trọng cảm ơn."
MIDDLES = {
    "thue": [
        "Công ty đề nghị hoàn thuế nhập khẩu nguyên liệu đã nộp thuế.",
        "Xin hướng dẫn hồ sơ hoàn thuế nhập khẩu của tờ khai đã nộp.",
        "Công ty nộp thừa thuế giá trị gia tăng, đề nghị hoàn thuế.",
        "Gia hạn nộp thuế nhập khẩu do ảnh hưởng dịch bệnh.",
        "Miễn thuế nhập khẩu hàng tạo tài sản cố định, hoàn thuế sau.",
    ],
    "xuat-xu": [
        "C/O mẫu E cấp sau có được chấp nhận để hưởng ưu đãi xuất xứ?",
        "Nộp bổ sung C/O mẫu D sau thông quan, xuất xứ hàng hóa.",
        "C/O mẫu AK có sai sót nhỏ về tên hàng, xuất xứ Hàn Quốc.",
        "Chứng nhận xuất xứ tự chứng nhận theo EVFTA, mẫu C/O.",
        "Hàng quá cảnh nước thứ ba có mất ưu đãi xuất xứ C/O không.",
    ],
    "phan-loai-hs": [
        "Phân loại mã HS mặt hàng máy tính xách tay.",
        "Xác định trước mã số HS hàng hóa nhập khẩu thường xuyên.",
        "Kết quả phân tích phân loại khác mã HS công ty khai.",
        "Áp mã HS linh kiện lắp ráp, phân loại bộ phận.",
        "Chênh lệch mã HS giữa hai lần nhập khẩu, phân loại lại.",
    ],
}


def examples(repeat: int = 3) -> list[tuple[str, str]]:
    return [(OPEN + middle + CLOSE, topic) for _ in range(repeat)
            for topic, middles in MIDDLES.items() for middle in middles]


def params(**settings) -> dict:
    return train(examples(), **settings)


def test_it_suggests_the_topic_whose_words_the_text_uses():
    assert predict(params(), "đề nghị hoàn thuế nhập khẩu")[0][0] == "thue"
    assert predict(params(), "C/O mẫu E xuất xứ")[0][0] == "xuat-xu"
    assert predict(params(), "mã HS của máy")[0][0] == "phan-loai-hs"


def test_it_reads_text_typed_without_diacritics():
    assert predict(params(), "de nghi hoan thue")[0][0] == "thue"


def test_it_gives_k_labels_best_first_with_probabilities_summing_to_at_most_one():
    suggestions = predict(params(), "hoàn thuế và phân loại mã HS", k=2)
    assert len(suggestions) == 2
    assert suggestions[0][1] >= suggestions[1][1]
    assert sum(p for _, p in suggestions) <= 1 + 1e-9
    everything = predict(params(), "hoàn thuế và phân loại mã HS", k=10)
    assert len(everything) == 3
    assert math.isclose(sum(p for _, p in everything), 1.0)


def test_a_word_never_seen_with_a_topic_does_not_rule_it_out():
    # Laplace smoothing: "xuất xứ" never appears in tax cases, yet tax keeps a chance.
    suggestions = dict(predict(params(), "hoàn thuế xuất xứ", k=3))
    assert suggestions["thue"] > 0
    assert suggestions["xuat-xu"] > 0


def test_a_text_the_model_knows_nothing_of_gets_no_suggestion():
    assert predict(params(), "") == []
    assert predict(params(), "   ") == []
    assert predict(params(), "0301234567 12/03/2020 104567891230") == []
    assert predict(params(), "lorem ipsum dolor") == []


def test_a_model_of_no_cases_suggests_nothing():
    assert predict(train([]), "hoàn thuế") == []


def test_it_leaves_numbers_out_and_does_not_pair_across_them():
    found = features("tờ khai 104567891230 hoàn thuế E31")
    assert "104567891230" not in found
    assert "khai 104567891230" not in found
    assert "khai hoan" not in found
    assert {"to khai", "hoan thue", "thue e31", "e31"} <= set(found)


def test_it_drops_listed_stop_syllables_but_keeps_the_pairs_they_are_in():
    found = features("hàng của công ty và thuế")
    assert "cua" not in found and "va" not in found
    assert "hang cua" in found
    assert STOP_SYLLABLES.isdisjoint({"ma", "de", "tai", "co"})  # mã HS, đề nghị, tái xuất, cơ quan


def test_it_derives_stop_features_from_words_common_to_every_topic():
    model = params()
    for common in ("cong ty", "vuong mac", "huong dan", "cam on", "tnhh"):
        assert common in model["stop"]
        assert common not in model["counts"]
    assert "hoan thue" not in model["stop"]


def test_a_word_frequent_overall_but_rare_in_one_topic_is_not_a_stop():
    # "nhap khau" is in most tax and HS cases but in no origin case: it tells topics apart.
    model = params()
    assert "nhap khau" not in model["stop"]
    assert "nhap khau" in model["counts"]


def test_it_derives_no_stop_features_from_too_few_cases_per_topic():
    model = train(examples(repeat=1))  # 5 cases per topic
    assert model["stop"] == []


def test_it_prunes_rare_features():
    model = train(examples() + [(OPEN + "Xe nâng hiệu Komatsu." + CLOSE, "thue")] * 2)
    assert "komatsu" not in model["counts"]
    model = train(examples() + [(OPEN + "Xe nâng hiệu Komatsu." + CLOSE, "thue")] * 3)
    assert "komatsu" in model["counts"]


def test_it_keeps_at_most_max_features():
    model = params(max_features=20)
    assert len(model["counts"]) == 20


def test_parameters_are_json_and_predict_the_same_after_a_round_trip():
    model = params()
    again = json.loads(json.dumps(model))
    text = "hoàn thuế nhập khẩu C/O"
    assert predict(again, text) == predict(model, text)


def test_it_explains_with_the_words_as_written():
    words = explain(params(), "Xin HOÀN THUẾ nhập khẩu, mẫu C/O", "thue", n=3)
    assert words[0] in {"hoàn thuế", "hoàn", "thuế"}
    assert all(word == word.lower() for word in words)
    assert "mẫu" not in words and "c" not in words  # they push towards origin, not tax


def test_it_explains_only_with_words_that_push_towards_the_label():
    assert explain(params(), "C/O mẫu E, ưu đãi xuất xứ", "thue") == []
    assert explain(params(), "hoàn thuế", "xuat-xu") == []


def test_it_explains_an_unknown_label_with_nothing():
    assert explain(params(), "hoàn thuế", "khac") == []


def test_it_gives_at_most_n_words():
    text = "hoàn thuế nhập khẩu nộp thuế gia hạn nộp thừa miễn thuế"
    assert len(explain(params(), text, "thue", n=2)) == 2


def test_it_explains_with_a_pair_rather_than_again_with_its_syllables():
    words = explain(params(), "xin hoàn thuế", "thue", n=5)
    assert words == ["hoàn thuế"]


def test_it_does_not_explain_with_lone_letters():
    words = explain(params(), "C/O mẫu E", "xuat-xu", n=10)
    assert words
    assert not {"c", "o", "e"} & set(words)


def test_it_does_not_pair_syllables_across_punctuation():
    found = features("Hàng đã thông quan. Hoàn thuế, nhập khẩu (C/O mẫu E)")
    assert "quan hoan" not in found and "thue nhap" not in found and "khau c" not in found
    assert {"thong quan", "hoan thue", "nhap khau", "c o", "mau e"} <= set(found)


def test_it_does_not_explain_with_a_pair_that_holds_a_function_word():
    model = train(examples() + [(OPEN + "Hoàn thuế và nộp thuế." + CLOSE, "thue")] * 3)
    assert "thue va" in model["counts"]
    words = explain(model, "hoàn thuế và nộp", "thue", n=10)
    assert "thuế và" not in words
    assert "hoàn thuế" in words
