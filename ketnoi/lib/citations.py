"""Legal-document citations in Vietnamese text: recognise them and give each its canonical number.

A document number (số ký hiệu) is written ``number[/year]/issuer`` (Nghị định 30/2020/NĐ-CP on
administrative documents, Art. 8 and Appendix I; Law 80/2015/QH13, Art. 8): "38/2015/TT-BTC",
"08/2015/NĐ-CP", "54/2014/QH13", "5170/TCHQ-GSQL". Party documents put the kind before the
slash: "57-NQ/TW". People type these without diacritics, in lower case and with ND for NĐ;
``canonical`` gives back the official spelling, which is what ``LegalDocument.number`` stores.
"""

import re
import unicodedata
from dataclasses import dataclass

from ketnoi.lib.vntext import fold

# The name each kind of document is cited by (ketnoi.knowledge.models.DocumentKind codes).
KIND_NAMES = {
    "luat": "Luật",
    "nghi-quyet": "Nghị quyết",
    "nghi-dinh": "Nghị định",
    "quyet-dinh": "Quyết định",
    "thong-tu": "Thông tư",
    "chi-thi": "Chỉ thị",
    "cong-van": "Công văn",
    "khac": "",
}

# Words that announce a document, folded, with the kind they give it (None: the kind comes from
# the number, as in "văn bản số 5170/TCHQ-GSQL"). Abbreviations are those answers use.
KEYWORDS: dict[str, str | None] = {
    "thong tu lien tich": "thong-tu",
    "thong tu": "thong-tu",
    "ttlt": "thong-tu",
    "tt": "thong-tu",
    "nghi dinh": "nghi-dinh",
    "nd": "nghi-dinh",
    "nghi quyet": "nghi-quyet",
    "nq": "nghi-quyet",
    "quyet dinh": "quyet-dinh",
    "qd": "quyet-dinh",
    "chi thi": "chi-thi",
    "ct": "chi-thi",
    "cong van": "cong-van",
    "cv": "cong-van",
    "luat": "luat",
    "van ban hop nhat": "khac",
    "phap lenh": "khac",
    "thong bao": "khac",
    "cong dien": "khac",
    "van ban": None,
}

# The first part of the issuer code (ký hiệu) names the kind (Nghị định 30/2020/NĐ-CP,
# Appendix III: abbreviations of kinds of documents). QH<n> is the National Assembly of term n,
# which passes laws ("54/2014/QH13"); a resolution of it is cited with its keyword.
ISSUER_KINDS: dict[str, str] = {
    "TT": "thong-tu",
    "TTLT": "thong-tu",
    "NĐ": "nghi-dinh",
    "QĐ": "quyet-dinh",
    "NQ": "nghi-quyet",
    "CT": "chi-thi",
    "CV": "cong-van",
}
_NATIONAL_ASSEMBLY = re.compile(r"QH[0-9]*")

# Parts of an issuer code written with Đ (Appendix III) that people type with D, and the one
# code written in mixed case (Thủ tướng Chính phủ).
_SPELLING = {"ND": "NĐ", "QD": "QĐ", "HDND": "HĐND", "DU": "ĐU", "TTG": "TTg"}

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH = rf"[-{_DASHES}]"
_MARKS = "[\u0300-\u036f]*"  # combining marks, left in place in text typed decomposed (NFD)

# Matched on the folded text (same length as the original, see _fold_in_place), so letters are
# lower-case ASCII and đ is d.
_ISSUER = rf"[a-z][a-z0-9]*(?:{_DASH}[a-z0-9]+)*"
_STATE_NUMBER = rf"[0-9]{{1,5}}(?:/(?:19|20)[0-9]{{2}})?/{_ISSUER}"
_PARTY_NUMBER = r"[0-9]{1,5}-[a-z]{1,4}/[a-z]+(?:-[a-z]+)*"
_NUMBER = rf"""
    (?<![\w/.,\-{_DASHES}])         # not the tail of a longer token (a path, a date, a URL)
    (?P<number>{_PARTY_NUMBER}|{_STATE_NUMBER})
    (?![\w/]|{_DASH}[a-z0-9])
"""


def _loose(folded_words: str) -> str:
    """A pattern for folded words that also matches them written decomposed."""
    return r"\s+".join(_MARKS.join(re.escape(char) for char in word) + _MARKS
                       for word in folded_words.split())


# A law's short name sits between "Luật" and "số": "Luật Hải quan số 54/2014/QH13", "Luật Thuế
# xuất khẩu, thuế nhập khẩu số 107/2016/QH13". Its words may not be another keyword or a word
# that starts a clause ("theo luật thì công văn số ..." is not a law named "thì công văn").
_NOT_A_NAME = ["thi", "va", "cua", "theo", "tai", "la", "nay", "do", "duoc", "da", "se", "co",
               "ve", "hien", "hanh", "quy", "dinh"] + [k for k in KEYWORDS if k != "luat"]
_NAME_WORD = (r"(?!(?:" + "|".join(_loose(w) for w in sorted(_NOT_A_NAME, key=len, reverse=True))
              + rf")(?![\w\u0300-\u036f]))(?:[^\W\d_]{_MARKS})+")
_LAW_NAME = rf"{_NAME_WORD}(?:[\s,]+{_NAME_WORD}){{0,11}}?(?=\s+{_loose('so')}[\s:])"

_KEYWORD = "|".join(
    f"(?P<kw{index}>{_loose(word)}" + (rf"(?:\s+(?P<lawname>{_LAW_NAME}))?" if word == "luat" else "") + ")"
    for index, word in sorted(enumerate(KEYWORDS), key=lambda pair: -len(pair[1]))
)
_KEYWORD_LIST = list(KEYWORDS)

