"""Propose an anonymised version of a case's question and answer before it becomes a public Q&A.

What identifies a business or a person (enterprise names, tax codes, declaration and container
numbers, phone numbers, e-mail addresses, personal names) is replaced by a label; what the
reader needs (legal document numbers, HS codes, dates, amounts, customs units) is kept. The
result is a proposal: a coordinator reviews it before publishing, so the rules lean towards
replacing too much rather than too little, but never touch the kept kinds above.
"""

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from ketnoi.lib import citations, taxcode
from ketnoi.lib.vntext import fold

# The published Q&A is in Vietnamese; callers pass translated labels through ``labels``.
LABELS: dict[str, str] = {
    "enterprise": "[doanh nghiệp]",
    "tax_code": "[mã số thuế]",
    "declaration": "[số tờ khai]",
    "container": "[số container]",
    "phone": "[số điện thoại]",
    "email": "[e-mail]",
    "person": "[họ tên]",
}


@dataclass(frozen=True)
class Replacement:
    start: int  # span of ``label`` in the NEW text
    end: int
    original: str
    label: str
    kind: str


@dataclass
class Anonymised:
    text: str
    replacements: list[Replacement] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str


# --- shared text helpers --------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def _fold_in_place(text: str) -> str:
    """fold() one character for one (text is NFC), so a match on it is a span of ``text``."""
    return "".join(f if len(f := fold(char)) == 1 else char for char in text)


def _folded_words(words: str) -> str:
    """A pattern matching folded words separated by any whitespace, as whole words."""
    parts = [re.escape(word) for word in words.split()]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


def _is_capitalised(word: str) -> bool:
    """"Minh", "TNHH", "3A": a word that can belong to a proper name."""
    first_letter = next((char for char in word if char.isalpha()), None)
    return first_letter is not None and (word[0].isupper() or (word[0].isdigit() and first_letter.isupper()))


def _is_titlecase(word: str) -> bool:
    """"Nguyễn", "A": a syllable of a personal name (not an acronym such as TNHH)."""
    return word[0].isupper() and word[0].isalpha() and (len(word) == 1 or word[1:].islower())


def _next_words(text: str, position: int, *, limit: int):
    """The words from ``position`` that follow each other with only spaces between them.

    Yields (start, end, word); stops at punctuation, a line break, or after ``limit`` words.
    """
    count = 0
    for match in _WORD.finditer(text, position):
        gap = text[position:match.start()]
        if count == 0:
            if gap.strip(" \t:"):
                return
        elif gap not in (" ", "\u00a0") and not (gap.strip(" ") == "&" and len(gap) <= 3):
            return
        yield match.start(), match.end(), match.group()
        position = match.end()
        count += 1
        if count >= limit:
            return


# --- what is kept ---------------------------------------------------------------------------

# Lower-case words that belong inside a name when they follow the word before them: business
# lines in enterprise names ("Thương mại Dịch vụ Minh Phát") and places in unit names ("Khu
# chế xuất Tân Thuận"), folded.
_NAME_PAIRS = {
    ("thuong", "mai"), ("dich", "vu"), ("san", "xuat"), ("xuat", "nhap"), ("nhap", "khau"),
    ("xuat", "khau"), ("dau", "tu"), ("xay", "dung"), ("van", "tai"), ("giao", "nhan"),
    ("cong", "nghe"), ("ky", "thuat"), ("phat", "trien"), ("kinh", "doanh"), ("tiep", "van"),
    ("dien", "tu"), ("may", "mac"), ("thuc", "pham"), ("nong", "san"), ("thuy", "san"),
    ("quoc", "te"), ("hang", "hai"), ("van", "chuyen"), ("co", "khi"), ("che", "bien"),
    ("bat", "dong"), ("dong", "san"), ("thiet", "bi"), ("vat", "tu"), ("hoa", "chat"),
    ("my", "pham"), ("duoc", "pham"), ("noi", "that"), ("vien", "thong"), ("moi", "truong"),
    ("khu", "che"), ("che", "xuat"), ("khu", "cong"), ("cong", "nghiep"), ("cua", "khau"),
    ("cang", "bien"), ("buu", "dien"), ("san", "bay"), ("quan", "ly"),
}
# Leading words of an enterprise name that any enterprise could have; what follows them is the
# distinctive part ("Minh Phát"), also looked for on its own elsewhere in the text.
_GENERIC_NAME_WORDS = {
    syllable for pair in _NAME_PAIRS for syllable in pair
} | {"xnk", "tm", "dv", "sx", "tmdv", "tmsx", "logistics", "group", "viet", "nam", "va"}


