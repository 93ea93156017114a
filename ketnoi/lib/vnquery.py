"""Turn what a business types into a search query for SQLite FTS5 and PostgreSQL tsquery.

Businesses type like they talk: "thu tuc NK may moc cu thi sao", "hoàn thuế GTGT hàng XK ko",
"C/O form E có được không". ``analyse`` drops the words that carry no topic, expands the
trade's abbreviations (keeping the abbreviation too: the article may say "C/O"), and gives each
remaining word its alternatives as folded syllables (ketnoi.lib.vntext.syllables), the form the
index holds. ``fts5`` and ``tsquery`` write those as a query for each engine and never produce
a syntax error, whatever was typed.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ketnoi.lib.vntext import fold, syllables

MAX_TERMS = 32
# No syllable of any language is this long; a longer run of letters is pasted noise, and
# PostgreSQL refuses words over 2,047 bytes.
MAX_SYLLABLE = 64

# Abbreviations of the trade, as typed (lower case) → what they stand for. Sources: the forms
# and codes of customs procedures (Thông tư 38/2015/TT-BTC, amended by 39/2018/TT-BTC: tờ khai,
# C/O, SXXK, DNCX, AEO = doanh nghiệp ưu tiên), the kinds of legal documents (Nghị định
# 30/2020/NĐ-CP, Appendix III: TT, NĐ, QĐ, CV), tax names (GTGT, TTĐB, TNDN), and the
# abbreviations businesses use in questions to the department (the cases filed through ketnoi).
# Several expansions: the abbreviation is ambiguous and each reading is an alternative.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "nk": ("nhập khẩu",),
    "xk": ("xuất khẩu",),
    "xnk": ("xuất nhập khẩu",),
    "tk": ("tờ khai",),
    "tkhq": ("tờ khai hải quan",),
    "hq": ("hải quan",),
    "cchq": ("chi cục hải quan",),
    "chq": ("cục hải quan",),
    "tchq": ("tổng cục hải quan",),
    "cqhq": ("cơ quan hải quan",),
    "hqđt": ("hải quan điện tử",),
    "hqdt": ("hải quan điện tử",),
    "sxxk": ("sản xuất xuất khẩu",),
    "gc": ("gia công",),
    "dncx": ("doanh nghiệp chế xuất",),
    "dn": ("doanh nghiệp",),
    "kcx": ("khu chế xuất",),
    "kcn": ("khu công nghiệp",),
    "gtgt": ("giá trị gia tăng",),
    "vat": ("giá trị gia tăng",),
    "ttđb": ("tiêu thụ đặc biệt",),
    "ttdb": ("tiêu thụ đặc biệt",),
    "tndn": ("thu nhập doanh nghiệp",),
    "bvmt": ("bảo vệ môi trường",),
    "c/o": ("chứng nhận xuất xứ",),
    "co": ("c/o", "chứng nhận xuất xứ"),  # typed in capitals only, see CAPITALS_ONLY
    "cq": ("chứng nhận chất lượng",),
    "b/l": ("vận đơn",),
    "bl": ("b/l", "vận đơn"),
    "hs": ("mã hs",),
    "nvl": ("nguyên vật liệu",),
    "tnhh": ("trách nhiệm hữu hạn",),
    "cp": ("cổ phần", "chính phủ"),
    "mst": ("mã số thuế",),
    "hđ": ("hợp đồng", "hóa đơn"),
    "hd": ("hợp đồng", "hóa đơn", "hướng dẫn"),
    "vnaccs": ("thông quan tự động",),
    "vcis": ("thông quan tự động",),
    "ecus": ("khai hải quan điện tử",),
    "aeo": ("doanh nghiệp ưu tiên",),
    "tt": ("thông tư",),
    "ttlt": ("thông tư liên tịch",),
    "nđ": ("nghị định",),
    "nd": ("nghị định",),
    "qđ": ("quyết định",),
    "qd": ("quyết định",),
    "cv": ("công văn",),
    "vb": ("văn bản",),
    "tthc": ("thủ tục hành chính",),
    "ktstq": ("kiểm tra sau thông quan",),
    "bcqt": ("báo cáo quyết toán",),
    "knq": ("kho ngoại quan",),
    "cfs": ("kho cfs", "gom hàng lẻ"),
    "cpn": ("chuyển phát nhanh",),
    "ktcl": ("kiểm tra chất lượng",),
    "kdtv": ("kiểm dịch thực vật",),
    "kddv": ("kiểm dịch động vật",),
    "attp": ("an toàn thực phẩm",),
    "tpcn": ("thực phẩm chức năng",),
    "gpnk": ("giấy phép nhập khẩu",),
    "tnk": ("thuế nhập khẩu",),
    "txk": ("thuế xuất khẩu",),
    "ktcn": ("kiểm tra chuyên ngành",),
    "gsql": ("giám sát quản lý",),
    "txnk": ("thuế xuất nhập khẩu",),
    "tntx": ("tạm nhập tái xuất",),
    "txtn": ("tạm xuất tái nhập",),
    "ptvt": ("phương tiện vận tải",),
    "xx": ("xuất xứ",),
    "hh": ("hàng hóa",),
    "sl": ("số lượng",),
    "dk": ("đăng ký", "điều kiện"),
    "đk": ("đăng ký", "điều kiện"),
    "ubnd": ("ủy ban nhân dân",),
    "btc": ("bộ tài chính",),
    "tp": ("thành phố",),
    "tphcm": ("thành phố hồ chí minh",),
    "hcm": ("hồ chí minh",),
    # Chat spellings inside a question; at its end "ko"/"k" is a question particle (FILLER).
    "ko": ("không",),
    "k": ("không",),
    "khg": ("không",),
    "dc": ("được",),
    "đc": ("được",),
}

# Abbreviations that are also a syllable typed without diacritics ("co" is "có"): expanded only
# when typed in capitals ("CO form E").
CAPITALS_ONLY: frozenset[str] = frozenset({"co"})

# Words that carry no topic: greetings, pronouns of the asker, politeness and question phrases
# (written as people type them, with diacritics; the same words typed without diacritics are
# found too, except those in AMBIGUOUS). Dropped wherever they occur.
FILLER: tuple[str, ...] = (
    "cho em hỏi", "cho mình hỏi", "cho tôi hỏi", "cho hỏi", "xin hỏi", "xin cho hỏi", "em xin hỏi",
    "em muốn hỏi", "mình muốn hỏi", "tôi muốn hỏi", "muốn hỏi", "cho em xin", "xin chào", "chào ad",
    "chào anh chị", "anh chị ơi", "anh chị", "a/c", "kính gửi",
    "có được không", "có được ko", "có được k", "được không", "được ko", "đc không", "đc ko", "dc ko",
    "như thế nào", "thế nào", "ntn", "ra sao", "thì sao", "là gì", "làm sao", "làm thế nào",
    "bên em", "bên mình", "công ty em", "cty em", "công ty mình", "cty mình", "doanh nghiệp em",
    "dn em", "chúng tôi", "chúng em", "giúp em", "giúp mình", "giúp", "với ạ", "nhé ạ",
    "em cảm ơn", "xin cảm ơn", "cảm ơn", "cám ơn", "thanks", "trân trọng",
    "ạ", "nhé", "nhe", "nha", "nhỉ", "ad", "admin", "em", "mình", "tôi", "với", "vậy", "dạ", "ơi",
    "thì", "hả", "à",
)
# Question particles that are filler only at the END of a query: "hoàn thuế hàng XK ko" asks
# yes or no, while "không" inside a query is content ("hàng không chịu thuế").
FILLER_AT_END: tuple[str, ...] = (
    "không", "ko", "k", "khg", "kh", "hông", "hok", "hem", "chưa", "sao", "gì", "nào",
)
# Fillers that, typed without diacritics, are also a word with a topic ("minh" in Hồ Chí Minh,
# "vay" a loan, "nha" a house, "voi" an elephant...): without diacritics they are dropped only at
# the end of a query, where they are almost always the particle.
AMBIGUOUS: frozenset[str] = frozenset({
    "a", "da", "minh", "toi", "voi", "nha", "vay", "thi", "ha", "nhi", "nhe", "oi", "gi", "nao",
})
# "hàng không" is aviation: its "không" is not a question.
_KEEP_FINAL_KHONG_AFTER = frozenset({"hang"})

_LONGEST = max(len(entry.split()) for entry in (*FILLER, *FILLER_AT_END))
_SPLIT = re.compile(r"[^\s,;!?()\[\]{}\"'“”‘’«»<>…|]+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass
class Term:
    text: str  # as typed
    alternatives: list[tuple[str, ...]] = field(default_factory=list)  # folded syllables each


@dataclass
class Query:
    terms: list[Term]
    dropped: list[str]
    original: str


_fold = functools.lru_cache(maxsize=8192)(fold)


def _phrases(entries) -> dict[str, list[tuple[str, ...]]]:
    """Phrases by their first word (as written and folded), longest first."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted({tuple(entry.split()) for entry in entries}, key=len, reverse=True):
        for key in dict.fromkeys((phrase[0], fold(phrase[0]))):
            by_first.setdefault(key, []).append(phrase)
    return by_first


