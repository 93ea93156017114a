import random
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketnoi.lib.vnquery import ABBREVIATIONS, MAX_TERMS, Term, analyse, bigrams_of, fts5, tsquery
from ketnoi.lib.vntext import fold


def _terms(query):
    return [(t.text, t.alternatives) for t in analyse(query).terms]


def _texts(query):
    return [t.text for t in analyse(query).terms]


HOSTILE = [
    "", " ", "\"", "\"\"", "'", "''", "(", ")", "()", ")(", "&", "|", "!", ":", "*", "<->", "<2>", "&|!:*<->",
    "a & b | !c", "a:*", "'a' & 'b'", "\\", "\\'", "NEAR(a b)", "AND", "OR", "NOT", "and or not near",
    "\"hoàn thuế\" OR", "col:term", "^hoàn", "hoàn*", "-thuế", "+thuế", "{a b}", "a NEAR/3 b",
    "'; DROP TABLE knowledge_article; --", "1' OR '1'='1", "SELECT * FROM x WHERE 1=1",
    "😀", "👍🏽 thuế", "中文 テスト", "Ωμέγα", "\x00", "\t\n\r", "ß İ ǅ", "½ ² ³", "٣٤٥",
    "a" * 5000, "hoàn thuế " * 500, ("ko " * 1700)[:5000], "đ" * 3000, "x" * 100 + " thuế",
]


# --- analyse -------------------------------------------------------------------------------

def test_it_expands_abbreviations_and_keeps_them():
    assert _terms("NK") == [("NK", [("nk",), ("nhap", "khau")])]
    assert _terms("hoàn") == [("hoàn", [("hoan",)])]


@pytest.mark.parametrize("query, terms, dropped", [
    ("thu tuc NK may moc cu thi sao", ["thu", "tuc", "NK", "may", "moc", "cu"], ["thi sao"]),
    ("hoàn thuế GTGT hàng XK ko", ["hoàn", "thuế", "GTGT", "hàng", "XK"], ["ko"]),
    ("C/O form E có được không", ["C/O", "form", "E"], ["có được không"]),
    ("TK bị phân luồng đỏ", ["TK", "bị", "phân", "luồng", "đỏ"], []),
    ("cho em hỏi thủ tục hoàn thuế như thế nào ạ?", ["thủ", "tục", "hoàn", "thuế"], ["cho em hỏi", "như thế nào", "ạ"]),
    ("Xin hỏi ad, bên em nhập NVL là gì vậy", ["nhập", "NVL"], ["Xin hỏi", "ad", "bên em", "là gì", "vậy"]),
    ("công ty em xuất khẩu được không nhé", ["xuất", "khẩu"], ["công ty em", "được không", "nhé"]),
    ("hàng đã được thông quan chưa", ["hàng", "đã", "được", "thông", "quan"], ["chưa"]),
    ("hoàn thuế hàng XK được ko vậy ạ", ["hoàn", "thuế", "hàng", "XK"], ["được ko", "vậy", "ạ"]),
    ("cho minh hoi thu tuc hoan thue vay", ["thu", "tuc", "hoan", "thue"], ["cho minh hoi", "vay"]),
])
def test_it_drops_filler_and_reports_it(query, terms, dropped):
    result = analyse(query)
    assert [t.text for t in result.terms] == terms
    assert result.dropped == dropped
    assert result.original == query


def test_khong_inside_a_query_is_content():
    assert _texts("hàng không chịu thuế GTGT") == ["hàng", "không", "chịu", "thuế", "GTGT"]
    assert _texts("hàng ko chịu thuế") == ["hàng", "ko", "chịu", "thuế"]
    assert analyse("hàng ko chịu thuế").terms[1].alternatives == [("ko",), ("khong",)]


@pytest.mark.parametrize("particle", ["không", "khong", "ko", "k", "hông", "hok", "Không"])
def test_a_final_question_particle_is_dropped(particle):
    result = analyse(f"hàng XK có được hoàn thuế {particle}")
    assert [t.text for t in result.terms][-1] == "thuế"
    assert result.dropped == [particle]


def test_aviation_keeps_its_final_khong():
    assert _texts("vận chuyển hàng không") == ["vận", "chuyển", "hàng", "không"]


def test_a_filler_without_diacritics_that_is_also_a_word_is_kept_inside_a_query():
    assert _texts("nha may o KCN") == ["nha", "may", "o", "KCN"]        # nhà máy, not the particle nha
    assert _texts("thủ tục vay vốn") == ["thủ", "tục", "vay", "vốn"]    # a loan, not vậy
    assert _texts("ngà voi nhập khẩu") == ["ngà", "voi", "nhập", "khẩu"]  # ivory, not với