def _name_after(text: str, folded: str, position: int, *, limit: int = 10) -> tuple[int, int] | None:
    """The span of the proper name starting at ``position``: capitalised words, and lower-case
    words that continue a known compound; it ends before another institution ("... Công ty").
    Returns None when there is none."""
    start = end = None
    previous = None
    words = list(_next_words(text, position, limit=limit))
    for index, (word_start, word_end, word) in enumerate(words):
        folded_word = folded[word_start:word_end]
        following = words[index + 1] if index + 1 < len(words) else None
        if following and (folded_word, folded[following[0]:following[1]]) in _INSTITUTION_PAIRS:
            break
        if _is_capitalised(word) or (previous is not None and (previous, folded_word) in _NAME_PAIRS):
            start = word_start if start is None else start
            end = word_end
            previous = folded_word
        else:
            break
    return (start, end) if start is not None else None


_DATE = re.compile(r"(?<![\w/.])[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})(?![\w/])"
                   r"|(?<![\w/.])[0-9]{1,2}/[0-9]{4}(?![\w/])")
_HS_CODE = re.compile(r"(?<![\w.])[0-9]{4}\.[0-9]{2}\.[0-9]{2}(?:\.[0-9]{2})?(?![\w]|\.[0-9])"
                      r"|(?<!\w)(?:ma\s+)?hs\s*:?\s*[0-9]{4,8}(?!\w)")
# Amounts: 1.250.000 đồng, 15 triệu đồng, 2.000 USD, 1,5 tỷ (on folded text, so đồng is dong).
_MONEY = re.compile(r"(?<![\w.,])[0-9]+(?:[.,\s][0-9]{3})*(?:[.,][0-9]+)?\s?"
                    r"(?:trieu|ty|nghin|ngan)?\s?(?:dong|vnd|usd|eur|jpy|cny|₫|d)(?!\w)"
                    r"|(?<![\w.,])[0-9]+(?:[.,][0-9]+)?\s?(?:trieu|ty)(?!\w)")
# Customs units are institutions the reader needs to know ("Chi cục Hải quan Khu chế xuất Tân
# Thuận", "Hải quan Tân Thuận"), whatever names they contain.
_CUSTOMS_UNIT = re.compile(r"(?<!\w)(?:tong cuc hai quan|cuc hai quan|chi cuc hai quan|"
                           r"doi thu tuc hai quan|doi kiem soat hai quan|hai quan)(?!\w)")


def _kept_spans(text: str, folded: str) -> list[tuple[int, int]]:
    kept = [(c.start, c.end) for c in citations.find(text)]
    kept += [m.span() for pattern in (_DATE, _HS_CODE, _MONEY) for m in pattern.finditer(folded)]
    for match in _CUSTOMS_UNIT.finditer(folded):
        if match.group() == "hai quan" and not text[match.start()].isupper():
            continue  # "cán bộ hải quan Nguyễn Văn A": a person, not a unit's name
        name = _name_after(text, folded, match.end())
        kept.append((match.start(), name[1] if name else match.end()))
    return kept


# --- what is replaced -----------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])")

# ISO 6346: owner code (3 letters), category U/J/Z, 6-digit serial, check digit. The check
# digit is not verified: a mistyped number identifies the shipment just as well.
_CONTAINER = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3}[UJZ][ \-]?[0-9]{6}[ \-/]?[0-9](?![A-Za-z0-9])")

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
# Runs of digits that may be a tax code (10, or 10-3), a declaration (12) or a phone (10).
_DIGIT_RUN = re.compile(rf"(?<![\w.,/{_DASHES}])([0-9]{{10}}|[0-9]{{12}})(?:([{_DASHES}] ?| )([0-9]{{3}}))?"
                        rf"(?![\w]|[.,/{_DASHES}][0-9])")