_FILLER_PHRASES = _phrases(FILLER)
_FILLER_AT_END_PHRASES = _phrases(FILLER_AT_END)


def _word_matches(typed: str, word: str, *, at_end: bool) -> bool:
    """``typed`` (lower case) is ``word``, or is ``word`` typed without its diacritics.

    A word of AMBIGUOUS typed without diacritics matches only when ``at_end``, even when the
    filler itself is written so ("nha": the particle, or "nhà" typed plainly).
    """
    if _fold(typed) == typed and typed in AMBIGUOUS and not at_end:
        return False
    return typed == word or (_fold(typed) == typed and _fold(word) == typed)


def _phrases_at(words: list[str], index: int, table, *, at_end: bool) -> list[int]:
    """The lengths of the phrases of ``table`` that start at ``index``, longest first."""
    candidates = table.get(words[index], []) + table.get(_fold(words[index]), [])
    lengths = []
    for phrase in candidates:
        # A phrase of several words is unambiguous even typed without diacritics ("thi sao").
        lenient = at_end or len(phrase) > 1
        typed = words[index:index + len(phrase)]
        if len(typed) == len(phrase) and all(_word_matches(t, w, at_end=lenient) for t, w in zip(typed, phrase)):
            lengths.append(len(phrase))
    return sorted(set(lengths), reverse=True)