def test_a_capitalised_word_is_not_taken_for_a_filler():
    assert _texts("Cục Hải quan TP Hồ Chí Minh") == ["Cục", "Hải", "quan", "TP", "Hồ", "Chí", "Minh"]
    assert _texts("thuế AD hàng thép") == ["thuế", "AD", "hàng", "thép"]  # anti-dumping duty


def test_with_and_without_diacritics_give_the_same_analysis():
    pairs = [("hoan thue", "hoàn thuế"), ("thu tuc hoan thue thi sao", "thủ tục hoàn thuế thì sao"),
             ("to khai bi phan luong do", "tờ khai bị phân luồng đỏ"),
             ("hang xk co duoc hoan thue khong", "hàng XK có được hoàn thuế không")]
    for plain, marked in pairs:
        assert [t.alternatives for t in analyse(plain).terms] == [t.alternatives for t in analyse(marked).terms]
        assert len(analyse(plain).dropped) == len(analyse(marked).dropped)


def test_d_with_stroke_folds_to_d():
    assert _terms("Đường") == [("Đường", [("duong",)])]
    assert _terms("NĐ") == [("NĐ", [("nd",), ("nghi", "dinh")])]
    assert analyse("nđ").terms[0].alternatives == analyse("nd").terms[0].alternatives == [("nd",), ("nghi", "dinh")]
    assert analyse("NÐ").terms[0].alternatives == [("nd",), ("nghi", "dinh")]  # eth for Đ


def test_an_ambiguous_abbreviation_has_every_reading():
    assert analyse("HĐ").terms[0].alternatives == [("hd",), ("hop", "dong"), ("hoa", "don")]
    assert analyse("hd").terms[0].alternatives == [("hd",), ("hop", "dong"), ("hoa", "don"), ("huong", "dan")]


def test_a_word_with_diacritics_is_not_taken_for_an_abbreviation():
    assert analyse("có").terms[0].alternatives == [("co",)]
    assert analyse("co").terms[0].alternatives == [("co",)]  # "có" typed without diacritics
    assert analyse("CO").terms[0].alternatives == [("co",), ("c", "o"), ("chung", "nhan", "xuat", "xu")]


def test_a_word_with_inner_punctuation_is_one_term_and_a_phrase():
    assert _terms("C/O") == [("C/O", [("c", "o"), ("chung", "nhan", "xuat", "xu")])]
    assert _terms("(38/2015/TT-BTC)") == [("38/2015/TT-BTC", [("38", "2015", "tt", "btc")])]
    assert _terms("mã HS 8471.30.20?") == [("mã", [("ma",)]), ("HS", [("hs",), ("ma", "hs")]),
                                          ("8471.30.20", [("8471", "30", "20")])]


def test_every_abbreviation_expands_to_syllables():
    for abbreviation, expansions in ABBREVIATIONS.items():
        assert abbreviation == abbreviation.lower()
        assert all(expansion.strip() for expansion in expansions)


@pytest.mark.parametrize("query", ["", "   ", "?!...", "---", "“” () []", "😀😀", "& | ! <->"])
def test_punctuation_only_gives_no_terms(query):
    result = analyse(query)
    assert result.terms == []
    assert fts5(result.terms) == "" and tsquery(result.terms) == ""


def test_a_long_paste_keeps_the_first_32_terms():
    words = [f"tu{index}" for index in range(1000)]
    text = " ".join(words)[:5000]
    result = analyse(text)
    assert len(result.terms) == MAX_TERMS
    assert [t.text for t in result.terms] == words[:MAX_TERMS]


def test_a_long_paragraph_keeps_its_first_terms_and_reports_its_filler():
    text = ("Công ty em nhập khẩu máy móc cũ để sản xuất xuất khẩu, cho em hỏi thủ tục thế nào ạ? " * 60)[:5000]
    result = analyse(text)
    assert len(result.terms) == MAX_TERMS
    assert "cho em hỏi" in result.dropped


# --- fts5 ----------------------------------------------------------------------------------

def test_it_writes_an_fts5_expression():
    terms = analyse("hoàn thuế NK").terms
    assert fts5(terms) == '"hoan" AND "thue" AND ("nk" OR "nhap khau")'
    assert fts5(terms, "any") == '"hoan" OR "thue" OR ("nk" OR "nhap khau")'
    assert fts5(terms, "phrase") == '"hoan thue nk"'