# Vietnamese numbers: 0 + 9 digits (mobile, 0903 123 456) or 0 + 10 (landline with area code,
# 028 3829 1234), or the same after +84/0084 without the 0. Separators: space, dot, dash,
# parentheses round the area code.
_PHONE = re.compile(r"""
    (?<![\w+.,/\-])
    (?:
        (?:(?:\+|00)\s?84|\(\+84\))[\s.\-]?(?:\(0\)\s?)?     # +84 903 ..., +84 (0) 28 ...
        (?:\([1-9][0-9]{0,2}\)|[1-9])
      |
        (?:\(0[1-9][0-9]{1,2}\)|0[1-9])                    # 0903 123 456, (028) 3829 1234
    )
    (?:[\s.\-]?[0-9]){6,9}
    (?![\w]|[.,\-][0-9])
""", re.VERBOSE)

_TAX_CONTEXT = re.compile(r"(?<![a-z])(?:mst|ma so thue|ma so doanh nghiep|ma doanh nghiep|tax code|tax id)\W*$")
_PHONE_CONTEXT = re.compile(r"(?<![a-z])(?:dt|sdt|dien thoai|di dong|phone|tel|hotline|lien he|zalo|fax)\W*$")


def _context(folded: str, start: int, pattern: re.Pattern) -> bool:
    return pattern.search(folded[max(0, start - 30):start]) is not None


def _is_phone_digits(digits: str, international: bool) -> bool:
    national = digits.removeprefix("00")[2:].removeprefix("0") if international else digits[1:]
    return len(national) in (9, 10) and national[0] != "0"


def _numbers(text: str, folded: str) -> list[_Span]:
    spans = []
    for match in _DIGIT_RUN.finditer(text):
        main, separator, branch = match.groups()
        start, end = match.span()
        if separator == " " and not taxcode.is_valid(main):
            branch, end = None, start + len(main)  # "0312345678 100 chiếc": a number, then a count
        if len(main) == 12:
            if branch is None:
                spans.append(_Span(start, end, "declaration"))
            continue
        if branch is not None:
            # The 13-digit form 0123456789-001 is a dependent unit's tax code (TT 105/2020/TT-BTC).
            spans.append(_Span(start, end, "tax_code"))
        elif _context(folded, start, _PHONE_CONTEXT) and _is_phone_digits(main, False):
            spans.append(_Span(start, end, "phone"))
        elif _context(folded, start, _TAX_CONTEXT) or taxcode.is_valid(main):
            spans.append(_Span(start, end, "tax_code"))
        elif _is_phone_digits(main, False) and main[0] == "0":
            spans.append(_Span(start, end, "phone"))
    for match in _PHONE.finditer(text):
        written = match.group()
        digits = re.sub(r"[^0-9]", "", written)
        if written.isdigit() and len(written) == 10:
            continue  # a bare ten-digit run: decided above, with the tax-code check
        international = re.match(r"\(?(?:\+|00)", written) is not None
        if _is_phone_digits(digits, international):
            spans.append(_Span(*match.span(), "phone"))
    return spans


_ENTERPRISE = re.compile(r"""
    (?<!\w)
    (?:chi\s+nhanh\s+)?
    (?:cong\s+ty|cty|c\.ty|doanh\s+nghiep\s+tu\s+nhan|dntn|tap\s+doan|hop\s+tac\s+xa|htx)
    (?:\s+(?:tnhh|trach\s+nhiem\s+huu\s+han|co\s+phan|cp|ctcp|mtv|mot\s+thanh\s+vien|
             hai\s+thanh\s+vien(?:\s+tro\s+len)?|lien\s+doanh|hop\s+danh|100%\s+von\s+nuoc\s+ngoai)
           (?!\w))*
    (?!\w)
""", re.VERBOSE)


def _enterprises(text: str, folded: str) -> list[tuple[_Span, tuple[int, int]]]:
    """Enterprise names with the span of the name proper (after the legal form)."""
    found = []
    for match in _ENTERPRISE.finditer(folded):
        name = _name_after(text, folded, match.end())
        if name is not None:
            found.append((_Span(match.start(), name[1], "enterprise"), name))
    return found


def _distinctive(text: str, folded: str, name: tuple[int, int]) -> str | None:
    """"Minh Phát" of "Thương mại Dịch vụ Minh Phát": the name without its leading business
    lines, when two words or more remain."""
    words = [(m.start() + name[0], m.end() + name[0]) for m in _WORD.finditer(text[name[0]:name[1]])]
    while words and folded[words[0][0]:words[0][1]] in _GENERIC_NAME_WORDS:
        words.pop(0)
    if len(words) < 2:
        return None
    return text[words[0][0]:words[-1][1]]