def _tokens(query: str) -> list[str]:
    tokens = []
    for raw in _SPLIT.findall(query):
        token = _EDGES.sub("", raw)
        if token and _syllables(token):
            tokens.append(token)
    return tokens


def _syllables(text: str) -> tuple[str, ...]:
    return tuple(s for s in syllables(text) if len(s) <= MAX_SYLLABLE)


def _lower(token: str) -> str:
    return token.lower().replace("ð", "đ")


def analyse(query: str) -> Query:
    """Split ``query`` into terms with their alternatives, dropping the filler (see FILLER)."""
    original = query
    text = unicodedata.normalize("NFC", query or "")
    tokens = _tokens(text)
    shouting = text.upper() == text  # typed in capitals: "KO" may be a particle after all
    words = [_lower(t) for t in tokens]
    # An acronym in capitals is never filler ("AD" is anti-dumping duty, "ad" the admin), nor is
    # a capitalised word that is only ambiguous without diacritics ("Minh" in "Hồ Chí Minh").
    protected = [not shouting and ((len(t) > 1 and t.isupper()) or (t[0].isupper() and w in AMBIGUOUS))
                 for t, w in zip(tokens, words)]

    keep = [True] * len(tokens)
    groups: dict[int, int] = {}  # start → length of each dropped phrase
    index = 0
    while index < len(tokens):
        lengths = [] if protected[index] else _phrases_at(words, index, _FILLER_PHRASES, at_end=False)
        length = lengths[0] if lengths else 0
        if length and not any(protected[index:index + length]):
            groups[index] = length
            keep[index:index + length] = [False] * length
            index += length
        else:
            index += 1

    # From the end: question particles, and fillers typed without diacritics.
    end = len(tokens)
    while end > 0:
        last_kept = max((i for i in range(end) if keep[i]), default=None)
        if last_kept is None:
            break
        matched = 0
        for start in range(max(0, last_kept + 1 - _LONGEST), last_kept + 1):
            if not all(keep[start:last_kept + 1]) or any(protected[start:last_kept + 1]):
                continue
            wanted = last_kept + 1 - start
            if any(wanted in _phrases_at(words, start, table, at_end=True)
                   for table in (_FILLER_AT_END_PHRASES, _FILLER_PHRASES)):
                matched = wanted
                break
        if not matched:
            break
        start = last_kept + 1 - matched
        if fold(words[last_kept]) in ("khong", "hong") and start > 0 and fold(words[start - 1]) in _KEEP_FINAL_KHONG_AFTER:
            break
        groups[start] = matched
        keep[start:last_kept + 1] = [False] * matched
        end = start

    dropped = [" ".join(tokens[start:start + length]) for start, length in sorted(groups.items())]
    terms = []
    for token, word, kept in zip(tokens, words, keep):
        if not kept:
            continue
        alternatives = [_syllables(token)]
        expansions = () if word in CAPITALS_ONLY and not token.isupper() else ABBREVIATIONS.get(word, ())
        for expansion in expansions:
            alternative = _syllables(expansion)
            if alternative not in alternatives:
                alternatives.append(alternative)
        terms.append(Term(text=token, alternatives=alternatives))
        if len(terms) == MAX_TERMS:
            break
    return Query(terms=terms, dropped=dropped, original=original)