def test_fts5_quotes_operators_and_punctuation():
    terms = analyse("and OR not NEAR c/o").terms
    assert fts5(terms) == '"and" AND "or" AND "not" AND "near" AND ("c o" OR "chung nhan xuat xu")'


def test_fts5_doubles_a_quote_inside_a_syllable():
    assert fts5([Term(text='a"b', alternatives=[('a"b',)])]) == '"a""b"'


def test_it_refuses_an_unknown_mode():
    with pytest.raises(ValueError):
        fts5(analyse("thuế").terms, "near")
    with pytest.raises(ValueError):
        tsquery(analyse("thuế").terms, "prefix")


@pytest.fixture(scope="module")
def fts5_table():
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    bodies = [
        "Hoàn thuế nhập khẩu đối với máy móc đã qua sử dụng",
        "Thủ tục cấp C/O form E cho hàng xuất khẩu",
        "Tờ khai bị phân luồng đỏ: kiểm tra thực tế hàng hóa",
        "Hàng không chịu thuế giá trị gia tăng",
        "Nghị định 08/2015/NĐ-CP về thủ tục hải quan",
    ]
    database.executemany("INSERT INTO doc(rowid, body) VALUES (?, ?)",
                         [(index, fold(body)) for index, body in enumerate(bodies, start=1)])
    yield database
    database.close()


def _match(database, expression):
    return sorted(row[0] for row in database.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)))


@pytest.mark.parametrize("query, mode, rows", [
    ("hoan thue NK", "all", [1]),
    ("hoàn thuế nhập khẩu", "phrase", [1]),
    ("C/O form E có được không", "all", [2]),
    ("chứng nhận xuất xứ form E", "all", []),
    ("CO form E", "all", [2]),
    ("TK bị phân luồng đỏ", "all", [3]),
    ("hàng không chịu thuế VAT", "all", [4]),
    ("NĐ 08/2015/ND-CP", "all", [5]),
    ("thủ tục", "phrase", [2, 5]),
    ("thuế đỏ", "any", [1, 3, 4]),
])
def test_fts5_expressions_find_the_right_rows(fts5_table, query, mode, rows):
    assert _match(fts5_table, fts5(analyse(query).terms, mode)) == rows


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("mode", ["all", "any", "phrase"])
def test_fts5_never_makes_a_syntax_error(fts5_table, query, mode):
    expression = fts5(analyse(query).terms, mode)
    if expression:
        _match(fts5_table, expression)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["all", "any", "phrase"]))
def test_fts5_never_makes_a_syntax_error_for_any_text(query, mode):
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE doc USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    expression = fts5(analyse(query).terms, mode)
    if expression:
        database.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (expression,)).fetchall()
    database.close()


# --- tsquery -------------------------------------------------------------------------------

def test_it_writes_a_tsquery():
    terms = analyse("hoàn thuế NK").terms
    assert tsquery(terms) == "hoan & thue & (nk | nhap <-> khau)"
    assert tsquery(terms, "any") == "hoan | thue | (nk | nhap <-> khau)"
    assert tsquery(terms, "phrase") == "hoan <-> thue <-> nk"


def test_tsquery_keeps_only_ascii_letters_and_digits():
    terms = [Term(text="x", alternatives=[("ab'c",), ("ß",)]), Term(text="y", alternatives=[("中文",)])]
    assert tsquery(terms) == "abc"


_TS_TOKEN = re.compile(r"\s*(<->|[a-z0-9]+|[&|()])")


def _is_tsquery(text):
    """A parser of the subset tsquery() writes: lexemes, &, |, <->, parentheses."""
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TS_TOKEN.match(text, position)
        if match is None:
            return False
        tokens.append(match.group(1))
        position = match.end()
    index = 0

    def parse(operators):
        nonlocal index
        if operators:
            if not parse(operators[1:]):
                return False
            while index < len(tokens) and tokens[index] == operators[0]:
                index += 1
                if not parse(operators[1:]):
                    return False
            return True
        if index < len(tokens) and re.fullmatch("[a-z0-9]+", tokens[index]):
            index += 1
            return True
        if index < len(tokens) and tokens[index] == "(":
            index += 1
            if not parse(["|", "&", "<->"]) or index >= len(tokens) or tokens[index] != ")":
                return False
            index += 1
            return True
        return False

    return bool(tokens) and parse(["|", "&", "<->"]) and index == len(tokens)