# Words before a personal name (folded). The short ones are matched with their diacritics only
# (below), since folded they are also "ong" (bee), "ba" (three), "chi" (Chi cục), "co" (có).
_LONG_TITLES = [
    "pho tong giam doc", "tong giam doc", "pho giam doc", "giam doc", "ke toan truong", "ke toan",
    "truong phong", "pho phong", "truong ban", "chu tich", "pho chu tich", "nhan vien", "can bo",
    "cong chuc", "dong chi", "luat su", "nguoi dai dien", "dai dien", "chu doanh nghiep",
    "chi cuc truong", "pho chi cuc truong", "doi truong", "doi pho", "cuc truong", "pho cuc truong",
    "mr", "mrs", "ms", "miss", "dr",
]
_SHORT_TITLES = ["ông", "bà", "anh", "chị", "cô", "chú", "bác", "em"]
_LONG_TITLE = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, title.split()))
                                                  for title in sorted(_LONG_TITLES, key=len, reverse=True))
                         + r")\.?(?!\w)")
_SHORT_TITLE = re.compile(r"(?<!\w)(?:" + "|".join(_SHORT_TITLES) + r")(?!\w)", re.IGNORECASE)
# A title then a place, not a person (folded): "Bà Rịa", "cầu Ông Lãnh", "Anh Quốc".
_NOT_PEOPLE = {("ba", "ria"), ("ba", "chieu"), ("ba", "diem"), ("ba", "queo"), ("ba", "den"),
               ("ong", "lanh"), ("anh", "quoc"), ("ba", "huyen")}
# Two words that start an institution or a title, not a name (folded).
_INSTITUTION_PAIRS = {
    ("cong", "ty"), ("chi", "cuc"), ("tong", "cuc"), ("cuc", "hai"), ("cuc", "thue"),
    ("hai", "quan"), ("ngan", "hang"), ("trung", "tam"), ("uy", "ban"), ("doanh", "nghiep"),
    ("bo", "tai"), ("bo", "cong"), ("giam", "doc"), ("ke", "toan"), ("truong", "phong"),
    ("pho", "phong"), ("chi", "nhanh"), ("van", "phong"), ("so", "cong"), ("phong", "nghiep"), ("doi", "thu"), ("doi", "kiem"),
}
# Most names have 2 to 4 syllables; a fifth is taken when it follows, so that the last syllable
# of "Tôn Nữ Thị Minh Châu" (the syllable people are called by) is not left behind.
_NAME_SYLLABLES = (2, 5)
# "tiếng Anh", "nước Anh", "Vương quốc Anh": the country, not the title anh.
_COUNTRY_BEFORE = re.compile(r"(?:tieng|nuoc|quoc)\s+$")


def _person_after(text: str, folded: str, position: int, *, capitals: bool) -> tuple[int, int] | None:
    """2 to 4 name syllables after a title; all in capitals when the title is ("ÔNG NGUYỄN VĂN A")."""
    words = list(_next_words(text, position, limit=_NAME_SYLLABLES[1] + 1))
    taken = []
    for index, (start, end, word) in enumerate(words[:_NAME_SYLLABLES[1]]):
        if not (_is_titlecase(word) or (capitals and word.isupper())):
            break
        following = words[index + 1] if index + 1 < len(words) else None
        if following and (folded[start:end], folded[following[0]:following[1]]) in _INSTITUTION_PAIRS:
            break
        taken.append((start, end))
    if len(taken) < _NAME_SYLLABLES[0]:
        return None
    return taken[0][0], taken[-1][1]


def _titles(text: str, folded: str):
    for match in [*_LONG_TITLE.finditer(folded), *_SHORT_TITLE.finditer(text)]:
        if not _COUNTRY_BEFORE.search(folded[max(0, match.start() - 8):match.start()]):
            yield match


def _persons(text: str, folded: str) -> list[_Span]:
    spans = []
    for match in _titles(text, folded):
        title = text[match.start():match.end()]
        name = _person_after(text, folded, match.end(), capitals=len(title) > 1 and title.isupper())
        if name is None:
            continue
        title_word = folded[match.start():match.end()].split()[-1]
        first_word = folded[name[0]:name[1]].split()[0]
        if (title_word, first_word) in _NOT_PEOPLE:
            continue
        spans.append(_Span(*name, "person"))
    return spans