_MODES = ("all", "any", "phrase")


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")


def _usable(terms) -> list[list[tuple[str, ...]]]:
    """Each term's non-empty alternatives, terms without any left out."""
    usable = []
    for term in terms:
        alternatives = [alt for alt in term.alternatives if alt]
        if alternatives:
            usable.append(alternatives)
    return usable


def _fts5_string(syllables_: tuple[str, ...]) -> str:
    # Inside double quotes FTS5 reads no operator (AND, OR, NOT, NEAR, ^, *, :); a quote inside
    # is written twice. Several syllables in one string make a phrase.
    return '"' + " ".join(syllables_).replace('"', '""') + '"'


def fts5(terms, mode: str = "all") -> str:
    """An FTS5 MATCH expression over folded text; "" when there are no terms.

    Modes: "all" (every term), "any" (one term at least), "phrase" (the query's first
    alternatives as one phrase). A term with several alternatives is ( A OR B ).
    """
    _check_mode(mode)
    usable = _usable(terms)
    if not usable:
        return ""
    if mode == "phrase":
        return _fts5_string(tuple(s for alternatives in usable for s in alternatives[0]))
    parts = []
    for alternatives in usable:
        written = [_fts5_string(alt) for alt in alternatives]
        parts.append(written[0] if len(written) == 1 else "(" + " OR ".join(written) + ")")
    return (" AND " if mode == "all" else " OR ").join(parts)


def _ts_syllables(alternative: tuple[str, ...]) -> list[str]:
    # to_tsquery reads & | ! <-> : * ( ) ' and \ as syntax: keep only [a-z0-9], always a lexeme.
    cleaned = (re.sub(r"[^a-z0-9]", "", syllable) for syllable in alternative)
    return [syllable for syllable in cleaned if syllable]


def tsquery(terms, mode: str = "all") -> str:
    """A query for PostgreSQL ``to_tsquery('simple', ...)`` over folded text; "" when none.

    Phrases with <->, alternatives with |, modes as in ``fts5`` with & and |.
    """
    _check_mode(mode)
    usable = []
    for alternatives in _usable(terms):
        written = []
        for alternative in alternatives:
            lexemes = _ts_syllables(alternative)
            if lexemes and lexemes not in written:
                written.append(lexemes)
        if written:
            usable.append(written)
    if not usable:
        return ""
    if mode == "phrase":
        return " <-> ".join(s for written in usable for s in written[0])
    parts = []
    for written in usable:
        phrases = [" <-> ".join(lexemes) for lexemes in written]
        parts.append(phrases[0] if len(phrases) == 1 else "(" + " | ".join(phrases) + ")")
    return (" & " if mode == "all" else " | ").join(parts)


def bigrams_of(terms) -> list[tuple[str, str]]:
    """Adjacent syllables of the query's first alternatives, in order, each pair once: a
    document that has them side by side ranks higher ("hải quan" together, not apart)."""
    sequence = [s for alternatives in _usable(terms) for s in alternatives[0]]
    pairs: list[tuple[str, str]] = []
    for pair in zip(sequence, sequence[1:]):
        if pair not in pairs:
            pairs.append(pair)
    return pairs


PAIR_JOINER = "_"


def pair_tokens(syllables_: list[str] | tuple[str, ...]) -> list[str]:
    """Each pair of adjacent folded syllables as one token, "hoan_thue": indexed beside the
    syllables, a phrase becomes a lookup of its pairs instead of a check of positions."""
    return [f"{first}{PAIR_JOINER}{second}" for first, second in zip(syllables_, syllables_[1:])]

# What a syllable of the index is on both engines (ketnoi.lib.vntext.syllables, folded).
LEXEME = re.compile(r"[a-z0-9]+")


def pairs(terms, engine: str) -> str:
    """The query as typed (its terms' first alternatives) as a match of its adjacent syllable
    pairs in the ``search_pairs`` column of an index (``pair_tokens``): a phrase as a lookup.
    ``engine`` is "sqlite" (FTS5) or "postgresql" (tsquery). "" when there is no pair, or the
    syllables are of another script: then match the phrase by position (mode "phrase")."""
    syllables_ = [s for term in terms for s in (term.alternatives[0] if term.alternatives else ())]
    if not all(LEXEME.fullmatch(s) for s in syllables_):
        return ""  # leaving it out would pair the syllables on either side of it, which are not adjacent
    tokens = pair_tokens(syllables_)
    if not tokens:
        return ""
    if engine == "sqlite":
        return "{search_pairs} : (" + " AND ".join(f'"{token}"' for token in tokens) + ")"
    return " & ".join(f"'{token}'" for token in tokens)