def test_the_tsquery_parser_of_these_tests_rejects_bad_queries():
    for bad in ["", "a &", "& a", "(a", "a)", "a b", "a <-> ", "a:*", "'a'", "!a", "a | | b"]:
        assert not _is_tsquery(bad), bad
    assert _is_tsquery("a & (b | c <-> d) | e")


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("mode", ["all", "any", "phrase"])
def test_tsquery_is_well_formed_for_hostile_input(query, mode):
    expression = tsquery(analyse(query).terms, mode)
    assert expression == "" or _is_tsquery(expression)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["all", "any", "phrase"]))
def test_tsquery_is_well_formed_for_any_text(query, mode):
    expression = tsquery(analyse(query).terms, mode)
    assert expression == "" or _is_tsquery(expression)


def _hostile_samples(count=300):
    alphabet = list("aăâđeêoôơuưy hoàn thuế AND OR NOT NEAR &|!:*<->()'\"\\;-_/.,?+^{}[]😀中") + ["\x00", "\n"]
    rng = random.Random(20240601)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_accepts_every_tsquery_and_finds_folded_text():
    from django.db import connection

    with connection.cursor() as cursor:
        for query in HOSTILE + _hostile_samples():
            for mode in ("all", "any", "phrase"):
                expression = tsquery(analyse(query.replace("\x00", "")).terms, mode)
                cursor.execute("SELECT to_tsquery('simple', %s)::text", [expression])
        cursor.execute("SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
                       [fold("Hoàn thuế nhập khẩu máy móc"), tsquery(analyse("hoan thue NK").terms)])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
                       [fold("Hoàn thuế nhập khẩu máy móc"), tsquery(analyse("thuế hoàn").terms, "phrase")])
        assert cursor.fetchone()[0] is False


# --- bigrams -------------------------------------------------------------------------------

def test_it_gives_adjacent_syllables_of_first_alternatives():
    assert bigrams_of(analyse("hoàn thuế NK").terms) == [("hoan", "thue"), ("thue", "nk")]
    assert bigrams_of(analyse("C/O form E").terms) == [("c", "o"), ("o", "form"), ("form", "e")]


def test_bigrams_skip_dropped_words_and_repeat_no_pair():
    assert bigrams_of(analyse("cho em hỏi hải quan hải quan ạ").terms) == [("hai", "quan"), ("quan", "hai")]
    assert bigrams_of(analyse("thuế").terms) == []
    assert bigrams_of([]) == []


def test_pair_tokens_join_each_two_adjacent_syllables():
    from ketnoi.lib.vnquery import pair_tokens

    assert pair_tokens(["hoan", "thue", "nk"]) == ["hoan_thue", "thue_nk"]
    assert pair_tokens(["hoan"]) == [] and pair_tokens([]) == []


# --- pairs ---------------------------------------------------------------------------------

def test_pairs_match_each_adjacent_pair_of_the_query_as_typed():
    from ketnoi.lib.vnquery import pairs

    terms = analyse("hoàn thuế NK").terms  # the first alternative of NK is "nk" as typed
    assert pairs(terms, "sqlite") == '{search_pairs} : ("hoan_thue" AND "thue_nk")'
    assert pairs(terms, "postgresql") == "'hoan_thue' & 'thue_nk'"


def test_pairs_run_across_the_syllables_of_one_term():
    from ketnoi.lib.vnquery import pairs

    assert pairs(analyse("125/HQHCM-VP").terms, "postgresql") == "'125_hqhcm' & 'hqhcm_vp'"
    assert pairs(analyse("C/O form E").terms, "postgresql") == "'c_o' & 'o_form' & 'form_e'"


def test_pairs_leave_out_the_filler():
    from ketnoi.lib.vnquery import pairs

    assert pairs(analyse("cho em hỏi thủ tục hải quan như thế nào ạ").terms, "postgresql") == (
        "'thu_tuc' & 'tuc_hai' & 'hai_quan'")


@pytest.mark.parametrize("query", ["", "thuế", "HQ", "  ?! ", "ạ", "cho em hỏi"])
def test_pairs_are_empty_without_two_syllables(query):
    from ketnoi.lib.vnquery import pairs

    assert pairs(analyse(query).terms, "sqlite") == "" and pairs(analyse(query).terms, "postgresql") == ""


def test_a_term_without_alternatives_gives_no_syllable():
    from ketnoi.lib.vnquery import pairs

    terms = [Term(text="hải", alternatives=[("hai",)]), Term(text="?", alternatives=[]),
             Term(text="quan", alternatives=[("quan",)])]
    assert pairs(terms, "postgresql") == "'hai_quan'"


