"""A readable difference between two versions of a text, word by word within paragraphs.

Directives are replaced day by day with a few words changed ("từ 07 giờ 30" → "từ 08 giờ 00"):
a line diff would show the whole paragraph twice, so paragraphs are matched first and the words
of a changed paragraph are compared inside it. Pure: the page and the e-mail render the pieces.
"""

import difflib
import re
from dataclasses import dataclass

from ketnoi.lib.vntext import normalize

SAME, ADDED, REMOVED = "same", "added", "removed"

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the result: unchanged, added, removed or changed, as (kind, text) pieces."""

    status: str  # "same", "added", "removed" or "changed"
    pieces: tuple[tuple[str, str], ...]


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of ``text``, tidied. In NFC: the same words typed decomposed (macOS,
    some Vietnamese keyboards) and composed (Windows) are the same text, not a change."""
    return [normalize(line) for line in text.splitlines() if line.strip()]


def _words(paragraph: str) -> list[str]:
    return _WORDS.findall(paragraph)


def _merge(pieces: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    merged: list[tuple[str, str]] = []
    for kind, text in pieces:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    return tuple(merged)


def _word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = _words(old), _words(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append((SAME, "".join(a[i1:i2])))
        else:
            pieces.append((REMOVED, "".join(a[i1:i2])))
            pieces.append((ADDED, "".join(b[j1:j2])))
    return _merge(pieces)


def _similar(old: str, new: str) -> bool:
    """Close enough to show as one changed paragraph rather than one removed and one added."""
    return difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= 0.5


def diff(old: str, new: str) -> list[Paragraph]:
    """The paragraphs of ``new`` against ``old``, in reading order."""
    a, b = paragraphs(old), paragraphs(new)
    result: list[Paragraph] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            result += [Paragraph(SAME, ((SAME, p),)) for p in a[i1:i2]]
            continue
        removed, added = a[i1:i2], b[j1:j2]
        # Pair the paragraphs of a replaced block in order while they stay similar.
        while removed and added and _similar(removed[0], added[0]):
            result.append(Paragraph("changed", _word_diff(removed.pop(0), added.pop(0))))
        result += [Paragraph(REMOVED, ((REMOVED, p),)) for p in removed]
        result += [Paragraph(ADDED, ((ADDED, p),)) for p in added]
    return result


def changed(result: list[Paragraph]) -> bool:
    return any(p.status != SAME for p in result)