def _given_names_after_titles(text: str, folded: str, given: set[str]) -> list[_Span]:
    """"anh Hùng" once "ông Nguyễn Văn Hùng" is known: people are called by the last syllable."""
    spans = []
    for match in _titles(text, folded):
        words = list(_next_words(text, match.end(), limit=1))
        if words and _is_titlecase(words[0][2]) and folded[words[0][0]:words[0][1]] in given:
            spans.append(_Span(words[0][0], words[0][1], "person"))
    return spans


def _occurrences(folded: str, strings, kind: str) -> list[_Span]:
    spans = []
    for string in strings:
        folded_string = fold(unicodedata.normalize("NFC", string)).strip()
        if not _WORD.search(folded_string):
            continue
        pattern = re.compile(_folded_words(folded_string))
        spans += [_Span(*m.span(), kind) for m in pattern.finditer(folded)]
    return spans


# --- putting it together --------------------------------------------------------------------

class _Intervals:
    """Disjoint half-open intervals, sorted, with an overlap test in O(log n)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def _choose(candidates: list[_Span], kept: list[tuple[int, int]]) -> list[_Span]:
    """Non-overlapping spans: the longest wins, then the earliest; nothing that touches a kept span."""
    blocked = _Intervals()
    for start, end in sorted(kept):  # merged, so that the intervals stay disjoint
        if blocked.starts and start < blocked.ends[-1]:
            blocked.ends[-1] = max(blocked.ends[-1], end)
        else:
            blocked.add(start, end)
    chosen = _Intervals()
    spans = []
    for span in sorted(set(candidates), key=lambda s: (-(s.end - s.start), s.start, s.kind)):
        if span.start >= span.end or blocked.overlaps(span.start, span.end) or chosen.overlaps(span.start, span.end):
            continue
        chosen.add(span.start, span.end)
        spans.append(span)
    return sorted(spans, key=lambda s: s.start)


def anonymise(text: str, *, known_names=(), known_enterprises=(), labels=None) -> Anonymised:
    """Replace what identifies a business or a person in ``text`` by a label.

    ``known_names`` / ``known_enterprises`` (e.g. the case's contact and enterprise) are replaced
    wherever they occur, in any case and with or without diacritics. ``labels`` overrides the
    label of a kind (enterprise, tax_code, declaration, container, phone, email, person).
    The text is returned in NFC; the same original always gets the same kind and label.
    """
    labels = {**LABELS, **(labels or {})}
    text = unicodedata.normalize("NFC", text)
    folded = _fold_in_place(text)
    kept = _kept_spans(text, folded)

    candidates = [_Span(*m.span(), "email") for m in _EMAIL.finditer(text)]
    candidates += [_Span(*m.span(), "container") for m in _CONTAINER.finditer(text)]
    candidates += _numbers(text, folded)

    enterprise_strings = list(known_enterprises)
    for span, name in _enterprises(text, folded):
        candidates.append(span)
        enterprise_strings.append(text[name[0]:name[1]])
        distinctive = _distinctive(text, folded, name)
        if distinctive:
            enterprise_strings.append(distinctive)
    for known in known_enterprises:
        known_text = unicodedata.normalize("NFC", known)
        known_folded = _fold_in_place(known_text)
        for _, name in _enterprises(known_text, known_folded):
            enterprise_strings.append(known_text[name[0]:name[1]])
            enterprise_strings.append(_distinctive(known_text, known_folded, name) or "")
    candidates += _occurrences(folded, enterprise_strings, "enterprise")

    persons = _persons(text, folded)
    person_strings = [text[s.start:s.end] for s in persons] + list(known_names)
    candidates += persons + _occurrences(folded, person_strings, "person")
    given = {fold(string).split()[-1] for string in person_strings if len(fold(string).split()) >= 2}
    candidates += _given_names_after_titles(text, folded, given)

    chosen = _choose(candidates, kept)

    # The first occurrence of an original decides its kind everywhere.
    kind_of: dict[str, str] = {}
    for span in chosen:
        kind_of.setdefault(text[span.start:span.end], span.kind)

    pieces, replacements, cursor, length = [], [], 0, 0
    for span in chosen:
        original = text[span.start:span.end]
        kind = kind_of[original]
        label = labels[kind]
        pieces.append(text[cursor:span.start])
        length += span.start - cursor
        replacements.append(Replacement(start=length, end=length + len(label), original=original,
                                        label=label, kind=kind))
        pieces.append(label)
        length += len(label)
        cursor = span.end
    pieces.append(text[cursor:])
    return Anonymised(text="".join(pieces), replacements=replacements)