@pytest.mark.parametrize("query", ["hoàn 中文 thuế", "thuế Ωμέγα nhập khẩu", "hải quan 😀中 tờ khai", "thuế ß nhập"])
def test_pairs_are_empty_when_a_syllable_is_of_another_script(query):
    # Its pairs would join the syllables on either side of it, which are not adjacent: the
    # caller then matches the phrase by position.
    from ketnoi.lib.vnquery import pairs

    assert pairs(analyse(query).terms, "sqlite") == "" and pairs(analyse(query).terms, "postgresql") == ""


@pytest.fixture(scope="module")
def pairs_table():
    """The index of ketnoi/directives/migrations/0002_search_index.py: folded syllables and their
    adjacent pairs as tokens (an underscore joins them)."""
    from ketnoi.lib.vnquery import pair_tokens
    from ketnoi.lib.vntext import syllables

    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE doc USING fts5(search_text, search_pairs, "
                     "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")")
    bodies = [
        "Hoàn thuế nhập khẩu đối với máy móc đã qua sử dụng",
        "Thuế nhập khẩu được hoàn khi tái xuất",
        "Công văn 125/HQHCM-VP về thủ tục hải quan",
        "Công văn 1250/HQHCM-VP về hải quan và thủ tục",
    ]
    for index, body in enumerate(bodies, start=1):
        words = syllables(body)
        database.execute("INSERT INTO doc(rowid, search_text, search_pairs) VALUES (?, ?, ?)",
                         (index, " ".join(words), " ".join(pair_tokens(words))))
    yield database
    database.close()


@pytest.mark.parametrize("query, rows", [
    ("hoàn thuế", [1]),               # adjacent in 1 only; both words in 2, apart
    ("hoan thue nhap khau", [1]),
    ("thuế nhập khẩu", [1, 2]),
    ("125/HQHCM-VP", [3]),
    ("125/hqhcm-vp", [3]),
    ("thủ tục hải quan", [3]),
    ("hải quan thủ tục", []),
])
def test_pairs_find_the_rows_holding_the_phrase(pairs_table, query, rows):
    from ketnoi.lib.vnquery import pairs

    assert _match(pairs_table, pairs(analyse(query).terms, "sqlite")) == rows


@pytest.mark.parametrize("query", HOSTILE)
def test_pairs_never_make_an_fts5_syntax_error(pairs_table, query):
    from ketnoi.lib.vnquery import pairs

    expression = pairs(analyse(query).terms, "sqlite")
    if expression:
        _match(pairs_table, expression)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_pairs_are_well_formed_for_any_text(query):
    from ketnoi.lib.vnquery import pairs

    terms = analyse(query).terms
    postgresql = pairs(terms, "postgresql")
    assert postgresql == "" or re.fullmatch(r"'[a-z0-9]+_[a-z0-9]+'( & '[a-z0-9]+_[a-z0-9]+')*", postgresql)
    sqlite = pairs(terms, "sqlite")
    assert (sqlite == "") == (postgresql == "")
    if sqlite:
        database = sqlite3.connect(":memory:")
        database.execute("CREATE VIRTUAL TABLE doc USING fts5(search_text, search_pairs, "
                         "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")")
        database.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (sqlite,)).fetchall()
        database.close()


@pytest.mark.postgresql
@pytest.mark.django_db
def test_postgresql_reads_every_pairs_query_and_finds_adjacent_syllables():
    from django.db import connection

    from ketnoi.lib.vnquery import pair_tokens, pairs
    from ketnoi.lib.vntext import syllables

    def vector(text):
        words = syllables(text)
        return " ".join(words), " ".join(pair_tokens(words))

    sql = ("SELECT (to_tsvector('simple', %s) || array_to_tsvector(string_to_array(%s, ' '))) @@ %s::tsquery")
    with connection.cursor() as cursor:
        for query in HOSTILE + _hostile_samples():
            expression = pairs(analyse(query.replace("\x00", "")).terms, "postgresql")
            if expression:
                cursor.execute("SELECT %s::tsquery", [expression])
        cursor.execute(sql, [*vector("Hoàn thuế nhập khẩu máy móc"), pairs(analyse("hoan thue NK").terms, "postgresql")])
        assert cursor.fetchone()[0] is False  # "nk" is not in the text as typed
        cursor.execute(sql, [*vector("Hoàn thuế nhập khẩu máy móc"), pairs(analyse("thuế nhập").terms, "postgresql")])
        assert cursor.fetchone()[0] is True
        cursor.execute(sql, [*vector("Thuế nhập khẩu được hoàn"), pairs(analyse("hoàn thuế").terms, "postgresql")])
        assert cursor.fetchone()[0] is False
