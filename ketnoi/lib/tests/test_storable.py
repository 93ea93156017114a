from ketnoi.lib.storable import NUL, SURROGATE, first_unstorable, unstorable


def test_it_accepts_vietnamese_text_and_emoji():
    assert unstorable("Hoàn thuế nhập khẩu 📦 \u202e\u200d") is None
    assert unstorable("") is None


def test_it_finds_a_nul_byte():
    assert unstorable("Hải quan\x00") == NUL


def test_it_finds_an_unpaired_surrogate():
    assert unstorable("\ud800 Hải quan") == SURROGATE
    assert unstorable("x\udfff") == SURROGATE


def test_it_names_the_path_to_the_first_bad_string():
    body = {"subject": "Hoàn thuế", "attendees": [{"name": "Lan"}, {"name": "Minh\x00"}]}
    assert first_unstorable(body) == (("attendees", 1, "name"), NUL)


def test_it_looks_at_keys_too():
    assert first_unstorable({"prices": {"NH\ud80020": 1}}) == (("prices", "NH\ud80020"), SURROGATE)


def test_it_passes_numbers_booleans_and_null():
    assert first_unstorable({"score": 4, "internal": False, "unit": None, "prices": [1.5]}) is None