_CITATION = re.compile(
    rf"""
    (?:
        (?<![\w\u0300-\u036f])(?:{_KEYWORD})
        (?:\s+{_loose('so')})?           # "số"
        (?![\w\u0300-\u036f])
        [\s:]*
    )?
    {_NUMBER}
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Citation:
    """A citation found in a text: ``text[start:end]`` is ``text`` (the whole span as written,
    keyword included); ``number`` is canonical."""

    start: int
    end: int
    kind: str
    number: str
    text: str


def canonical(number: str) -> str:
    """Return a document number in its official spelling.

    Upper case, no spaces, "-" for every dash, Đ where the issuer code has it (ND-CP → NĐ-CP,
    QD-TTg → QĐ-TTg), "TTg" in mixed case, leading zeros as written. Idempotent.
    """
    text = unicodedata.normalize("NFC", number)
    text = re.sub(r"\s+", "", text)
    text = re.sub(f"[{_DASHES}]", "-", text)
    text = text.replace("ð", "đ").replace("Ð", "Đ").upper()
    head, slash, issuer = text.rpartition("/")
    parts = [_SPELLING.get(part, part) for part in issuer.split("-")]
    if slash and "-" in head:  # party form "57-NQ/TW": the kind code sits before the slash
        number_part, _, kind_code = head.rpartition("-")
        head = f"{number_part}-{_SPELLING.get(kind_code, kind_code)}"
    return f"{head}{slash}{'-'.join(parts)}"


def infer_kind(number: str) -> str | None:
    """Return the kind a canonical number shows by itself, or None when it does not say.

    "/TT-" circular, "/NĐ-" decree, "/QĐ-" decision, "/QH13" law, "/NQ-" resolution, "/CT-"
    directive; the party form "57-NQ/TW" the same from the code before the slash.
    """
    head, _, issuer = number.rpartition("/")
    if re.fullmatch(r"[0-9]+-[^/]+", head):
        return ISSUER_KINDS.get(head.split("-", 1)[1], "khac")
    first = issuer.split("-", 1)[0]
    if _NATIONAL_ASSEMBLY.fullmatch(first):
        return "luat"
    return ISSUER_KINDS.get(first)


def _bare_kind(number: str, written: str, *, lenient: bool) -> str | None:
    """The kind of a number written without a keyword, or None when it is not taken for one.

    In running text a bare number counts only when it shows its kind and is not a short code
    ("16/CT-TTg" and "38/2015/TT-BTC" do, "5/TT" does not), or when its issuer looks like an
    agency code written in capitals ("5170/TCHQ-GSQL": a letter; "1034/2015/UBTVQH13": other).
    """
    head, _, issuer = number.rpartition("/")
    parts = issuer.split("-")
    has_year = head.count("/") == 1
    kind = infer_kind(number)
    if "-" in head:  # party form
        return kind if lenient or kind != "khac" else None
    if kind is not None:
        return kind if lenient or has_year or len(parts) > 1 else None
    written_issuer = written.rpartition("/")[2]
    in_capitals = all(part == "TTg" or part.upper() == part for part in re.split(f"[-{_DASHES}]", written_issuer))
    if len(parts) > 1 and (lenient or in_capitals):
        return "cong-van"
    if has_year and (lenient or in_capitals):
        return "khac"
    return "khac" if lenient else None


def _fold_in_place(text: str) -> str:
    """``fold(text)`` one character for one, so that a match on it is a span of ``text``.

    A character whose folded form is not one character (a combining mark, "İ") stays as it is.
    """
    out = []
    for char in text:
        folded = fold(char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _citations(text: str, *, lenient: bool) -> list[Citation]:
    folded = _fold_in_place(text)
    found = []
    for match in _CITATION.finditer(folded):
        number_start, end = match.span("number")
        written = text[number_start:end]
        number = canonical(written)
        keyword = next((_KEYWORD_LIST[int(name[2:])] for name, value in match.groupdict().items()
                        if name.startswith("kw") and value is not None), None)
        kind = KEYWORDS[keyword] if keyword is not None else None
        if kind is None:
            kind = _bare_kind(number, written, lenient=lenient or keyword is not None)
        if kind is None:
            continue
        start = match.start() if keyword is not None else number_start
        found.append(Citation(start=start, end=end, kind=kind, number=number, text=text[start:end]))
    return found


def find(text: str) -> list[Citation]:
    """Return the citations of legal documents in ``text``, in order of appearance.

    Spans are exact on ``text`` as given (also when it is typed decomposed), so a template can
    wrap each in a link. Dates, HS codes, fractions, declaration numbers and "Điều 5" are not
    citations; a bare number counts when it shows its kind or an agency code (see _bare_kind).
    """
    return _citations(text, lenient=False)


def parse(reference: str) -> Citation | None:
    """Read one reference given alone ("Thông tư 38/2015/TT-BTC", "38/2015/tt-btc").

    Returns None when the whole of it (surrounding spaces aside) is not one document number.
    Spans are on ``reference`` as given.
    """
    stripped = reference.strip()
    offset = len(reference) - len(reference.lstrip())
    found = _citations(stripped, lenient=True)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(stripped):
        return None
    citation = found[0]
    return Citation(start=citation.start + offset, end=citation.end + offset, kind=citation.kind,
                    number=citation.number, text=citation.text)


def name(kind: str, number: str) -> str:
    """The usual name of a document: "Thông tư 38/2015/TT-BTC"; the number alone for "khac"."""
    if kind not in KIND_NAMES:
        raise ValueError(f"unknown kind of document: {kind!r}")
    return f"{KIND_NAMES[kind]} {canonical(number)}".strip()
